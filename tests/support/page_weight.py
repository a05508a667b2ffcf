"""Serving the site as production does, for the page-weight test: static files
collected once into a temporary folder by whitenoise's
CompressedManifestStaticFilesStorage (hashed names, .gz and .br beside each
file) and served by WhiteNoiseMiddleware alone, with production's middleware
(HTML compression), by a live server of its own. pytest-django's live_server
serves static files uncompressed through Django's finders handler instead, so
it cannot measure what a phone downloads."""

import tempfile

from django.test import override_settings
from django.test.testcases import LiveServerThread

PRODUCTION_STATIC_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def production_static_settings(static_root: str) -> override_settings:
    from django.conf import settings

    from marketplace.settings.base import production_middleware

    return override_settings(
        STATIC_ROOT=static_root,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": PRODUCTION_STATIC_STORAGE},
        },
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
        MIDDLEWARE=production_middleware(settings.MIDDLEWARE),
    )


def collect_production_static() -> str:
    """collectstatic into a new temporary folder, as a deploy does; its path."""
    from django.core.management import call_command

    static_root = tempfile.mkdtemp(prefix="marketplace-test-static-")
    with production_static_settings(static_root):
        call_command("collectstatic", interactive=False, verbosity=0)
    return static_root


def _no_static_handler(app):
    """Let the WSGI app (WhiteNoiseMiddleware) serve /static/ itself."""
    return app


class ProductionLiveServer:
    """A live server thread whose middleware is built under production's
    static settings (the override stays on while it runs)."""

    def __init__(self, static_root: str):
        self._settings = production_static_settings(static_root)
        self._thread = None

    def start(self) -> str:
        self._settings.enable()
        self._thread = LiveServerThread("localhost", _no_static_handler)
        self._thread.daemon = True
        self._thread.start()
        self._thread.is_ready.wait()
        if self._thread.error:
            self.stop()
            raise self._thread.error
        return f"http://localhost:{self._thread.port}"

    def stop(self) -> None:
        if self._thread is not None:
            self._thread.terminate()
            self._thread = None
        self._settings.disable()
