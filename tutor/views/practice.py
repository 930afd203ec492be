"""(Being built in this session: replaced by its page module.)"""

from __future__ import annotations

from django.http import HttpResponse


def practice(request, **kwargs):
    return HttpResponse("practice")
