"""Hostile input, by hand: oversized and fake recordings, overlong text, every kind of
Unicode, SQL and HTML in every text field, wrong types, unknown choices, malformed
ids and bodies, and out-of-range numbers in query strings.

Each gets a 4xx naming what is wrong (or a 200 where the input is legitimately
fine), never a 5xx, and nothing is lost or half-written: a refused request leaves no
rows and no files behind; accepted text comes back as sent (but cleaned, below), in
the JSON and, escaped, on the pages that show it.

Decided behaviours pinned here:
- Text limits (characters): user_text 2000, topic 200, word 100, translation 200,
  example 500, name 150, pronunciation word/target 300, vocabulary search 100.
  Over a limit is a 400 naming the field; the OpenAPI schema gives each as maxLength.
- Text is cleaned (tutor.text.clean_text): NFC, without control, zero-width, bidi and
  other format characters (a zero-width joiner between two emoji stays; line breaks
  and tabs stay in user_text and example only). A limit counts the cleaned text; a
  value of only such characters is a 400 naming the field, even an optional one. A
  NUL stays a 400 (DRF's own check), and the pages drop it.
- Hostile requests: a bearer token that is not ASCII is 401; JSON nested over 32
  levels is 400; a Range position of more than 18 digits is 416; more than
  DATA_UPLOAD_MAX_NUMBER_FIELDS fields or DATA_UPLOAD_MAX_NUMBER_FILES files is a
  JSON 400 under /api/.
- `limit` of review/next: a whole number from 1 to 50 (schema: minimum/maximum);
  anything else is a 400 naming `limit`, never clamped.
- `page` of the paginated lists: DRF's 404 "Invalid page." for anything but a page
  that exists (documented as the operation's 404); the pages fall back to a real page.
- Numbers where text is expected are taken as their digits (DRF's CharField); lists,
  objects and booleans are refused. "true"/"yes"/1 are booleans (DRF's BooleanField).
- An integer where a UUID is expected is that UUID's 128-bit value (DRF's UUIDField),
  so it names a missing object: 404.
"""

from __future__ import annotations

import json
import re
import uuid
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape

from tests.audio import wav_bytes
from tests.conftest import client_for
from tests.reliability.test_faults import media_files
from tutor.models import (
    PracticeSession,
    PronunciationAttempt,
    Role,
    SpeechClip,
    Turn,
    User,
    VocabularyItem,
)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)
FORM = "application/x-www-form-urlencoded"

# --- helpers ------------------------------------------------------------------------


def post_json(api, path: str, body, method: str = "post"):
    """`body` as JSON, whatever it is (a list, a string, null…)."""
    return getattr(api, method)(path, json.dumps(body), content_type="application/json")


def messages_for(response, field: str) -> list[str]:
    """The messages a 400 gives for `field`: a non-empty list of sentences."""
    body = response.json()
    assert field in body, f"{field!r} is not named in {body}"
    messages = body[field]
    assert isinstance(messages, list) and messages, body
    assert all(isinstance(message, str) and message.strip() for message in messages), body
    return messages


def assert_nothing_stored(media_root) -> None:
    assert not PracticeSession.objects.exists()
    assert not Turn.objects.exists()
    assert not PronunciationAttempt.objects.exists()
    assert not SpeechClip.objects.exists()
    assert media_files(media_root) == set()


def start_session(api, **fields) -> str:
    response = post_json(api, "/api/session/start", {"mode": "live", **fields})
    assert response.status_code == 201, response.content
    return response.json()["session_id"]


def schema_of(api) -> dict:
    response = api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return json.loads(response.content)


# --- recordings ---------------------------------------------------------------------

AUDIO_ENDPOINTS = {
    "turn": ("/api/session/turn/audio", {"mode": "live"}),
    "analyze": ("/api/pronunciation/analyze/audio", {"word": "think"}),
    "attempt": ("/api/pronunciation/attempts", {"target": "I think so"}),
}

AUDIO_PATHS = [path for path, _ in AUDIO_ENDPOINTS.values()]


def send_recording(api, endpoint: str, content: bytes | None, name="voice.webm", kind="audio/webm"):
    path, fields = AUDIO_ENDPOINTS[endpoint]
    data = dict(fields)
    if content is not None:
        data["audio"] = SimpleUploadedFile(name, content, content_type=kind)
    return api.post(path, data)


@pytest.mark.parametrize("endpoint", AUDIO_ENDPOINTS)
@pytest.mark.parametrize(
    "seconds",
    [
        pytest.param(100, id="1.6MB-read-and-measured"),
        pytest.param(200, id="3.2MB-refused-by-its-length-header"),
    ],
)
def test_a_recording_over_the_size_limit_is_413_and_leaves_nothing(
    alice_api, settings, endpoint, seconds
):
    settings.MAX_AUDIO_UPLOAD_MB = 1

    response = send_recording(alice_api, endpoint, wav_bytes(seconds), "voice.wav", "audio/wav")

    assert response.status_code == 413, response.content
    assert "limit is 1 MB" in messages_for(response, "audio")[0]
    assert_nothing_stored(settings.MEDIA_ROOT)


@pytest.mark.parametrize("endpoint", AUDIO_ENDPOINTS)
@pytest.mark.parametrize(
    ("content", "name", "kind", "status", "says"),
    [
        pytest.param(PNG, "voice.webm", "audio/webm", 415, "WebM, Ogg, WAV, MP3 or M4A", id="png"),
        pytest.param(b"<html></html>", "voice.wav", "audio/wav", 415, "WAV", id="html"),
        pytest.param(b"", "voice.webm", "audio/webm", 400, "empty", id="empty"),
        pytest.param(
            b"RIFF\x00\x00\x00\x00WAVEjunk", "a.wav", "audio/wav", 415, "WAV", id="bad-wav"
        ),
        pytest.param(None, "", "", 400, "audio", id="missing"),
    ],
)
def test_a_file_that_is_not_a_usable_recording_is_refused_and_leaves_nothing(
    alice_api, settings, endpoint, content, name, kind, status, says
):
    response = send_recording(alice_api, endpoint, content, name, kind)

    assert response.status_code == status, response.content
    assert says in messages_for(response, "audio")[0]
    assert_nothing_stored(settings.MEDIA_ROOT)


@pytest.mark.parametrize("endpoint", AUDIO_ENDPOINTS)
def test_a_recording_over_the_time_limit_is_413_and_leaves_nothing(alice_api, settings, endpoint):
    settings.MAX_AUDIO_SECONDS = 1

    response = send_recording(alice_api, endpoint, wav_bytes(2), "voice.wav", "audio/wav")

    assert response.status_code == 413, response.content
    assert "longer than 1 second." in messages_for(response, "audio")[0]
    assert_nothing_stored(settings.MEDIA_ROOT)


