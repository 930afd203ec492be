"""(Being built in this session: replaced by its page module.)"""

from __future__ import annotations

from django.http import HttpResponse


def signup(request, **kwargs):
    return HttpResponse("signup")


def onboarding(request, **kwargs):
    return HttpResponse("onboarding")


def settings_page(request, **kwargs):
    return HttpResponse("settings_page")
