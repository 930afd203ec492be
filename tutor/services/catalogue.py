"""The published lesson catalogue as the API serves it, kept in the shared cache.

The catalogue changes only when someone edits a lesson, yet every learner reads it:
it is serialised once into the cache with an ETag per lesson and for the whole
list, and a learner's own positions are laid over it afterwards (one query)."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from tutor.api.serializers import LessonSerializer
from tutor.models import Lesson, LessonStep, User

from .sessions import lesson_positions

CATALOGUE_KEY = "lessons:catalogue"
CHANGED_KEY = "lessons:changed-at"
VERSION_KEY = "lessons:version"
# How long one cached catalogue is trusted without a change being announced: what a
# change from a process that does not share this cache (a per-process memory cache
# in development, a command run while Redis was down) waits for, at most.
CATALOGUE_SECONDS = 60


@dataclass
class _Held:
    """This process's copy of the catalogue: its version, when it was fetched, the
    catalogue, and the anonymous list already rendered as JSON."""

    version: str
    fetched: float
    catalogue: dict
    body: bytes


_held: _Held | None = None


@dataclass(frozen=True)
class CatalogueView:
    """What one reader gets: the JSON body, its ETag and, for the anonymous
    catalogue only, when it last changed (a learner's progress has no timestamp)."""

    data: object
    etag: str
    modified: datetime | None
    body: bytes | None = None  # `data` rendered as JSON, when the same for everyone


def forget_catalogue() -> None:
    """Throw the cached catalogue away after a lesson or step changed: now, and again
    when the change commits, in case a reader cached the old rows in between. A new
    version tells every process that its own copy is stale."""
    cache.set(CHANGED_KEY, timezone.now(), None)
    _forget()
    transaction.on_commit(_forget)


def _forget() -> None:
    global _held
    cache.set(VERSION_KEY, uuid4().hex, None)
    cache.delete(CATALOGUE_KEY)
    _held = None


def on_lesson_change(sender, **kwargs) -> None:
    # A signal, against our habit of explicit calls: the catalogue must be forgotten
    # whoever writes a lesson (admin, seed_lessons, a shell), which only signals see.
    # Bulk writes (QuerySet.update, bulk_create) call forget_catalogue() themselves.
    forget_catalogue()


def _etag(*parts: object) -> str:
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _build() -> dict:
    steps = LessonStep.objects.order_by("position").only(
        "lesson_id", "position", "title", "updated_at"
    )
    lessons = [
        lesson
        for lesson in Lesson.objects.published().prefetch_related(Prefetch("steps", queryset=steps))
        if lesson.steps.all()
    ]
    items = LessonSerializer(lessons, many=True).data
    times = [lesson.updated_at for lesson in lessons]
    times += [step.updated_at for lesson in lessons for step in lesson.steps.all()]
    changed_at = cache.get(CHANGED_KEY)
    if changed_at is not None:
        times.append(changed_at)
    return {
        "lessons": [dict(item) for item in items],
        "etags": {item["id"]: _etag(item) for item in items},
        "etag": _etag(items),
        "modified": max(times, default=None),
    }


def _catalogue() -> _Held:
    """The catalogue at its current version: this process's copy while the shared
    version matches it (one small cache read), else the shared cache's, else built."""
    global _held
    version = cache.get(VERSION_KEY)
    held = _held
    if (
        held is not None
        and version == held.version
        and time.time() - held.fetched < CATALOGUE_SECONDS
    ):
        return held
    if version is None:
        version = uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    catalogue = cache.get(CATALOGUE_KEY)
    if catalogue is None or catalogue.get("version") != version:
        catalogue = {**_build(), "version": version}
        cache.set(CATALOGUE_KEY, catalogue, CATALOGUE_SECONDS)
    held = _Held(version, time.time(), catalogue, JSONRenderer().render(catalogue["lessons"]))
    _held = held
    return held


def _positions(learner: User | None) -> dict[str, tuple[int, bool]] | None:
    if learner is None or not learner.is_authenticated:
        return None
    return {str(lesson_id): position for lesson_id, position in lesson_positions(learner).items()}


def _with_position(item: dict, positions: dict[str, tuple[int, bool]]) -> dict:
    current_step, completed = positions.get(item["id"], (1, False))
    return {**item, "current_step": current_step, "completed": completed}


def lesson_list(*, learner: User | None) -> CatalogueView:
    """The published lessons with steps, in order; where `learner` is in each. The
    anonymous list comes rendered (`body`): the same bytes for everyone."""
    held = _catalogue()
    catalogue = held.catalogue
    positions = _positions(learner)
    if positions is None:
        return CatalogueView(
            catalogue["lessons"], catalogue["etag"], catalogue["modified"], body=held.body
        )
    data = [_with_position(item, positions) for item in catalogue["lessons"]]
    return CatalogueView(data, _etag(catalogue["etag"], sorted(positions.items())), None)


def lesson_detail(*, lesson_id: UUID, learner: User | None) -> CatalogueView | None:
    """One published lesson with steps (None when there is no such lesson)."""
    catalogue = _catalogue().catalogue
    lesson_id = str(lesson_id)
    item = next((item for item in catalogue["lessons"] if item["id"] == lesson_id), None)
    if item is None:
        return None
    etag = catalogue["etags"][lesson_id]
    positions = _positions(learner)
    if positions is None:
        return CatalogueView(item, etag, catalogue["modified"])
    position = positions.get(lesson_id)
    return CatalogueView(_with_position(item, positions), _etag(etag, position), None)