@pytest.mark.parametrize(
    ("endpoint", "field", "value"),
    [
        ("turn", "session_id", "not-a-uuid"),
        ("turn", "mode", "karaoke"),
        ("analyze", "word", "x" * 301),
        ("analyze", "word", "!!!"),
        ("attempt", "target", "x" * 301),
        ("attempt", "target", "   "),
    ],
)
def test_a_good_recording_with_a_bad_field_is_400_and_leaves_nothing(
    alice_api, settings, endpoint, field, value
):
    path, fields = AUDIO_ENDPOINTS[endpoint]
    upload = SimpleUploadedFile("voice.wav", wav_bytes(1), content_type="audio/wav")

    response = alice_api.post(path, {**fields, field: value, "audio": upload})

    assert response.status_code == 400, response.content
    messages_for(response, field)
    assert_nothing_stored(settings.MEDIA_ROOT)


def test_a_good_recording_is_the_control(alice_api, settings):
    response = send_recording(alice_api, "turn", wav_bytes(1), "anything.bin", "text/plain")

    assert response.status_code == 200, response.content
    assert Turn.objects.get(pk=response.json()["turn_id"]).audio


# --- text lengths -------------------------------------------------------------------

# (method, path, field, the rest of a valid body, limit, schema component)
TEXT_LIMITS = [
    ("post", "/api/session/turn", "user_text", {}, 2000, "TextTurnRequest"),
    ("post", "/api/session/start", "topic", {"mode": "live"}, 200, "SessionStartRequest"),
    ("post", "/api/user/vocabulary", "word", {"translation": "t"}, 100, "VocabularyAddRequest"),
    ("post", "/api/user/vocabulary", "translation", {"word": "w"}, 200, "VocabularyAddRequest"),
    (
        "post",
        "/api/user/vocabulary",
        "example",
        {"word": "w", "translation": "t"},
        500,
        "VocabularyAddRequest",
    ),
    ("patch", "/api/user/profile", "name", {}, 150, "PatchedProfileRequest"),
    ("post", "/api/pronunciation/analyze", "word", {}, 300, "AnalyzeRequest"),
]
LIMIT_IDS = [f"{path}:{field}" for _, path, field, *_ in TEXT_LIMITS]


@pytest.mark.parametrize(
    ("method", "path", "field", "rest", "limit", "_"), TEXT_LIMITS, ids=LIMIT_IDS
)
def test_100_kb_of_text_is_400_naming_the_field_and_its_limit(
    alice_api, alice, method, path, field, rest, limit, _
):
    response = post_json(alice_api, path, {**rest, field: "a" * 100_000}, method)

    assert response.status_code == 400, response.content[:300]
    assert str(limit) in messages_for(response, field)[0]
    assert not Turn.objects.exists()
    assert not VocabularyItem.objects.exists()
    alice.refresh_from_db()
    assert alice.name == "Alice"


@pytest.mark.parametrize(
    ("method", "path", "field", "rest", "limit", "_"), TEXT_LIMITS, ids=LIMIT_IDS
)
def test_text_right_at_the_limit_is_accepted_whole(alice_api, method, path, field, rest, limit, _):
    text = ("Saya " * limit)[: limit - 1] + "!"

    response = post_json(alice_api, path, {**rest, field: text}, method)

    assert response.status_code in (200, 201), response.content[:300]
    stored = {
        "user_text": lambda: Turn.objects.get(role=Role.LEARNER).text,
        "topic": lambda: PracticeSession.objects.get().topic,
        "word": lambda: VocabularyItem.objects.get().word,
        "translation": lambda: VocabularyItem.objects.get().translation,
        "example": lambda: VocabularyItem.objects.get().example,
        "name": lambda: User.objects.get(email="alice@example.com").name,
    }
    if path != "/api/pronunciation/analyze":  # analysed, not stored
        assert stored[field]() == text


@pytest.mark.parametrize(
    ("method", "path", "field", "rest", "limit", "schema"), TEXT_LIMITS, ids=LIMIT_IDS
)
def test_the_schema_documents_each_text_limit(anon, method, path, field, rest, limit, schema):
    properties = schema_of(anon)["components"]["schemas"][schema]["properties"]

    assert properties[field]["maxLength"] == limit


def test_a_vocabulary_search_is_bounded_and_documented(alice_api, anon):
    response = alice_api.get("/api/user/vocabulary", {"search": "a" * 101})

    assert response.status_code == 400
    assert "100" in messages_for(response, "search")[0]
    assert alice_api.get("/api/user/vocabulary", {"search": "a" * 100}).status_code == 200
    parameters = schema_of(anon)["paths"]["/api/user/vocabulary"]["get"]["parameters"]
    bounds = {p["name"]: p["schema"].get("maxLength") for p in parameters}
    assert (bounds["q"], bounds["search"]) == (100, 100)
    assert alice_api.get("/api/user/vocabulary", {"q": "a" * 101}).status_code == 400


# --- NUL and lone surrogates: text no database stores ----------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("post", "/api/session/turn", {"user_text": "I go\x00 home"}, "user_text"),
        ("post", "/api/session/start", {"mode": "live", "topic": "work\x00"}, "topic"),
        ("post", "/api/user/vocabulary", {"word": "a\x00b", "translation": "t"}, "word"),
        ("patch", "/api/user/profile", {"name": "Al\x00ice"}, "name"),
        ("post", "/api/pronunciation/analyze", {"word": "th\x00ink"}, "word"),
    ],
)
def test_a_nul_character_in_text_is_400_naming_the_field(alice_api, method, path, body, field):
    response = post_json(alice_api, path, body, method)

    assert response.status_code == 400, response.content
    messages_for(response, field)
    assert not Turn.objects.exists()


def test_a_nul_character_in_the_vocabulary_search_is_400(alice_api):
    response = alice_api.get("/api/user/vocabulary", {"search": "a\x00"})

    assert response.status_code == 400, response.content
    messages_for(response, "search")


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/auth/login", '{"email": "\\ud800@example.com", "password": "x"}', "email"),
        ("/api/auth/signup", '{"email": "\\udfff@example.com", "password": "x"}', "email"),
        ("/api/session/turn", '{"user_text": "I go \\ud83d home"}', "user_text"),
    ],
)
def test_a_lone_surrogate_in_json_is_400_naming_the_field(alice_api, path, body, field):
    """JSON may escape half of a UTF-16 pair; no database can store it (and the login
    throttle, hashing the email before the serializer sees it, used to fail on it)."""
    response = alice_api.post(path, body, content_type="application/json")

    assert response.status_code == 400, response.content
    messages_for(response, field)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/vocabulary/", {"q": "kata\x00"}),
        ("/practice/", {"mode": "live", "topic": "work\x00"}),
    ],
)
def test_pages_ignore_a_nul_character_in_the_query_string(client, alice, path, params):
    client.force_login(alice)

    response = client.get(path, params)

    assert response.status_code == 200


