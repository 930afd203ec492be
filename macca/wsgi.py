"""WSGI entry point: `gunicorn macca.wsgi` in production, and what runserver serves.

The local speech models start loading in a background thread here, in every server
process, so the first turn does not wait for them (management commands and tests
never import this module)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "macca.settings")

application = get_wsgi_application()

import providers  # noqa: E402  (after Django is set up)

providers.warm_up()
