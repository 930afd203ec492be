"""`purge_media` removes cached speech and recordings nothing stored points to,
once they are older than --older-than; whatever a stored row points to stays."""

from __future__ import annotations

import os
import re
import uuid
from datetime import timedelta
from io import StringIO

import numpy as np
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.audio import wav_bytes
from tutor.models import Mode, PracticeSession, PronunciationAttempt, SpeechClip, Turn
from tutor.services.attempts import record_attempt
from tutor.services.audio import AudioUpload
from tutor.services.sessions import start_session
from tutor.services.turns import run_turn

pytestmark = pytest.mark.django_db

OLD = timedelta(days=45)
YOUNG = timedelta(days=2)


def stored(name: str, *, age: timedelta, size: int = 2048) -> str:
    """A file in the storage, last modified `age` ago."""
    name = default_storage.save(name, ContentFile(b"\0" * size))
    set_age(name, age)
    return name


def set_age(name: str, age: timedelta) -> None:
    when = (timezone.now() - age).timestamp()
    os.utime(default_storage.path(name), (when, when))


def clip(text: str, *, age: timedelta, size: int = 2048) -> SpeechClip:
    """A cached line of tutor speech, created and last used `age` ago (its file too)."""
    key = uuid.uuid4().hex * 2
    when = timezone.now() - age
    return SpeechClip.objects.create(
        key=key,
        model_id="mock-tts",
        text=text,
        audio=stored(f"speech/{key}.wav", age=age, size=size),
        content_type="audio/wav",
        created_at=when,
        last_used_at=when,
    )


def recording(learner, *, age: timedelta, size: int = 4096) -> str:
    return stored(f"private/recordings/{learner.pk}/{uuid.uuid4().hex}.wav", age=age, size=size)


def purge(*args: str, verbosity: int = 1) -> str:
    out = StringIO()
    call_command("purge_media", *args, verbosity=verbosity, stdout=out)
    return out.getvalue()


def exists(name: str) -> bool:
    return default_storage.exists(name)


def test_it_removes_old_speech_clips_no_turn_plays_row_and_file():
    old = clip("See you tomorrow!", age=OLD)
    young = clip("Good morning!", age=YOUNG)

    out = purge("--older-than", "30")

    assert not SpeechClip.objects.filter(pk=old.pk).exists()
    assert not exists(old.audio.name)
    assert SpeechClip.objects.filter(pk=young.pk).exists()
    assert exists(young.audio.name)
    assert "Removed 1 speech clip (2.0 KB), 0 orphan speech files (0 B)" in out


def test_it_keeps_an_old_clip_used_recently():
    """A cache hit bumps last_used_at: a clip still being heard is not stale."""
    reused = clip("How was your day?", age=OLD)
    SpeechClip.objects.filter(pk=reused.pk).update(last_used_at=timezone.now() - YOUNG)

    purge("--older-than", "30")

    assert SpeechClip.objects.filter(pk=reused.pk).exists()
    assert exists(reused.audio.name)


def test_it_keeps_clips_a_stored_turn_plays_however_old(alice):
    session = PracticeSession.objects.create(learner=alice, mode=Mode.LIVE_CONVERSATION)
    played = clip("Nice! You went to the office.", age=timedelta(days=3650))
    Turn.objects.create(session=session, position=1, role="tutor", text=played.text, speech=played)

    purge("--older-than", "30")

    assert SpeechClip.objects.filter(pk=played.pk).exists()
    assert exists(played.audio.name)


def test_it_keeps_a_sessions_opening_line_however_old(alice):
    started = start_session(learner=alice, mode=Mode.LIVE_CONVERSATION)
    opening = started.speech
    assert opening is not None
    SpeechClip.objects.update(created_at=timezone.now() - OLD, last_used_at=timezone.now() - OLD)
    set_age(opening.audio.name, OLD)

    out = purge("--older-than", "30")

    assert SpeechClip.objects.filter(pk=opening.pk).exists()
    assert exists(opening.audio.name)
    assert "Removed 0 speech clips (0 B), 0 orphan speech files (0 B)" in out