def test_the_typed_turn_form_drops_a_nul_character(client, alice):
    client.force_login(alice)

    response = client.post("/practice/", {"user_text": "I go\x00 home", "topic": "work\x00"})

    assert response.status_code == 302
    turn = Turn.objects.get(role=Role.LEARNER)
    assert (turn.text, turn.session.topic) == ("I go home", "work")


# --- Unicode --------------------------------------------------------------------------

# Kept exactly: every script, emoji (a zero-width joiner between two emoji included).
UNICODE = {
    "emoji": "Saya suka nasi goreng 🍛🌶️ 👍🏽 👨‍👩‍👧 ☕",
    "indonesian": "Selamat pagi! Saya sedang belajar bahasa Inggris, kan? Ayo—mulai.",
    "combining": "Café naïve Z\u0351\u0364a\u0335l\u0321g\u0360o",
    "arabic": "مرحبا، كيف حالك اليوم؟",
    "hebrew": "שלום, מה שלומך?",
}
# Cleaned: NFC-normalised, without zero-width, bidi and control characters.
CLEANED = {
    "decomposed": ("Cafe\u0301 nai\u0308ve", "Café naïve"),
    "zero-width": (
        "zero\u200bwidth\u200cnon\u200djoiner\u2060word\ufeffend",
        "zerowidthnonjoinerwordend",
    ),
    "bidi-override": ("I said \u202eمرحبا\u202c to שלום, ok?", "I said مرحبا to שלום, ok?"),
    "bidi-isolates-and-marks": ("\u2066Ali\u2069\u200e \u200fdan\u061c Budi", "Ali dan Budi"),
    "controls": ("\x07bell\x1b[31m red\x7f", "bell[31m red"),
    "hangul-filler": ("\u3164Citra", "Citra"),
    "tag-characters": ("hi\U000e0069\U000e0067\U000e006e\U000e006f\U000e0072\U000e0065", "hi"),
}
TEXTS = {**{name: (text, text) for name, text in UNICODE.items()}, **CLEANED}
ONLY_INVISIBLE = {
    "zero-width-spaces": "\u200b\u200b\u200b",
    "bidi-controls": "\u202e\u2066\u200f\u061c",
    "joiners-and-spaces": "\u200d \ufeff \u2060",
    "controls": "\x01\x1b\x7f",
    "hangul-filler": "\u3164",
}


@pytest.mark.parametrize(("sent", "stored"), TEXTS.values(), ids=TEXTS.keys())
def test_unicode_user_text_is_stored_and_returned_clean(alice_api, sent, stored):
    session_id = start_session(alice_api)

    response = post_json(
        alice_api, "/api/session/turn", {"session_id": session_id, "user_text": sent}
    )

    assert response.status_code == 200, response.content
    assert Turn.objects.get(pk=response.json()["turn_id"]).text == stored
    turns = alice_api.get(f"/api/sessions/{session_id}").json()["turns"]
    assert [turn["text"] for turn in turns if turn["role"] == Role.LEARNER] == [stored]


@pytest.mark.parametrize(("sent", "stored"), TEXTS.values(), ids=TEXTS.keys())
def test_a_unicode_topic_is_stored_and_returned_clean(alice_api, sent, stored):
    session_id = start_session(alice_api, topic=sent)

    assert PracticeSession.objects.get(pk=session_id).topic == stored
    assert alice_api.get(f"/api/sessions/{session_id}").json()["topic"] == stored


@pytest.mark.parametrize(("sent", "stored"), TEXTS.values(), ids=TEXTS.keys())
def test_a_unicode_word_translation_and_example_are_stored_and_returned_clean(
    alice_api, sent, stored
):
    body = {"word": sent, "translation": sent, "example": sent}
    clean = dict.fromkeys(body, stored)

    response = post_json(alice_api, "/api/user/vocabulary", body)

    assert response.status_code == 201, response.content
    fields = ("word", "translation", "example")
    assert {name: response.json()[name] for name in fields} == clean
    (listed,) = alice_api.get("/api/user/vocabulary").json()
    assert {name: listed[name] for name in fields} == clean
    item = VocabularyItem.objects.get()
    assert (item.word, item.translation, item.example) == (stored, stored, stored)
    # The same word again, as sent or as stored, is found, not added twice.
    assert post_json(alice_api, "/api/user/vocabulary", body).status_code == 200
    assert post_json(alice_api, "/api/user/vocabulary", clean).status_code == 200


@pytest.mark.parametrize(("sent", "stored"), TEXTS.values(), ids=TEXTS.keys())
def test_a_unicode_name_is_stored_and_returned_clean(alice_api, alice, sent, stored):
    response = post_json(alice_api, "/api/user/profile", {"name": sent}, "patch")

    assert response.status_code == 200, response.content
    assert response.json()["name"] == stored
    assert alice_api.get("/api/user/profile").json()["name"] == stored
    alice.refresh_from_db()
    assert alice.name == stored


def test_a_signup_name_is_stored_clean(anon):
    body = {"email": "citra@example.com", "password": "a long pass phrase", "name": "\u202eCitra"}

    response = post_json(anon, "/api/auth/signup", body)

    assert response.status_code == 201, response.content
    assert response.json()["user"]["name"] == "Citra"
    assert User.objects.get(email="citra@example.com").name == "Citra"


def test_a_pronunciation_target_is_stored_clean(alice_api):
    upload = SimpleUploadedFile("reading.wav", wav_bytes(1), content_type="audio/wav")

    response = alice_api.post(
        "/api/pronunciation/attempts", {"target": "I \u200bthink\u202e so", "audio": upload}
    )

    assert response.status_code == 201, response.content
    assert response.json()["target"] == "I think so"
    assert PronunciationAttempt.objects.get().target_text == "I think so"


def test_line_breaks_stay_in_an_answer_and_an_example_but_not_in_a_word(alice_api):
    turn = post_json(alice_api, "/api/session/turn", {"user_text": "I go.\r\nThen\tI eat."})
    body = {"word": "go\nhome", "translation": "pulang", "example": "I go.\r\nHome."}
    word = post_json(alice_api, "/api/user/vocabulary", body)

    assert turn.status_code == 200, turn.content
    assert Turn.objects.get(role=Role.LEARNER).text == "I go.\nThen\tI eat."
    assert word.status_code == 201, word.content
    item = VocabularyItem.objects.get()
    assert (item.word, item.example) == ("go home", "I go.\nHome.")


# (method, path, field, the rest of a valid body); the signup is anonymous
TEXT_FIELDS = [
    ("post", "/api/session/turn", "user_text", {}),
    ("post", "/api/session/start", "topic", {"mode": "live"}),
    ("post", "/api/user/vocabulary", "word", {"translation": "t"}),
    ("post", "/api/user/vocabulary", "translation", {"word": "w"}),
    ("post", "/api/user/vocabulary", "example", {"word": "w", "translation": "t"}),
    ("patch", "/api/user/profile", "name", {}),
    ("post", "/api/pronunciation/analyze", "word", {}),
    (
        "post",
        "/api/auth/signup",
        "name",
        {"email": "citra@example.com", "password": "a long pass phrase"},
    ),
]


