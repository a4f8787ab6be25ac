"""WSGI entry point: `gunicorn wsgi:app`, `waitress-serve wsgi:app`, or `flask --app wsgi run`."""

from docmgr import create_app

app = create_app()
