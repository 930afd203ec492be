"""Server-rendered pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Lesson


def home(request: HttpRequest) -> HttpResponse:
    """What Macca is, and the lessons a learner can practise."""
    lessons = Lesson.objects.published().only(
        "title", "subtitle", "objective", "level", "goal", "target_vocabulary"
    )
    return render(request, "tutor/home.html", {"lessons": lessons})