@pytest.mark.parametrize("text", ONLY_INVISIBLE.values(), ids=ONLY_INVISIBLE.keys())
@pytest.mark.parametrize(
    ("method", "path", "field", "rest"),
    TEXT_FIELDS,
    ids=[f"{path}:{field}" for _, path, field, _ in TEXT_FIELDS],
)
def test_text_of_only_invisible_characters_is_400_naming_the_field_and_changes_nothing(
    alice_api, alice, method, path, field, rest, text
):
    """Even where the field may be left empty: the learner did not leave it empty."""
    response = post_json(alice_api, path, {**rest, field: text}, method)

    assert response.status_code == 400, response.content
    assert "only invisible characters" in messages_for(response, field)[0]
    assert not PracticeSession.objects.exists()
    assert not VocabularyItem.objects.exists()
    assert User.objects.count() == 1
    alice.refresh_from_db()
    assert alice.name == "Alice"


@pytest.mark.parametrize("endpoint", ["analyze", "attempt"])
def test_a_recording_with_a_target_of_only_invisible_characters_is_400(
    alice_api, settings, endpoint
):
    path, fields = AUDIO_ENDPOINTS[endpoint]
    (field,) = fields
    upload = SimpleUploadedFile("voice.wav", wav_bytes(1), content_type="audio/wav")

    response = alice_api.post(path, {field: "\u200b\u202e", "audio": upload})

    assert response.status_code == 400, response.content
    assert "only invisible characters" in messages_for(response, field)[0]
    assert_nothing_stored(settings.MEDIA_ROOT)


def test_a_vocabulary_search_of_only_invisible_characters_is_400(alice_api):
    response = alice_api.get("/api/user/vocabulary", {"search": "\u200b"})

    assert response.status_code == 400
    assert "only invisible characters" in messages_for(response, "search")[0]


@pytest.mark.parametrize(
    ("method", "path", "field", "rest", "limit", "_"), TEXT_LIMITS, ids=LIMIT_IDS
)
def test_a_text_limit_counts_the_cleaned_text(alice_api, method, path, field, rest, limit, _):
    text = "a" * limit

    response = post_json(alice_api, path, {**rest, field: "\u200b" * 50 + text}, method)

    assert response.status_code in (200, 201), response.content[:300]


# The pages clean text the same way.

SIGNUP = {
    "email": "citra@example.com",
    "password1": "a long pass phrase",
    "password2": "a long pass phrase",
}
SETTINGS = {"level": "B1", "goal": "study", "explanation_language": "en", "time_zone": "UTC"}


@pytest.mark.parametrize("text", ONLY_INVISIBLE.values(), ids=ONLY_INVISIBLE.keys())
def test_the_signup_page_refuses_a_name_of_only_invisible_characters(client, text):
    response = client.post("/accounts/signup/", {**SIGNUP, "name": text})

    assert response.status_code == 200
    assert "only invisible characters" in response.content.decode()
    assert not User.objects.filter(email="citra@example.com").exists()


def test_the_signup_page_stores_a_name_clean(client):
    response = client.post(
        "/accounts/signup/", {**SIGNUP, "name": "\u202eCitra Le\u0301stari\u200b"}
    )

    assert response.status_code == 302
    assert User.objects.get(email="citra@example.com").name == "Citra Léstari"


@pytest.mark.parametrize("text", ONLY_INVISIBLE.values(), ids=ONLY_INVISIBLE.keys())
def test_the_settings_page_refuses_a_name_of_only_invisible_characters(client, alice, text):
    client.force_login(alice)

    response = client.post("/settings/", {**SETTINGS, "name": text})

    assert response.status_code == 200
    assert "only invisible characters" in response.content.decode()
    alice.refresh_from_db()
    assert (alice.name, alice.goal) == ("Alice", "daily_conversation")


def test_the_settings_page_stores_a_name_clean(client, alice):
    client.force_login(alice)

    response = client.post("/settings/", {**SETTINGS, "name": "Ali\u200bce \u202eWonder"})

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.name == "Alice Wonder"


def test_the_vocabulary_page_refuses_a_word_of_only_invisible_characters(client, alice):
    client.force_login(alice)

    response = client.post("/vocabulary/", {"word": "\u200b\u202e", "translation": "kata"})

    assert response.status_code == 200
    assert "only invisible characters" in response.content.decode()
    assert not VocabularyItem.objects.exists()


def test_the_vocabulary_page_stores_a_word_clean(client, alice):
    client.force_login(alice)
    body = {"word": "dead\u200bline", "translation": "\u202etenggat", "example": "Cafe\u0301"}

    response = client.post("/vocabulary/", body)

    assert response.status_code == 302
    item = VocabularyItem.objects.get()
    assert (item.word, item.translation, item.example) == ("deadline", "tenggat", "Café")


def test_the_typed_turn_form_stores_the_answer_and_topic_clean(client, alice):
    client.force_login(alice)
    body = {"user_text": "I go\u200b home.\r\nNow.", "topic": "\u202ework\u2069", "mode": "live"}

    response = client.post("/practice/", body)

    assert response.status_code == 302
    turn = Turn.objects.get(role=Role.LEARNER)
    assert (turn.text, turn.session.topic) == ("I go home.\nNow.", "work")


def test_the_typed_turn_form_refuses_an_answer_of_only_invisible_characters(client, alice):
    client.force_login(alice)

    response = client.post("/practice/", {"user_text": "\u200b\u200d", "mode": "live"}, follow=True)

    assert "Type a sentence first." in response.content.decode()
    assert not Turn.objects.exists()


# --- SQL and HTML -------------------------------------------------------------------

SQL = "'; DROP TABLE tutor_turn; --"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE = {"sql": SQL, "script": SCRIPT, "img": IMG}
LIVE_TAG = re.compile(r"<script>alert|<img[^>]*onerror", re.IGNORECASE)