def test_it_removes_old_orphan_speech_files_and_keeps_young_ones():
    orphan = stored(f"speech/{'a' * 64}.wav", age=OLD, size=1024)
    young_orphan = stored(f"speech/{'b' * 64}.wav", age=YOUNG)
    kept = clip("Hello!", age=YOUNG)
    set_age(kept.audio.name, OLD)  # its row is young and nothing is stale about it

    out = purge("--older-than", "30")

    assert not exists(orphan)
    assert exists(young_orphan)
    assert exists(kept.audio.name)
    assert "1 orphan speech file (1.0 KB)" in out


def test_it_removes_old_recordings_no_row_points_to_and_keeps_young_ones(alice, bob):
    expired = [recording(alice, age=OLD), recording(bob, age=OLD, size=8192)]
    young = recording(alice, age=YOUNG)

    out = purge("--older-than", "30")

    assert not any(exists(name) for name in expired)
    assert exists(young)
    assert "2 expired recordings (12.0 KB)." in out


def test_it_never_removes_a_recording_a_stored_turn_or_attempt_points_to(alice):
    session = PracticeSession.objects.create(learner=alice, mode=Mode.LIVE_CONVERSATION)
    turn_audio = recording(alice, age=timedelta(days=3650))
    Turn.objects.create(session=session, position=1, role="learner", text="Hi", audio=turn_audio)
    attempt_audio = recording(alice, age=timedelta(days=3650))
    PronunciationAttempt.objects.create(
        learner=alice,
        target_text="three",
        accuracy=80,
        completeness=100,
        overall=86,
        audio=attempt_audio,
    )

    out = purge("--older-than", "1")

    assert exists(turn_audio)
    assert exists(attempt_audio)
    assert "0 expired recordings (0 B)." in out


def test_it_keeps_what_real_turns_and_attempts_stored_however_old(alice):
    """Through the services that write them: a voice turn and a pronunciation attempt."""
    audio = AudioUpload(
        data=wav_bytes(),
        content_type="audio/wav",
        extension=".wav",
        duration_seconds=0.5,
        samples=np.zeros(8000, np.float32),
    )
    session = start_session(learner=alice, mode=Mode.LIVE_CONVERSATION).session
    turn = run_turn(learner=alice, session=session, audio=audio)
    attempt, _ = record_attempt(learner=alice, target="Think about it.", audio=audio)
    names = [turn.learner_turn.audio.name, attempt.audio.name]
    names += list(SpeechClip.objects.values_list("audio", flat=True))
    ancient = timezone.now() - timedelta(days=3650)
    SpeechClip.objects.update(created_at=ancient, last_used_at=ancient)
    for name in names:
        set_age(name, timedelta(days=3650))

    out = purge("--older-than", "1")

    assert all(exists(name) for name in names), names
    assert SpeechClip.objects.count() == len(names) - 2
    assert out.startswith("Removed 0 speech clips (0 B), 0 orphan speech files (0 B), ")
    assert out.endswith(" 0 expired recordings (0 B).\n")


def test_a_clip_removed_with_its_turn_gone_is_purged_on_the_next_run(alice):
    session = PracticeSession.objects.create(learner=alice, mode=Mode.LIVE_CONVERSATION)
    played = clip("Bye!", age=OLD)
    Turn.objects.create(session=session, position=1, role="tutor", text="Bye!", speech=played)
    purge("--older-than", "30")
    assert SpeechClip.objects.filter(pk=played.pk).exists()

    session.delete()
    purge("--older-than", "30")

    assert not SpeechClip.objects.filter(pk=played.pk).exists()
    assert not exists(played.audio.name)


