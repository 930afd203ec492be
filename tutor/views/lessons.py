"""(Being built in this session: replaced by its page module.)"""

from __future__ import annotations

from django.http import HttpResponse


def lesson_list(request, **kwargs):
    return HttpResponse("lesson_list")


def lesson_detail(request, **kwargs):
    return HttpResponse("lesson_detail")