def fill_every_text_field(api, text: str) -> dict:
    """`text` as the learner's name, a topic, a typed answer, a word (word, translation
    and example) and a sentence read aloud, all through the API; what came back."""
    profile = post_json(api, "/api/user/profile", {"name": text}, "patch")
    assert profile.status_code == 200, profile.content
    session_id = start_session(api, topic=text)
    turn = post_json(api, "/api/session/turn", {"session_id": session_id, "user_text": text})
    assert turn.status_code == 200, turn.content
    word = post_json(
        api, "/api/user/vocabulary", {"word": text, "translation": text, "example": text}
    )
    assert word.status_code == 201, word.content
    upload = SimpleUploadedFile("reading.wav", wav_bytes(1), content_type="audio/wav")
    attempt = api.post("/api/pronunciation/attempts", {"target": text, "audio": upload})
    assert attempt.status_code == 201, attempt.content
    return {
        "session_id": session_id,
        "profile": profile.json(),
        "turn": turn.json(),
        "word": word.json(),
        "attempt": attempt.json(),
    }


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_sql_and_html_in_every_text_field_are_stored_and_returned_verbatim(alice_api, alice, text):
    sent = fill_every_text_field(alice_api, text)

    assert sent["profile"]["name"] == text
    assert (sent["word"]["word"], sent["word"]["translation"], sent["word"]["example"]) == (
        text,
        text,
        text,
    )
    assert sent["attempt"]["target"] == text
    detail = alice_api.get(f"/api/sessions/{sent['session_id']}").json()
    assert detail["topic"] == text
    assert [turn["text"] for turn in detail["turns"] if turn["role"] == Role.LEARNER] == [text]
    assert alice_api.get("/api/user/profile").json()["name"] == text
    assert alice_api.get("/api/pronunciation/attempts").json()["results"][0]["target"] == text
    # In the database as sent, and the table the SQL names is still there.
    alice.refresh_from_db()
    assert alice.name == text
    assert Turn.objects.get(pk=sent["turn"]["turn_id"]).text == text
    assert Turn.objects.count() == 3
    item = VocabularyItem.objects.get(pk=sent["word"]["id"])
    assert (item.word, item.translation, item.example) == (text, text, text)


def pages_showing(session_id: str) -> dict[str, int]:
    """Page → how many of the hostile fields it shows (at least)."""
    return {
        "/dashboard/": 1,  # the open session's topic
        "/settings/": 1,  # the name, in its input
        "/vocabulary/": 3,  # word, translation, example
        "/history/": 1,  # the topic
        f"/history/{session_id}/": 2,  # the topic and the answer
        f"/practice/?session={session_id}": 1,  # the answer
        "/pronunciation/": 0,  # the attempt's words
    }


@pytest.mark.parametrize("text", [SCRIPT, IMG], ids=["script", "img"])
def test_pages_show_hostile_html_escaped(alice_api, alice, client, text):
    sent = fill_every_text_field(alice_api, text)
    client.force_login(alice)

    for path, shown in pages_showing(sent["session_id"]).items():
        html = client.get(path).content.decode()
        assert text not in html, f"{path} shows {text} unescaped"
        assert not LIVE_TAG.search(html), f"{path} has a live tag from learner text"
        assert html.count(escape(text)) >= shown, f"{path} does not show {escape(text)}"


def test_the_dashboard_greets_a_hostile_name_escaped(client, alice):
    alice.name = f"{SCRIPT} Smith"
    alice.save(update_fields=["name"])
    client.force_login(alice)

    html = client.get("/dashboard/").content.decode()

    assert SCRIPT not in html
    assert escape(SCRIPT) in html


def test_the_typed_turn_form_keeps_hostile_html_verbatim_and_shows_it_escaped(client, alice):
    client.force_login(alice)

    response = client.post("/practice/", {"user_text": IMG, "mode": "live"}, follow=True)

    assert response.status_code == 200
    assert Turn.objects.get(role=Role.LEARNER).text == IMG
    html = response.content.decode()
    assert IMG not in html
    assert escape(IMG) in html


# --- wrong types, missing fields, unknown choices ----------------------------------------

