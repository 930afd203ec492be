"""(Being built in this session: replaced by its page module.)"""

from __future__ import annotations

from django.http import HttpResponse


def vocabulary_list(request, **kwargs):
    return HttpResponse("vocabulary_list")


def review(request, **kwargs):
    return HttpResponse("review")
