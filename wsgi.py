"""WSGI entry point: `gunicorn wsgi:app`, `waitress-serve wsgi:app`, or `flask --app wsgi run`.

Each server process reads the search index's columns in the background as it starts, so that its first search
does not wait for them (seconds at 100,000 documents).
"""

from docmgr import serving_app


app = serving_app()