# (method, path, body, field named in the 400)
BAD_FIELDS = [
    # A typed turn
    ("post", "/api/session/turn", {}, "user_text"),
    ("post", "/api/session/turn", {"user_text": ["hi"]}, "user_text"),
    ("post", "/api/session/turn", {"user_text": {"text": "hi"}}, "user_text"),
    ("post", "/api/session/turn", {"user_text": True}, "user_text"),
    ("post", "/api/session/turn", {"user_text": None}, "user_text"),
    ("post", "/api/session/turn", {"user_text": ""}, "user_text"),
    ("post", "/api/session/turn", {"user_text": " \n\t "}, "user_text"),
    ("post", "/api/session/turn", {"user_text": "hi", "mode": "karaoke"}, "mode"),
    ("post", "/api/session/turn", {"user_text": "hi", "mode": ["live"]}, "mode"),
    ("post", "/api/session/turn", {"user_text": "hi", "mode": 7}, "mode"),
    ("post", "/api/session/turn", {"user_text": "hi", "session_id": "not-a-uuid"}, "session_id"),
    ("post", "/api/session/turn", {"user_text": "hi", "session_id": "1234"}, "session_id"),
    (
        "post",
        "/api/session/turn",
        {"user_text": "hi", "session_id": "123e4567-e89b-12d3-a456-42661417400"},
        "session_id",
    ),
    ("post", "/api/session/turn", {"user_text": "hi", "session_id": -1}, "session_id"),
    ("post", "/api/session/turn", {"user_text": "hi", "session_id": {"id": 1}}, "session_id"),
    # Starting a session
    ("post", "/api/session/start", {"mode": "speaking"}, "mode"),
    ("post", "/api/session/start", {"mode": None}, "mode"),
    ("post", "/api/session/start", {"mode": "live", "topic": ["work"]}, "topic"),
    ("post", "/api/session/start", {"mode": "live", "topic": {"a": 1}}, "topic"),
    ("post", "/api/session/start", {"mode": "guided"}, "lesson_id"),
    ("post", "/api/session/start", {"mode": "guided", "lesson_id": "lesson-1"}, "lesson_id"),
    ("post", "/api/session/start", {"mode": "live", "lesson_id": str(uuid.uuid4())}, "lesson_id"),
    # The profile
    ("patch", "/api/user/profile", {"level": "Z9"}, "level"),
    ("patch", "/api/user/profile", {"level": "b1"}, "level"),
    ("patch", "/api/user/profile", {"level": 1}, "level"),
    ("patch", "/api/user/profile", {"level": None}, "level"),
    ("patch", "/api/user/profile", {"goal": "fun"}, "goal"),
    ("patch", "/api/user/profile", {"goal": ["study"]}, "goal"),
    ("patch", "/api/user/profile", {"explanation_language": "fr"}, "explanation_language"),
    ("patch", "/api/user/profile", {"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
    ("patch", "/api/user/profile", {"time_zone": ""}, "time_zone"),
    ("patch", "/api/user/profile", {"name": ["Alice"]}, "name"),
    ("patch", "/api/user/profile", {"name": None}, "name"),
    # A word
    ("post", "/api/user/vocabulary", {"translation": "kata"}, "word"),
    ("post", "/api/user/vocabulary", {"word": "word"}, "translation"),
    ("post", "/api/user/vocabulary", {"word": ["w"], "translation": "t"}, "word"),
    ("post", "/api/user/vocabulary", {"word": "w", "translation": {"id": "t"}}, "translation"),
    ("post", "/api/user/vocabulary", {"word": "w", "translation": "t", "example": []}, "example"),
    ("post", "/api/user/vocabulary", {"word": "w", "translation": "t", "source": "ai"}, "source"),
    # Pronunciation
    ("post", "/api/pronunciation/analyze", {}, "word"),
    ("post", "/api/pronunciation/analyze", {"word": ["think"]}, "word"),
    ("post", "/api/pronunciation/analyze", {"word": None}, "word"),
    # Accounts
    ("post", "/api/auth/signup", {"email": "not-an-email", "password": "x" * 12}, "email"),
    ("post", "/api/auth/signup", {"email": ["a@example.com"], "password": "x" * 12}, "email"),
    ("post", "/api/auth/signup", {"email": "new@example.com", "password": "123"}, "password"),
    ("post", "/api/auth/signup", {"email": "new@example.com", "password": 12345678901}, "password"),
    (
        "post",
        "/api/auth/signup",
        {"email": "new@example.com", "password": "x" * 12, "name": {"a": 1}},
        "name",
    ),
    ("post", "/api/auth/login", {"email": ["alice@example.com"], "password": "x"}, "email"),
    ("post", "/api/auth/login", {"email": "alice@example.com", "password": None}, "password"),
    ("post", "/api/auth/login", {"email": "alice@example.com"}, "password"),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    BAD_FIELDS,
    ids=[f"{path}:{json.dumps(body)[:60]}" for _, path, body, _ in BAD_FIELDS],
)
def test_a_bad_field_is_400_naming_it_and_changes_nothing(
    alice_api, alice, method, path, body, field
):
    before = (alice.name, alice.level, alice.goal, alice.time_zone)

    response = post_json(alice_api, path, body, method)

    assert response.status_code == 400, response.content
    messages_for(response, field)
    assert not PracticeSession.objects.exists()
    assert not VocabularyItem.objects.exists()
    assert User.objects.count() == 1
    alice.refresh_from_db()
    assert (alice.name, alice.level, alice.goal, alice.time_zone) == before


@pytest.fixture
def word(alice) -> VocabularyItem:
    return VocabularyItem.objects.create(learner=alice, word="deadline", translation="tenggat")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rating": "good"}, "vocabulary_id"),
        ({"vocabulary_id": "xyz", "rating": "good"}, "vocabulary_id"),
        ({"vocabulary_id": ["{id}"], "rating": "good"}, "vocabulary_id"),
        ({"vocabulary_id": "{id}"}, "rating"),
        ({"vocabulary_id": "{id}", "rating": "perfect"}, "rating"),
        ({"vocabulary_id": "{id}", "rating": "GOOD"}, "rating"),
        ({"vocabulary_id": "{id}", "rating": 3}, "rating"),
        ({"vocabulary_id": "{id}", "rating": "good", "correct": True}, "rating"),
        ({"vocabulary_id": "{id}", "correct": "maybe"}, "correct"),
        ({"vocabulary_id": "{id}", "correct": [True]}, "correct"),
        ({"vocabulary_id": "{id}", "rating": "good", "duration_ms": -1}, "duration_ms"),
        ({"vocabulary_id": "{id}", "rating": "good", "duration_ms": "fast"}, "duration_ms"),
        ({"vocabulary_id": "{id}", "rating": "good", "duration_ms": 10**12}, "duration_ms"),
        ({"vocabulary_id": "{id}", "rating": "good", "duration_ms": 1.5}, "duration_ms"),
    ],
)
def test_a_bad_review_answer_is_400_naming_the_field_and_schedules_nothing(
    alice_api, word, body, field
):
    body = json.loads(json.dumps(body).replace("{id}", str(word.pk)))

    response = post_json(alice_api, "/api/user/vocabulary/review/answer", body)

    assert response.status_code == 400, response.content
    messages_for(response, field)
    word.refresh_from_db()
    assert word.last_review is None


@pytest.mark.parametrize("correct", [True, "true", "yes", 1, False, "false", "no", 0])
def test_booleans_in_their_usual_spellings_are_fine(alice_api, word, correct):
    body = {"vocabulary_id": str(word.pk), "correct": correct}

    response = post_json(alice_api, "/api/user/vocabulary/review/answer", body)

    assert response.status_code == 200, response.content


def test_a_number_where_text_is_expected_is_taken_as_its_digits(alice_api):
    response = post_json(alice_api, "/api/session/turn", {"user_text": 42})

    assert response.status_code == 200, response.content
    assert Turn.objects.get(role=Role.LEARNER).text == "42"


def test_an_integer_session_id_names_a_missing_session(alice_api):
    response = post_json(alice_api, "/api/session/turn", {"user_text": "hi", "session_id": 7})

    assert response.status_code == 404
    assert response.json()["detail"]
    assert not Turn.objects.exists()


# --- bodies that are not a JSON object ----------------------------------------------------

JSON_ENDPOINTS = [
    ("post", "/api/session/start"),
    ("post", "/api/session/turn"),
    ("patch", "/api/user/profile"),
    ("post", "/api/user/vocabulary"),
    ("post", "/api/user/vocabulary/review/answer"),
    ("post", "/api/pronunciation/analyze"),
    ("post", "/api/auth/signup"),
    ("post", "/api/auth/login"),
]


@pytest.mark.parametrize(("method", "path"), JSON_ENDPOINTS)
@pytest.mark.parametrize("body", ["[]", '[{"user_text": "hi"}]', '"hello"', "42", "true", "null"])
def test_json_that_is_not_an_object_is_400(alice_api, method, path, body):
    response = getattr(alice_api, method)(path, body, content_type="application/json")

    assert response.status_code == 400, response.content
    messages_for(response, "non_field_errors")
    assert not PracticeSession.objects.exists()
    assert not VocabularyItem.objects.exists()


@pytest.mark.parametrize(("method", "path"), JSON_ENDPOINTS)
@pytest.mark.parametrize(
    "body",
    ['{"user_text": "hi"', "{'user_text': 'hi'}", '{"user_text": NaN}', "\xff\xfe", "{}}"],
    ids=["truncated", "single-quotes", "nan", "not-utf8", "trailing"],
)
def test_invalid_json_is_400_saying_so(alice_api, method, path, body):
    response = getattr(alice_api, method)(
        path, body.encode("latin-1"), content_type="application/json"
    )

    assert response.status_code == 400, response.content
    assert response.json()["detail"].startswith("JSON parse error")
    assert not PracticeSession.objects.exists()


@pytest.mark.parametrize(
    ("method", "path", "status", "field"),
    [
        ("post", "/api/session/start", 201, None),  # every field has a default
        ("patch", "/api/user/profile", 200, None),  # nothing to change
        ("post", "/api/session/turn", 400, "user_text"),
        ("post", "/api/user/vocabulary", 400, "word"),
        ("post", "/api/user/vocabulary/review/answer", 400, "vocabulary_id"),
        ("post", "/api/pronunciation/analyze", 400, "word"),
        ("post", "/api/auth/signup", 400, "email"),
        ("post", "/api/auth/login", 400, "password"),
    ],
)
def test_an_empty_body_is_an_empty_object(alice_api, method, path, status, field):
    response = getattr(alice_api, method)(path, b"", content_type="application/json")

    assert response.status_code == status, response.content
    if field:
        assert messages_for(response, field) == ["This field is required."]


