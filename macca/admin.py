"""The admin site, with the learners' login throttles on its login page: an admin's
password is the most valuable one to guess."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class MaccaAdminSite(admin.AdminSite):
    site_header = "Macca administration"
    site_title = "Macca admin"
    index_title = "Lessons, learners and practice"

    @property
    def login_form(self):
        from tutor.account_forms import AdminLoginForm

        return AdminLoginForm

    def index(self, request, extra_context=None):
        """The dashboard warns staff of what only a person can mend in the AI
        providers (credits, the token): learners silently get the fallbacks."""
        from providers.breaker import current_problems

        context = {"ai_problems": current_problems(), **(extra_context or {})}
        return super().index(request, context)

    def login(self, request, extra_context=None):
        from tutor.views.accounts import throttled_login

        response = super().login(request, extra_context)
        form = getattr(response, "context_data", {}).get("form")
        return throttled_login(response, form)


class MaccaAdminConfig(AdminConfig):
    default_site = "macca.admin.MaccaAdminSite"
