"""Pronunciation (API.md, "Pronunciation"): the hard sounds in a target with tips,
readings scored from what speech recognition heard, saved to the learner's own
history with the recording kept privately, and scores that are never invented."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import providers
from providers.schemas import Transcript
from tests.audio import wav_bytes
from tutor.models import PronunciationAttempt
from tutor.services.pronunciation_data import HARD_SOUNDS

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
SENTENCE = "I think this is very good"
MISHEARD = "I sink dis is fery good"

ANALYZE_KEYS = {"word", "target_sound", "status", "tip_id", "tip_en", "score"}
ATTEMPT_KEYS = {
    "id",
    "target",
    "transcript",
    "accuracy",
    "completeness",
    "overall",
    "words",
    "audio_url",
    "degraded",
    "method",
    "message",
    "created_at",
}
RESULT_KEYS = ATTEMPT_KEYS | {"issues"}
WORD_KEYS = {
    "word",
    "heard",
    "status",
    "score",
    "sounds",
    "missing",
    "confidence",
    "expected",
    "phones",
    "start",
    "end",
}
SOUND_KEYS = {"target_sound", "heard_sound", "ok", "code", "confidence"}
ISSUE_KEYS = {"word", "code", "target_sound", "heard_sound", "message", "tip"}
MISSING = uuid.UUID("00000000-0000-4000-8000-000000000000")


# --- Helpers ---------------------------------------------------------------------------


def hear(monkeypatch, text: str, *, degraded: bool = False) -> None:
    """Speech recognition hears `text` (or fails), whatever the recording says."""

    def transcribe(audio, content_type, language="en", *, expected_text=None, **hints):
        return Transcript(text=text, degraded=degraded)

    monkeypatch.setattr(providers.get_asr(), "transcribe", transcribe)


def analyze(client, word):
    return client.post("/api/pronunciation/analyze", {"word": word}, format="json")


def upload(content: bytes, name: str = "reading.wav"):
    return SimpleUploadedFile(name, content, content_type="audio/wav")


def record(client, target: str | None = SENTENCE, content: bytes | None = None, **extra):
    body = dict(extra)
    if target is not None:
        body["target"] = target
    if content is not None:
        body["audio"] = upload(content)
    return client.post("/api/pronunciation/attempts", body, format="multipart")


def analyze_audio(client, word: str | None, content: bytes | None = None):
    body = {}
    if word is not None:
        body["word"] = word
    if content is not None:
        body["audio"] = upload(content)
    return client.post("/api/pronunciation/analyze/audio", body, format="multipart")


def sound(items: list[dict], word: str, target_sound: str) -> dict:
    return next(i for i in items if i["word"] == word and i["target_sound"] == target_sound)


def word_result(body: dict, word: str) -> dict:
    return next(w for w in body["words"] if w["word"] == word)


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def recordings_of(settings, learner) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "private" / "recordings" / str(learner.pk)
    return sorted(folder.iterdir()) if folder.exists() else []


def path_of(url: str) -> str:
    assert url.startswith("http://testserver/")
    return url.removeprefix("http://testserver")


# --- POST /api/pronunciation/analyze ---------------------------------------------------


def test_it_names_the_hard_sounds_in_a_word_with_tips_in_both_languages(alice_api):
    response = analyze(alice_api, "think")

    assert response.status_code == 200
    items = response.json()
    assert isinstance(items, list) and items
    for item in items:
        assert set(item) == ANALYZE_KEYS
        assert item["word"] == "think"
        assert item["status"] in {"excellent", "good", "needs_work"}
    th = sound(items, "think", "θ")
    assert th["tip_id"] == HARD_SOUNDS["th_voiceless"]["tip_id"]
    assert th["tip_en"] == HARD_SOUNDS["th_voiceless"]["tip_en"]
    assert "lidah" in th["tip_id"]  # Indonesian
    assert "tongue" in th["tip_en"]  # English


def test_a_sound_never_tried_has_no_score_and_needs_work(alice_api):
    items = analyze(alice_api, "think").json()

    assert all(item["score"] is None for item in items)
    assert all(item["status"] == "needs_work" for item in items)


def test_the_score_is_the_learners_own_average_for_the_sound(alice, alice_api, monkeypatch):
    assert record(alice_api, "think", wav_bytes()).status_code == 201  # the mock hears it right
    hear(monkeypatch, "sink")
    assert record(alice_api, "think", wav_bytes()).status_code == 201

    th = sound(analyze(alice_api, "think").json(), "think", "θ")

    assert th["score"] == 50
    assert th["status"] == "needs_work"


def test_another_learners_attempts_do_not_score_my_sounds(alice_api, bob_api, monkeypatch):
    record(alice_api, "think", wav_bytes())
    hear(monkeypatch, "sink")
    record(alice_api, "think", wav_bytes())

    th = sound(analyze(bob_api, "think").json(), "think", "θ")

    assert th["score"] is None
    assert th["status"] == "needs_work"
    assert sound(analyze(alice_api, "think").json(), "think", "θ")["score"] == 50


def test_each_occurrence_of_a_word_counts_on_its_own(alice_api, monkeypatch):
    """The first "she" is heard as "see", the second one is said right: 5 of the 6 /ʃ/
    sounds in the sentence were produced, so the average is 83, not 67."""
    sentence = HARD_SOUNDS["sh"]["sentence"]  # She should wash the fish before she shops.
    hear(monkeypatch, sentence.replace("She", "See", 1))
    assert record(alice_api, sentence, wav_bytes()).status_code == 201

    sh = sound(analyze(alice_api, "she").json(), "she", "ʃ")

    assert sh["score"] == 83
    assert sh["status"] == "good"


def test_a_sentence_lists_each_words_hard_sounds_in_order(alice_api):
    items = analyze(alice_api, SENTENCE).json()

    words = list(dict.fromkeys(item["word"] for item in items))
    assert words == ["think", "this", "is", "very", "good"]
    sounds = {(item["word"], item["target_sound"]) for item in items}
    assert {("think", "θ"), ("this", "ð"), ("very", "v")} <= sounds
    assert sound(items, "this", "ð")["tip_en"] == HARD_SOUNDS["th_voiced"]["tip_en"]
    assert sound(items, "very", "v")["tip_id"] == HARD_SOUNDS["v"]["tip_id"]


def test_a_word_with_no_hard_sound_answers_an_empty_list(alice_api):
    response = analyze(alice_api, "a")

    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize(
    "body",
    [{}, {"word": ""}, {"word": "   "}, {"word": "think " * 60}],
    ids=["missing", "empty", "blank", "over 300 characters"],
)
def test_it_rejects_a_missing_blank_or_overlong_word(alice_api, body):
    response = alice_api.post("/api/pronunciation/analyze", body, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"word"}


def test_a_word_of_300_characters_is_accepted(alice_api):
    assert analyze(alice_api, ("think " * 50)[:300]).status_code == 200


def test_analyze_needs_a_signed_in_learner(anon):
    assert analyze(anon, "think").status_code == 401


# --- POST /api/pronunciation/attempts --------------------------------------------------


def test_a_reading_is_scored_and_answered_with_every_field(alice_api):
    response = record(alice_api, SENTENCE, wav_bytes(1))

    assert response.status_code == 201
    body = response.json()
    assert set(body) == RESULT_KEYS
    assert uuid.UUID(body["id"])
    assert body["target"] == SENTENCE
    assert body["degraded"] is False
    assert isinstance(body["created_at"], str)
    assert body["audio_url"] == f"http://testserver/api/pronunciation/attempts/{body['id']}/audio"
    assert [w["word"] for w in body["words"]] == ["i", "think", "this", "is", "very", "good"]
    for word in body["words"]:
        assert set(word) == WORD_KEYS


def test_a_perfect_reading_scores_100_with_no_issues(alice_api):
    body = record(alice_api, SENTENCE, wav_bytes(1)).json()  # the mock hears the target

    assert body["transcript"] == SENTENCE
    assert (body["accuracy"], body["completeness"], body["overall"]) == (100, 100, 100)
    for word in body["words"]:
        assert word["status"] == "excellent"
        assert word["score"] == 100
        assert word["sounds"] == []
    assert body["issues"] == []


def test_a_misheard_reading_names_the_sounds_in_the_learners_language(
    alice, alice_api, monkeypatch
):
    assert alice.explanation_language == "id"
    hear(monkeypatch, MISHEARD)

    body = record(alice_api, SENTENCE, wav_bytes(1)).json()

    assert body["transcript"] == MISHEARD
    assert body["accuracy"] < 100
    assert body["completeness"] == 100
    assert body["overall"] < 100
    issues = body["issues"]
    for issue in issues:
        assert set(issue) == ISSUE_KEYS
    assert [(i["word"], i["code"]) for i in issues] == [
        ("think", "th_voiceless"),
        ("this", "th_voiced"),
        ("very", "v"),
    ]
    think = issues[0]
    assert (think["target_sound"], think["heard_sound"]) == ("θ", "s")
    assert think["message"] == "Kamu mengucapkan /s/ untuk /θ/ pada “think”."
    assert think["tip"] == HARD_SOUNDS["th_voiceless"]["tip_id"]


def test_a_learner_who_reads_explanations_in_english_gets_english_messages(
    alice, alice_api, monkeypatch
):
    alice.explanation_language = "en"
    alice.save(update_fields=["explanation_language"])
    hear(monkeypatch, MISHEARD)

    issues = record(alice_api, SENTENCE, wav_bytes(1)).json()["issues"]

    assert issues[0]["message"] == "You said /s/ for /θ/ in “think”."
    assert issues[0]["tip"] == HARD_SOUNDS["th_voiceless"]["tip_en"]
    assert issues[2]["message"] == "You said /f/ for /v/ in “very”."


def test_each_word_says_what_was_heard_and_which_sounds_differed(alice_api, monkeypatch):
    hear(monkeypatch, MISHEARD)

    body = record(alice_api, SENTENCE, wav_bytes(1)).json()

    think = word_result(body, "think")
    assert think["heard"] == "sink"
    assert think["status"] == "needs_work"
    assert think["score"] < 100
    assert think["sounds"] == [
        {
            "target_sound": "θ",
            "heard_sound": "s",
            "ok": False,
            "code": "th_voiceless",
            "confidence": None,
        }
    ]
    for word in body["words"]:
        for sound_result in word["sounds"]:
            assert set(sound_result) == SOUND_KEYS
    assert word_result(body, "this")["sounds"] == [
        {
            "target_sound": "ð",
            "heard_sound": "d",
            "ok": False,
            "code": "th_voiced",
            "confidence": None,
        }
    ]
    assert word_result(body, "very")["sounds"] == [
        {"target_sound": "v", "heard_sound": "f", "ok": False, "code": "v", "confidence": None}
    ]
    assert word_result(body, "good") == {
        "word": "good",
        "heard": "good",
        "status": "excellent",
        "score": 100,
        "sounds": [],
        "missing": False,
        "confidence": None,
        "expected": "",
        "phones": [],
        "start": None,
        "end": None,
    }
    assert body["method"] == "transcript"  # the test stand-ins hear no sounds


def test_the_attempt_is_saved_with_its_words_and_recording(alice, alice_api, monkeypatch, settings):
    hear(monkeypatch, MISHEARD)
    audio = wav_bytes(1)

    body = record(alice_api, SENTENCE, audio).json()

    attempt = PronunciationAttempt.objects.get(pk=body["id"])
    assert attempt.learner == alice
    assert attempt.target_text == SENTENCE
    assert attempt.transcript == MISHEARD
    assert (attempt.accuracy, attempt.completeness, attempt.overall) == (
        body["accuracy"],
        body["completeness"],
        body["overall"],
    )
    assert attempt.degraded is False
    assert [w["word"] for w in attempt.words] == ["i", "think", "this", "is", "very", "good"]
    think = next(w for w in attempt.words if w["word"] == "think")
    assert (think["heard"], think["score"], think["status"]) == ("sink", 75, "needs_work")
    saved = recordings_of(settings, alice)
    assert len(saved) == 1
    assert saved[0].read_bytes() == audio
    assert attempt.audio.name == f"private/recordings/{alice.pk}/{saved[0].name}"


def test_the_attempt_target_is_kept_with_its_spacing_tidied(alice_api):
    body = record(alice_api, "  I   think\n this  ", wav_bytes()).json()

    assert body["target"] == "I think this"
    assert PronunciationAttempt.objects.get(pk=body["id"]).target_text == "I think this"


def test_the_owner_can_replay_the_reading(alice_api):
    audio = wav_bytes(1)
    body = record(alice_api, SENTENCE, audio).json()

    response = alice_api.get(path_of(body["audio_url"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    assert response["Accept-Ranges"] == "bytes"
    assert response.content == audio


def test_the_reading_answers_range_requests(alice_api):
    audio = wav_bytes(1)
    body = record(alice_api, SENTENCE, audio).json()

    response = alice_api.get(path_of(body["audio_url"]), headers={"Range": "bytes=0-9"})

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-9/{len(audio)}"
    assert response.content == audio[:10]


def test_other_learners_cannot_replay_the_reading(alice_api, bob_api):
    audio = wav_bytes(1)
    body = record(alice_api, SENTENCE, audio).json()

    response = bob_api.get(path_of(body["audio_url"]))

    assert response.status_code == 404
    assert response.content != audio


def test_the_reading_needs_a_signed_in_learner_to_replay(alice_api, anon):
    body = record(alice_api, SENTENCE, wav_bytes(1)).json()

    assert anon.get(path_of(body["audio_url"])).status_code == 401


def test_an_unknown_attempt_has_no_recording(alice_api):
    response = alice_api.get(f"/api/pronunciation/attempts/{MISSING}/audio")

    assert response.status_code == 404


def test_a_failed_recognition_keeps_the_recording_and_scores_nothing(
    alice, alice_api, monkeypatch, settings
):
    hear(monkeypatch, "", degraded=True)
    audio = wav_bytes(1)

    response = record(alice_api, SENTENCE, audio)

    assert response.status_code == 201
    body = response.json()
    assert set(body) == RESULT_KEYS
    assert body["degraded"] is True
    assert (body["accuracy"], body["completeness"], body["overall"]) == (0, 0, 0)
    assert body["words"] == []
    assert body["issues"] == []
    attempt = PronunciationAttempt.objects.get(pk=body["id"])
    assert attempt.degraded is True
    assert [p.read_bytes() for p in recordings_of(settings, alice)] == [audio]
    assert alice_api.get(path_of(body["audio_url"])).content == audio


def test_a_failed_recognition_does_not_count_towards_the_average(alice_api, monkeypatch):
    assert record(alice_api, "think", wav_bytes()).status_code == 201  # heard right
    hear(monkeypatch, "", degraded=True)
    assert record(alice_api, "think", wav_bytes()).status_code == 201

    th = sound(analyze(alice_api, "think").json(), "think", "θ")

    assert th["score"] == 100
    assert th["status"] == "excellent"


def assert_nothing_written(settings):
    assert not PronunciationAttempt.objects.exists()
    assert stored_files(settings) == []


def test_it_rejects_an_image_named_like_a_recording(alice_api, settings):
    response = alice_api.post(
        "/api/pronunciation/attempts",
        {"target": SENTENCE, "audio": upload(PNG, "reading.wav")},
        format="multipart",
    )

    assert response.status_code == 415
    assert set(response.json()) == {"audio"}
    assert_nothing_written(settings)


def test_it_rejects_an_empty_recording(alice_api, settings):
    response = record(alice_api, SENTENCE, b"")

    assert response.status_code == 400
    assert set(response.json()) == {"audio"}
    assert "empty" in response.json()["audio"][0]
    assert_nothing_written(settings)


def test_it_asks_for_the_recording_when_it_is_missing(alice_api, settings):
    response = record(alice_api, SENTENCE, None)

    assert response.status_code == 400
    assert set(response.json()) == {"audio"}
    assert_nothing_written(settings)


@pytest.mark.parametrize(
    "target", [None, "", "   ", "123 !?"], ids=["missing", "empty", "blank", "no letters"]
)
def test_it_rejects_a_reading_without_a_target(alice_api, settings, target):
    response = record(alice_api, target, wav_bytes(1))

    assert response.status_code == 400
    assert set(response.json()) == {"target"}
    assert_nothing_written(settings)


def test_it_rejects_a_target_over_300_characters(alice_api, settings):
    response = record(alice_api, "think " * 60, wav_bytes(1))

    assert response.status_code == 400
    assert set(response.json()) == {"target"}
    assert_nothing_written(settings)


def test_it_rejects_a_reading_longer_than_the_limit(alice_api, settings):
    settings.MAX_AUDIO_SECONDS = 2

    response = record(alice_api, SENTENCE, wav_bytes(3))

    assert response.status_code == 413
    assert set(response.json()) == {"audio"}
    assert "longer than 2 seconds" in response.json()["audio"][0]
    assert_nothing_written(settings)


def test_recording_an_attempt_needs_a_signed_in_learner(db, anon, settings):
    response = record(anon, SENTENCE, wav_bytes(1))

    assert response.status_code == 401
    assert_nothing_written(settings)


# --- GET /api/pronunciation/attempts ---------------------------------------------------


def make_attempts(learner, n: int) -> list[PronunciationAttempt]:
    """`n` saved attempts, one minute apart, the last one newest."""
    start = timezone.now() - timedelta(hours=1)
    return PronunciationAttempt.objects.bulk_create(
        [
            PronunciationAttempt(
                learner=learner,
                target_text=f"attempt {i}",
                transcript=f"attempt {i}",
                accuracy=100,
                completeness=100,
                overall=100,
                words=[],
                created_at=start + timedelta(minutes=i),
            )
            for i in range(n)
        ]
    )


def test_the_history_is_paginated_newest_first(alice, alice_api):
    first = record(alice_api, "think", wav_bytes()).json()
    second = record(alice_api, SENTENCE, wav_bytes()).json()

    response = alice_api.get("/api/pronunciation/attempts")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    assert (body["next"], body["previous"]) == (None, None)
    assert [a["id"] for a in body["results"]] == [second["id"], first["id"]]
    for attempt in body["results"]:
        assert set(attempt) == ATTEMPT_KEYS
    assert body["results"][1] == {key: first[key] for key in ATTEMPT_KEYS}


def test_the_history_pages_through_many_attempts(alice, alice_api):
    attempts = make_attempts(alice, 25)

    first = alice_api.get("/api/pronunciation/attempts").json()
    second = alice_api.get(path_of(first["next"])).json()

    assert first["count"] == 25
    listed = [a["id"] for a in first["results"] + second["results"]]
    assert listed == [str(a.pk) for a in reversed(attempts)]
    assert second["next"] is None


def test_the_history_lists_only_the_learners_own_attempts(alice_api, bob_api):
    record(alice_api, SENTENCE, wav_bytes())
    bobs = record(bob_api, "think", wav_bytes()).json()

    body = bob_api.get("/api/pronunciation/attempts").json()

    assert body["count"] == 1
    assert [a["id"] for a in body["results"]] == [bobs["id"]]


def test_the_history_costs_the_same_queries_for_2_or_30_attempts(alice, alice_api):
    make_attempts(alice, 2)
    with CaptureQueriesContext(connection) as few:
        assert alice_api.get("/api/pronunciation/attempts").status_code == 200
    make_attempts(alice, 28)
    with CaptureQueriesContext(connection) as many:
        response = alice_api.get("/api/pronunciation/attempts")

    assert response.json()["count"] == 30
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_history_needs_a_signed_in_learner(anon):
    assert anon.get("/api/pronunciation/attempts").status_code == 401


# --- GET /api/pronunciation/attempts/{id} ----------------------------------------------


def test_the_owner_can_read_an_attempt(alice_api, monkeypatch):
    hear(monkeypatch, MISHEARD)
    created = record(alice_api, SENTENCE, wav_bytes()).json()

    response = alice_api.get(f"/api/pronunciation/attempts/{created['id']}")

    assert response.status_code == 200
    assert response.json() == {key: created[key] for key in ATTEMPT_KEYS}


def test_another_learners_attempt_is_not_found(alice_api, bob_api):
    created = record(alice_api, SENTENCE, wav_bytes()).json()

    response = bob_api.get(f"/api/pronunciation/attempts/{created['id']}")

    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


def test_an_unknown_attempt_is_not_found(alice_api):
    assert alice_api.get(f"/api/pronunciation/attempts/{MISSING}").status_code == 404


def test_reading_an_attempt_needs_a_signed_in_learner(alice_api, anon):
    created = record(alice_api, SENTENCE, wav_bytes()).json()

    assert anon.get(f"/api/pronunciation/attempts/{created['id']}").status_code == 401


# --- POST /api/pronunciation/analyze/audio ---------------------------------------------


def test_a_misread_word_needs_work_and_scores_that_reading(alice, alice_api, monkeypatch):
    hear(monkeypatch, "sink")

    response = analyze_audio(alice_api, "think", wav_bytes())

    assert response.status_code == 200
    items = response.json()
    for item in items:
        assert set(item) == ANALYZE_KEYS
    th = sound(items, "think", "θ")
    assert th["status"] == "needs_work"
    attempt = PronunciationAttempt.objects.get(learner=alice)
    assert th["score"] == attempt.words[0]["score"] == 75
    assert th["tip_id"] == HARD_SOUNDS["th_voiceless"]["tip_id"]
    assert th["tip_en"] == HARD_SOUNDS["th_voiceless"]["tip_en"]


def test_a_well_read_word_is_excellent(alice_api):
    items = analyze_audio(alice_api, "think", wav_bytes()).json()  # the mock hears it right

    th = sound(items, "think", "θ")
    assert th["status"] == "excellent"
    assert th["score"] == 100


def test_analysing_a_reading_saves_it_as_an_attempt(alice, alice_api, monkeypatch, settings):
    hear(monkeypatch, "sink")

    analyze_audio(alice_api, "think", wav_bytes())

    attempt = PronunciationAttempt.objects.get(learner=alice)
    assert (attempt.target_text, attempt.transcript) == ("think", "sink")
    assert len(recordings_of(settings, alice)) == 1
    listed = alice_api.get("/api/pronunciation/attempts").json()["results"]
    assert [a["id"] for a in listed] == [str(attempt.pk)]


def test_a_failed_recognition_still_gives_the_tips_and_no_invented_score(alice_api, monkeypatch):
    hear(monkeypatch, "", degraded=True)

    response = analyze_audio(alice_api, "think", wav_bytes())

    assert response.status_code == 200
    th = sound(response.json(), "think", "θ")
    assert th["score"] is None
    assert th["tip_en"] == HARD_SOUNDS["th_voiceless"]["tip_en"]


def test_analysing_a_reading_rejects_a_missing_word_and_keeps_nothing(alice_api, settings):
    response = analyze_audio(alice_api, None, wav_bytes())

    assert response.status_code == 400
    assert set(response.json()) == {"word"}
    assert_nothing_written(settings)


def test_analysing_a_reading_rejects_an_image_and_keeps_nothing(alice_api, settings):
    response = alice_api.post(
        "/api/pronunciation/analyze/audio",
        {"word": "think", "audio": upload(PNG, "reading.wav")},
        format="multipart",
    )

    assert response.status_code == 415
    assert_nothing_written(settings)


def test_analysing_a_reading_needs_a_signed_in_learner(db, anon, settings):
    assert analyze_audio(anon, "think", wav_bytes()).status_code == 401
    assert_nothing_written(settings)


# --- The OpenAPI document --------------------------------------------------------------

PRONUNCIATION_PATHS = {
    "/api/pronunciation/analyze": {"post"},
    "/api/pronunciation/analyze/audio": {"post"},
    "/api/pronunciation/attempts": {"get", "post"},
    "/api/pronunciation/attempts/{attempt_id}": {"get"},
    "/api/pronunciation/attempts/{attempt_id}/audio": {"get"},
}


@pytest.fixture
def schema(db, anon) -> dict:
    response = anon.get("/api/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_documents_the_pronunciation_endpoints(schema):
    for path, methods in PRONUNCIATION_PATHS.items():
        assert path in schema["paths"], path
        assert set(schema["paths"][path]) & {"get", "post", "put", "patch", "delete"} == methods


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/pronunciation/analyze", "post"),
        ("/api/pronunciation/analyze/audio", "post"),
        ("/api/pronunciation/attempts", "get"),
        ("/api/pronunciation/attempts", "post"),
    ],
)
def test_the_schema_says_how_recordings_are_judged(schema, path, method):
    description = schema["paths"][path][method]["description"]

    assert "judged from the audio itself" in description
    assert "synthetic voices" in description


def test_recorded_attempts_share_the_turn_throttle(alice_api, monkeypatch):
    """Each attempt costs speech recognition, like a practice turn."""
    from tutor.api.throttles import TurnThrottle

    monkeypatch.setattr(TurnThrottle, "rate", "2/min", raising=False)
    for _ in range(2):
        assert record(alice_api, content=wav_bytes(1)).status_code == 201

    response = record(alice_api, content=wav_bytes(1))

    assert response.status_code == 429
    assert "Retry-After" in response
    assert alice_api.get("/api/pronunciation/attempts").status_code == 200