@pytest.mark.parametrize(("method", "path"), JSON_ENDPOINTS)
@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "image/png"])
def test_a_body_of_another_type_is_415_naming_it(alice_api, method, path, content_type):
    response = getattr(alice_api, method)(path, b"user_text=hi", content_type=content_type)

    assert response.status_code == 415, response.content
    assert content_type in response.json()["detail"]


@pytest.mark.parametrize("endpoint", AUDIO_ENDPOINTS)
def test_json_to_a_recording_endpoint_is_415(alice_api, settings, endpoint):
    path, fields = AUDIO_ENDPOINTS[endpoint]

    response = post_json(alice_api, path, {**fields, "audio": "UklGRg=="})

    assert response.status_code == 415, response.content
    assert "application/json" in response.json()["detail"]
    assert_nothing_stored(settings.MEDIA_ROOT)


def test_a_form_encoded_typed_turn_is_fine(alice_api):
    response = alice_api.post("/api/session/turn", {"user_text": "I go home"})

    assert response.status_code == 200
    assert Turn.objects.get(role=Role.LEARNER).text == "I go home"


# --- malformed ids in paths --------------------------------------------------------------

MALFORMED_IDS = ["not-a-uuid", "123", "123e4567-e89b-12d3-a456-42661417400", "%00", "..%2F.."]


@pytest.mark.parametrize("bad", MALFORMED_IDS)
@pytest.mark.parametrize(
    ("method", "template"),
    [
        ("get", "/api/sessions/{}"),
        ("post", "/api/session/{}/end"),
        ("get", "/api/turns/{}/audio"),
        ("delete", "/api/user/vocabulary/{}"),
        ("get", "/api/pronunciation/attempts/{}"),
        ("get", "/api/pronunciation/attempts/{}/audio"),
        ("get", "/api/lessons/{}"),
        ("get", "/history/{}/"),
        ("get", "/lessons/{}/"),
    ],
)
def test_a_malformed_id_in_a_path_is_404(alice_api, client, alice, bad, method, template):
    client.force_login(alice)
    api = alice_api if template.startswith("/api/") else client

    response = getattr(api, method)(template.format(bad))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("method", "template"),
    [
        ("get", "/api/sessions/{}"),
        ("post", "/api/session/{}/end"),
        ("get", "/api/turns/{}/audio"),
        ("delete", "/api/user/vocabulary/{}"),
        ("get", "/api/pronunciation/attempts/{}"),
        ("get", "/api/lessons/{}"),
    ],
)
def test_an_unknown_id_in_an_api_path_is_a_json_404(alice_api, method, template):
    response = getattr(alice_api, method)(template.format(uuid.uuid4()))

    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "params",
    [
        {"session": "not-a-uuid"},
        {"session": str(uuid.uuid4())},
        {"mode": "guided", "lesson": "lesson-1"},
        {"mode": "guided", "lesson": str(uuid.uuid4())},
    ],
)
def test_the_practice_page_answers_a_bad_id_in_its_query_string_with_404(client, alice, params):
    client.force_login(alice)

    assert client.get("/practice/", params).status_code == 404


def test_deleting_a_word_by_a_malformed_id_on_the_page_is_404_and_deletes_nothing(
    client, alice, word
):
    client.force_login(alice)

    response = client.post("/vocabulary/", {"action": "delete", "item_id": "'; DROP TABLE --"})

    assert response.status_code == 404
    assert VocabularyItem.objects.filter(pk=word.pk).exists()


# --- numbers in query strings ----------------------------------------------------------


@pytest.fixture
def sixty_words(alice) -> None:
    now = timezone.now()
    VocabularyItem.objects.bulk_create(
        VocabularyItem(learner=alice, word=f"word{i}", translation=f"kata{i}", due=now)
        for i in range(60)
    )


@pytest.mark.parametrize(
    "limit", ["-1", "0", "51", str(10**12), "abc", "", " ", "1.5", "1e3", "5; DROP TABLE x", "٥٠٠"]
)
def test_a_review_limit_outside_1_to_50_is_400_naming_it(alice_api, sixty_words, limit):
    response = alice_api.post(f"/api/user/vocabulary/review/next?limit={limit}")

    assert response.status_code == 400, response.content
    assert "1 to 50" in messages_for(response, "limit")[0]


@pytest.mark.parametrize(("query", "count"), [("", 5), ("?limit=1", 1), ("?limit=50", 50)])
def test_a_review_limit_from_1_to_50_bounds_the_words(alice_api, sixty_words, query, count):
    response = alice_api.post(f"/api/user/vocabulary/review/next{query}")

    assert response.status_code == 200
    assert len(response.json()["items"]) == count


def test_the_schema_documents_the_review_limit(anon):
    operation = schema_of(anon)["paths"]["/api/user/vocabulary/review/next"]["post"]

    (limit,) = operation["parameters"]
    assert limit["name"] == "limit"
    assert limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 50, "default": 5}
    assert "400" in operation["responses"]


@pytest.mark.parametrize("path", ["/api/sessions", "/api/pronunciation/attempts"])
@pytest.mark.parametrize("number", ["0", "-1", "2", str(10**12), "abc", "1.5", ""])
def test_a_page_that_does_not_exist_is_a_documented_404(alice_api, anon, path, number):
    start_session(alice_api)

    response = alice_api.get(path, {"page": number})

    if number == "":  # no page given: the first one
        assert response.status_code == 200
        return
    assert response.status_code == 404, response.content
    assert response.json() == {"detail": "Invalid page."}
    assert "404" in schema_of(anon)["paths"][path]["get"]["responses"]


@pytest.mark.parametrize("number", ["0", "-1", "2", str(10**12), "abc", "1.5", "\x00"])
def test_the_history_page_falls_back_to_a_real_page(client, alice, number):
    client.force_login(alice)
    PracticeSession.objects.create(learner=alice, mode="live_conversation", topic="work")

    response = client.get("/history/", {"page": number})

    assert response.status_code == 200
    assert "work" in response.content.decode()


def test_another_learner_s_data_is_untouched_by_all_this(bob, alice_api):
    """A last check that hostile input in one account never reaches another."""
    bob_api = client_for(bob)
    bob_word = post_json(bob_api, "/api/user/vocabulary", {"word": "aman", "translation": "safe"})
    fill_every_text_field(alice_api, SQL)

    assert bob_api.get("/api/user/vocabulary").json()[0]["id"] == bob_word.json()["id"]
    assert bob_api.get("/api/user/profile").json()["name"] == "Bob"


