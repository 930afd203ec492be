"""(Being built in this session: replaced by its page module.)"""

from __future__ import annotations

from django.http import HttpResponse


def pronunciation(request, **kwargs):
    return HttpResponse("pronunciation")
