"""(Being built in this session: replaced by its page module.)"""

from __future__ import annotations

from django.http import HttpResponse


def history(request, **kwargs):
    return HttpResponse("history")


def session_detail(request, **kwargs):
    return HttpResponse("session_detail")