def test_a_huge_unknown_mode_is_not_echoed_back_in_full(alice_api):
    response = post_json(alice_api, "/api/session/turn", {"user_text": "hi", "mode": "x" * 100_000})

    assert response.status_code == 400
    assert len(response.content) < 500
    assert "is not a mode" in response.json()["mode"][0]


# --- hostile headers and bodies: a 4xx, never a 500 -----------------------------------------


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("\xff\xfe\xfd", id="not-utf8"),
        pytest.param("0123456789abcde\xe9", id="latin-1-e-acute"),
        pytest.param("0123456789abcde\xc3\xa9", id="utf8-e-acute"),
    ],
)
@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/api/user/profile"), *[(m, p) for m, p in JSON_ENDPOINTS if "/auth/" not in p]],
)
def test_a_token_that_is_not_ascii_is_401(anon, method, path, token):
    """WSGI hands the header over as Latin-1: each character is one byte sent.
    (Signup and login read no token.)"""
    anon.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    response = getattr(anon, method)(path, {}, format="json")

    assert response.status_code == 401, response.content
    assert response.json() == {"detail": "Invalid token."}
    assert response["WWW-Authenticate"] == "Bearer"


def nested(depth: int, kind: str) -> str:
    if kind == "lists":
        return "[" * depth + "]" * depth
    return '{"a": ' * depth + "1" + "}" * depth


@pytest.mark.parametrize(("method", "path"), JSON_ENDPOINTS)
@pytest.mark.parametrize("kind", ["lists", "objects"])
@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_json_nested_a_thousand_deep_is_400_saying_so(alice_api, method, path, kind, depth):
    response = getattr(alice_api, method)(
        path, nested(depth, kind), content_type="application/json"
    )

    assert response.status_code == 400, response.content[:300]
    assert "nested more than 32 levels" in response.json()["detail"]
    assert not PracticeSession.objects.exists()
    assert not VocabularyItem.objects.exists()


@pytest.mark.parametrize("depth", [32, 33, 100])
def test_a_field_nested_past_32_levels_is_refused_before_it_is_read(alice_api, depth):
    """Nested past the limit the message says so; at the limit the field itself is
    refused (user_text is a string), as any wrong type."""
    body = '{"user_text": ' + nested(depth - 1, "lists") + "}"

    response = alice_api.post("/api/session/turn", body, content_type="application/json")

    assert response.status_code == 400, response.content
    if depth > 32:
        assert "nested more than 32 levels" in response.json()["detail"]
    else:
        assert response.json()["user_text"] == ["Not a valid string."]


@pytest.fixture
def recordings(alice_api) -> dict[str, tuple[str, int]]:
    """Alice's turn recording, her pronunciation attempt's and Macca's spoken reply:
    URL → size in bytes."""
    turn = send_recording(alice_api, "turn", wav_bytes(1), "voice.wav", "audio/wav").json()
    attempt = send_recording(alice_api, "attempt", wav_bytes(1), "voice.wav", "audio/wav").json()
    urls = {
        "turn": f"/api/turns/{turn['turn_id']}/audio",
        "attempt": f"/api/pronunciation/attempts/{attempt['id']}/audio",
        "speech": turn["macca_audio_url"].removeprefix("http://testserver"),
    }
    return {name: (url, len(alice_api.get(url).content)) for name, url in urls.items()}


@pytest.mark.parametrize("recording", ["turn", "attempt", "speech"])
@pytest.mark.parametrize(
    "header",
    [
        pytest.param("bytes=0-" + "9" * 5_000, id="last-5000-digits"),
        pytest.param("bytes=" + "9" * 5_000 + "-", id="first-5000-digits"),
        pytest.param("bytes=-" + "9" * 5_000, id="suffix-5000-digits"),
        pytest.param("bytes=0-" + "9" * 19, id="last-19-digits"),
        pytest.param("bytes=0000000000000000000-1", id="first-19-zeros"),
    ],
)
def test_an_absurd_range_is_416_with_the_size(alice_api, recordings, recording, header):
    url, size = recordings[recording]

    response = alice_api.get(url, headers={"Range": header})

    assert response.status_code == 416, response.content[:300]
    assert response["Content-Range"] == f"bytes */{size}"
    assert response.content == b""


@pytest.mark.parametrize("recording", ["turn", "attempt", "speech"])
def test_a_range_past_the_end_in_18_digits_is_still_the_rest_of_the_file(
    alice_api, recordings, recording
):
    url, size = recordings[recording]

    response = alice_api.get(url, headers={"Range": "bytes=10-" + "9" * 18})

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 10-{size - 1}/{size}"


def too_many_fields(settings) -> dict[str, str]:
    return {f"field{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}


@pytest.mark.parametrize("encoding", ["form", "multipart"])
@pytest.mark.parametrize(
    ("path", "api"),
    [
        ("/api/session/turn", "alice"),
        ("/api/user/vocabulary", "alice"),
        ("/api/pronunciation/attempts", "alice"),
        ("/api/auth/login", "anon"),
        ("/api/auth/signup", "anon"),
    ],
)
def test_over_a_thousand_fields_is_a_json_400(alice_api, anon, settings, path, api, encoding):
    client = alice_api if api == "alice" else anon
    fields = {**too_many_fields(settings), "user_text": "hi", "email": "citra@example.com"}
    if encoding == "form":
        response = client.post(path, urlencode(fields), content_type=FORM)
    else:
        response = client.post(path, fields, format="multipart")

    assert response.status_code == 400, response.content[:300]
    assert response.json() == {"detail": "The request has too many fields."}
    assert not Turn.objects.exists()
    assert User.objects.count() == 1


@pytest.mark.parametrize("path", ["/api/user/vocabulary", "/api/sessions", "/api/health/live"])
def test_a_query_string_of_over_a_thousand_fields_is_a_json_400(alice_api, settings, path):
    response = alice_api.get(f"{path}?{urlencode(too_many_fields(settings))}")

    assert response.status_code == 400, response.content[:300]
    assert response.json() == {"detail": "The request has too many fields."}


@pytest.mark.parametrize("path", AUDIO_PATHS)
def test_over_a_hundred_files_is_a_json_400_and_leaves_nothing(alice_api, settings, path):
    files = {
        f"audio{i}": SimpleUploadedFile(f"{i}.wav", b"RIFF", content_type="audio/wav")
        for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    }

    response = alice_api.post(path, files, format="multipart")

    assert response.status_code == 400, response.content[:300]
    assert response.json() == {"detail": "The request has too many files."}
    assert_nothing_stored(settings.MEDIA_ROOT)


def test_a_request_django_refuses_before_the_api_is_a_json_400_under_api(anon, client):
    """A Host not in ALLOWED_HOSTS: Django's own 400, in the API's shape under /api/."""
    response = anon.get("/api/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response.json() == {"detail": "Bad request."}
    page = client.get("/", HTTP_HOST="evil.example")
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")
