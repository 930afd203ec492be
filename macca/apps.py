from __future__ import annotations

import logging

from django.apps import AppConfig

logger = logging.getLogger("macca")


class MaccaConfig(AppConfig):
    """The project's own app: it owns the settings, so it checks them."""

    name = "macca"
    verbose_name = "Macca"

    def ready(self) -> None:
        import providers

        from . import checks  # noqa: F401  (registers the system checks)

        logger.info(providers.describe_mode())
