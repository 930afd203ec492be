"""WSGI entry point: `gunicorn macca.wsgi` in production."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "macca.settings")

application = get_wsgi_application()
