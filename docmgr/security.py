"""HTTP hardening: security headers on docmgr's responses, Secure cookies over HTTPS, proxies.

The headers are set only on responses of docmgr's own blueprint (a host app
keeps its own policy) and only when the response does not set them itself.
"""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def add_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if response.mimetype in ("text/html", "application/json") and "Cache-Control" not in response.headers:
        # Pages and API answers show records that need a login: never keep them in shared caches.
        response.headers["Cache-Control"] = "private, no-store"
    return response


class SecureCookiesOverHttps:
    """WSGI middleware: every cookie set on a request that came over HTTPS gets the Secure flag.

    Flask's and flask-login's cookie settings are fixed in the config; an office
    often serves the same instance over HTTPS behind a proxy and over plain HTTP
    on the loopback, so the flag follows the request instead.
    """

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("wsgi.url_scheme") != "https":
            return self.app(environ, start_response)

        def secure_start_response(status, headers, exc_info=None):
            headers = [
                (name, value + "; Secure")
                if name.lower() == "set-cookie" and "secure" not in value.lower().replace(" ", "").split(";")
                else (name, value)
                for name, value in headers
            ]
            return start_response(status, headers, exc_info)

        return self.app(environ, secure_start_response)


def init_http(app: Flask) -> None:
    """Wrap the WSGI app: trusted proxy headers first (so the scheme is known), then cookie flags."""
    app.wsgi_app = SecureCookiesOverHttps(app.wsgi_app)
    proxies = int(app.config.get("DOCMGR_TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_prefix=proxies)
