"""Purging media nobody needs any more: cached tutor speech that no stored row
plays, speech files a crash left without a row, and learner recordings no row
points to. A file a stored row points to is kept, however old.

Ages: a speech clip is judged by its row (created and last used before the
cutoff: a cache hit bumps `last_used_at`); a file without a row by the storage's
modified time. Everything goes through `default_storage`, so an object store
works as well as MEDIA_ROOT."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from tutor.models import SpeechClip

SPEECH_DIR = "speech"
RECORDINGS_DIR = "private/recordings"
BATCH_SIZE = 500

SPEECH_CLIP = "speech clip"
ORPHAN_SPEECH_FILE = "orphan speech file"
EXPIRED_RECORDING = "expired recording"

# (kind, storage name, bytes): called for every file removed, or that would be.
Reporter = Callable[[str, str, int], None]


@dataclass
class Tally:
    count: int = 0
    bytes: int = 0

    def add(self, size: int) -> None:
        self.count += 1
        self.bytes += size


@dataclass
class PurgeResult:
    speech_clips: Tally = field(default_factory=Tally)
    orphan_speech_files: Tally = field(default_factory=Tally)
    recordings: Tally = field(default_factory=Tally)


def purge_media(
    *, older_than: timedelta, dry_run: bool = False, report: Reporter | None = None
) -> PurgeResult:
    """Removes what nothing stored points to and is older than `older_than`;
    with `dry_run`, removes nothing and reports (and counts) the same."""
    cutoff = timezone.now() - older_than
    report = report or (lambda kind, name, size: None)
    result = PurgeResult()
    _purge_speech_clips(cutoff, dry_run=dry_run, tally=result.speech_clips, report=report)
    for top, kind, tally in (
        (SPEECH_DIR, ORPHAN_SPEECH_FILE, result.orphan_speech_files),
        (RECORDINGS_DIR, EXPIRED_RECORDING, result.recordings),
    ):
        _purge_unreferenced_files(
            top, cutoff, kind=kind, dry_run=dry_run, tally=tally, report=report
        )
    return result


def stale_speech_clips(cutoff: datetime) -> models.QuerySet[SpeechClip]:
    """Cached clips not used since `cutoff` that no row points to (a turn's
    spoken reply, a session's opening line, or any relation added later)."""
    clips = SpeechClip.objects.filter(created_at__lt=cutoff, last_used_at__lt=cutoff)
    for relation in SpeechClip._meta.get_fields(include_hidden=True):
        if relation.is_relation and relation.auto_created and not relation.concrete:
            pointing = relation.related_model._base_manager.filter(
                **{relation.field.name: OuterRef("pk")}
            )
            clips = clips.filter(~Exists(pointing))
    return clips


def _purge_speech_clips(cutoff: datetime, *, dry_run: bool, tally: Tally, report: Reporter) -> None:
    stale = stale_speech_clips(cutoff)
    last_pk = 0
    while batch := list(
        stale.filter(pk__gt=last_pk).order_by("pk").values_list("pk", "audio")[:BATCH_SIZE]
    ):
        last_pk = batch[-1][0]
        if not dry_run:
            with transaction.atomic():
                # Checked again under lock: a turn may have picked one up since.
                batch = list(
                    stale.select_for_update()
                    .filter(pk__in=[pk for pk, _ in batch])
                    .order_by()
                    .values_list("pk", "audio")
                )
                SpeechClip.objects.filter(pk__in=[pk for pk, _ in batch]).delete()
        # The rows go first: a file left behind by a crash is an orphan the next run removes.
        names = [name for _, name in batch if name]
        still_used = set() if dry_run else referenced_names(among=names)
        for _, name in batch:
            # A row may point to a file that is already gone: the row still goes.
            present = bool(name) and name not in still_used and default_storage.exists(name)
            size = _size(name) if present else 0
            if present and not dry_run:
                default_storage.delete(name)
            tally.add(size)
            report(SPEECH_CLIP, name, size)


def _purge_unreferenced_files(
    top: str, cutoff: datetime, *, kind: str, dry_run: bool, tally: Tally, report: Reporter
) -> None:
    referenced = referenced_names(prefix=f"{top}/")
    batch: list[str] = []
    for name in _walk(top):
        if name not in referenced and _modified_before(name, cutoff):
            batch.append(name)
        if len(batch) >= BATCH_SIZE:
            _remove_files(batch, kind=kind, dry_run=dry_run, tally=tally, report=report)
            batch = []
    _remove_files(batch, kind=kind, dry_run=dry_run, tally=tally, report=report)


def _remove_files(
    names: list[str], *, kind: str, dry_run: bool, tally: Tally, report: Reporter
) -> None:
    # Checked again just before removing: a row may have been stored since the scan began.
    still_used = referenced_names(among=names) if names else set()
    for name in names:
        if name in still_used:
            continue
        size = _size(name)
        if not dry_run:
            default_storage.delete(name)
        tally.add(size)
        report(kind, name, size)


def referenced_names(*, prefix: str = "", among: Iterable[str] | None = None) -> set[str]:
    """Storage names stored in any FileField of any model: under `prefix`, or of
    `among`. One query per field (streamed), never one per file."""
    among = list(among) if among is not None else None
    found: set[str] = set()
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for file_field in model._meta.concrete_fields:
            if not isinstance(file_field, models.FileField):
                continue
            rows = model._base_manager.exclude(**{file_field.name: ""})
            if among is not None:
                rows = rows.filter(**{f"{file_field.name}__in": among})
            elif prefix:
                rows = rows.filter(**{f"{file_field.name}__startswith": prefix})
            found.update(
                rows.order_by()
                .values_list(file_field.name, flat=True)
                .iterator(chunk_size=BATCH_SIZE * 4)
            )
    return found


def _walk(top: str) -> Iterator[str]:
    """Every file under `top` in the storage (none when it does not exist)."""
    try:
        directories, files = default_storage.listdir(top)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(top, name)
    for directory in sorted(directories):
        yield from _walk(posixpath.join(top, directory))


def _modified_before(name: str, cutoff: datetime) -> bool:
    try:
        return default_storage.get_modified_time(name) < cutoff
    except FileNotFoundError:  # removed by someone else since it was listed
        return False


def _size(name: str) -> int:
    try:
        return default_storage.size(name)
    except FileNotFoundError:
        return 0
