"""Guided lessons: the published ones with this learner's progress, and one
lesson's steps, objective and words. Readable without an account, like the API."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tutor.models import Lesson, LessonStep
from tutor.services.sessions import lesson_positions


def _published_lessons():
    """Published lessons with their steps in order: two queries, whatever the count."""
    steps = LessonStep.objects.order_by("position").only(
        "lesson_id", "position", "title", "instruction"
    )
    return Lesson.objects.published().prefetch_related(Prefetch("steps", queryset=steps))


def _progress(request: HttpRequest) -> dict:
    return lesson_positions(request.user) if request.user.is_authenticated else {}


def _card(lesson: Lesson, positions: dict) -> dict:
    """What the pages show about a lesson and where this learner is in it."""
    steps = list(lesson.steps.all())
    started = lesson.pk in positions
    step, completed = positions.get(lesson.pk, (1, False))
    return {
        "lesson": lesson,
        "goal": lesson.get_goal_display(),
        "steps": steps,
        "total_steps": len(steps),
        "current_step": min(step, len(steps)) if steps else step,
        "started": started,
        "completed": completed,
    }


def lesson_list(request: HttpRequest) -> HttpResponse:
    positions = _progress(request)
    cards = [_card(lesson, positions) for lesson in _published_lessons()]
    context = {"cards": [card for card in cards if card["steps"]], "nav": "lessons"}
    return render(request, "tutor/lesson_list.html", context)


def lesson_detail(request: HttpRequest, lesson_id) -> HttpResponse:
    lesson = _published_lessons().filter(pk=lesson_id).first()
    if lesson is None:
        raise Http404("No such lesson.")
    card = _card(lesson, _progress(request))
    if not card["steps"]:
        raise Http404("No such lesson.")
    return render(request, "tutor/lesson_detail.html", {"card": card, "nav": "lessons"})
