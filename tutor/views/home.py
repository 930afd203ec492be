"""The visitor's home page: what Macca does, and a way in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tutor.models import Lesson


def home(request: HttpRequest) -> HttpResponse:
    """What Macca is, and the lessons a learner can practise; learners go to their dashboard."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    lessons = Lesson.objects.published().only(
        "title", "subtitle", "objective", "level", "goal", "target_vocabulary"
    )
    return render(request, "tutor/home.html", {"lessons": lessons})
