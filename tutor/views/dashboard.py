"""(Being built in this session: replaced by its page module.)"""

from __future__ import annotations

from django.http import HttpResponse


def dashboard(request, **kwargs):
    return HttpResponse("dashboard")