def test_dry_run_removes_nothing_and_reports_the_same(alice):
    old = clip("See you!", age=OLD)
    orphan = stored(f"speech/{'c' * 64}.wav", age=OLD)
    expired = recording(alice, age=OLD)

    dry = purge("--older-than", "30", "--dry-run", verbosity=2)

    assert SpeechClip.objects.filter(pk=old.pk).exists()
    assert all(exists(name) for name in (old.audio.name, orphan, expired))
    real = purge("--older-than", "30", verbosity=2)
    assert (
        dry.replace("Would remove", "Removed").replace("Dry run: would remove", "Removed") == real
    )
    assert "Dry run: would remove 1 speech clip (2.0 KB), 1 orphan speech file (2.0 KB), " in dry
    assert not any(exists(name) for name in (old.audio.name, orphan, expired))


def test_verbosity_2_lists_each_removed_file_and_the_summary_counts_bytes(alice):
    old = clip("See you!", age=OLD, size=12_697)
    orphan = stored(f"speech/{'d' * 64}.wav", age=OLD)
    expired = [recording(alice, age=OLD, size=32 * 1024) for _ in range(2)]

    out = purge("--older-than", "30", verbosity=2)

    lines = out.splitlines()
    assert f"Removed speech clip {old.audio.name} (12.4 KB)" in lines
    assert f"Removed orphan speech file {orphan} (2.0 KB)" in lines
    for name in expired:
        assert f"Removed expired recording {name} (32.0 KB)" in lines
    assert lines[-1] == (
        "Removed 1 speech clip (12.4 KB), 1 orphan speech file (2.0 KB), "
        "2 expired recordings (64.0 KB)."
    )


def test_it_is_quiet_at_verbosity_0(alice):
    recording(alice, age=OLD)
    assert purge("--older-than", "30", verbosity=0) == ""


def test_it_runs_on_an_empty_storage():
    assert purge("--older-than", "7") == (
        "Removed 0 speech clips (0 B), 0 orphan speech files (0 B), 0 expired recordings (0 B).\n"
    )


def queries_to_purge(learner, files: int) -> int:
    for n in range(files):
        recording(learner, age=OLD)
        stored(f"speech/{uuid.uuid4().hex * 2}.wav", age=OLD)
        clip(f"Line {n}", age=OLD)
    with CaptureQueriesContext(connection) as queries:
        out = purge("--older-than", "30")
    assert f"Removed {files} speech clip" in out
    assert f"{files} expired recording" in out
    return len(queries)


def test_its_query_count_does_not_grow_with_the_files(alice):
    assert queries_to_purge(alice, 1) == queries_to_purge(alice, 40)


@pytest.mark.parametrize("value", ["0", "-3", "abc", "1.5", "99999999"])
def test_a_bad_older_than_is_an_error_naming_the_option(value):
    with pytest.raises(CommandError, match=re.escape("--older-than")):
        call_command("purge_media", f"--older-than={value}", stdout=StringIO())


def test_older_than_is_required():
    with pytest.raises(CommandError, match=re.escape("--older-than")):
        call_command("purge_media", stdout=StringIO())


def test_a_stale_line_purged_while_it_is_reused_is_spoken_afresh(monkeypatch, settings):
    """speak() finds an old clip, purge_media removes it before the hit is recorded:
    the line is synthesized again rather than handed out as a deleted row."""
    from tutor.services.speech import speak

    old_clip, _ = speak("Tell me about your weekend.", owner=None)
    SpeechClip.objects.update(last_used_at=timezone.now() - OLD, created_at=timezone.now() - OLD)
    original_filter = SpeechClip.objects.filter

    def purged_meanwhile(*args, **kwargs):
        if "pk" in kwargs:  # the bump of last_used_at: the purge got there first
            original_filter(pk=kwargs["pk"]).delete()
        return original_filter(*args, **kwargs)

    monkeypatch.setattr(SpeechClip.objects, "filter", purged_meanwhile)
    clip_now, degraded = speak("Tell me about your weekend.", owner=None)
    monkeypatch.undo()

    assert not degraded
    assert clip_now.pk != old_clip.pk
    assert SpeechClip.objects.filter(pk=clip_now.pk).exists()
    assert exists(clip_now.audio.name)
