"""POST /api/pronunciation/speech: a word or a sentence in Macca's voice, at normal speed
and slowly, for a learner to copy; bad text is a 400 naming `text`, and a voice that
fails is a 503 the page can show, never a 500. (The test voice speaks tones.)"""

from __future__ import annotations

import json

import pytest

import providers
from providers.audio import decode
from providers.schemas import Speech
from tutor.api.throttles import SpeechThrottle
from tutor.models import SpeechClip

pytestmark = pytest.mark.django_db

SPEECH = "/api/pronunciation/speech"
SILENT = Speech(audio=b"", content_type="audio/wav", degraded=True)


def hear(client, text):
    return client.post(SPEECH, {"text": text}, format="json")


def path_of(url: str) -> str:
    assert url.startswith("http://testserver/")
    return url.removeprefix("http://testserver")


def seconds_of(response) -> float:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return decode(body, max_seconds=60).duration_seconds


def test_it_speaks_a_sentence_and_its_urls_serve_the_audio(alice_api):
    response = hear(alice_api, "I think this is very good.")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"text", "audio_url", "slow_audio_url"}
    assert body["text"] == "I think this is very good."
    assert path_of(body["audio_url"]).startswith("/media/speech/")
    assert body["slow_audio_url"] == f"{body['audio_url']}?speed=slow"
    normal = alice_api.get(path_of(body["audio_url"]))
    slow = alice_api.get(path_of(body["slow_audio_url"]))
    assert normal.status_code == 200 and normal["Content-Type"] == "audio/ogg"
    assert slow.status_code == 200 and slow["Content-Type"] == "audio/ogg"
    assert seconds_of(slow) > 1.2 * seconds_of(normal) > 0


def test_a_single_word_is_spoken_with_its_spaces_tidied(alice_api):
    response = hear(alice_api, "  think \n")

    assert response.status_code == 200
    assert response.json()["text"] == "think"
    assert SpeechClip.objects.get().text == "think"


def test_asking_again_plays_the_stored_line(alice_api, bob_api):
    first = hear(alice_api, "three").json()
    again = hear(alice_api, "three").json()
    bobs = hear(bob_api, "three").json()

    assert first == again == bobs
    assert SpeechClip.objects.count() == 1


@pytest.mark.parametrize(
    "text",
    ["", "   ", "123 ?!", "…", "a" * 301],
    ids=["empty", "spaces", "no-letter", "punctuation", "too-long"],
)
def test_text_without_a_word_or_too_long_is_refused_naming_the_field(alice_api, text):
    response = hear(alice_api, text)

    assert response.status_code == 400
    messages = response.json()["text"]
    assert messages and all(isinstance(m, str) and m.strip() for m in messages)
    assert not SpeechClip.objects.exists()


def test_no_text_at_all_is_refused_naming_the_field(alice_api):
    response = alice_api.post(SPEECH, {}, format="json")

    assert response.status_code == 400
    assert "text" in response.json()


def test_the_longest_text_allowed_is_spoken(alice_api):
    response = hear(alice_api, "ab " * 99 + "abc")  # 300 characters

    assert response.status_code == 200


def test_the_refusal_follows_the_browsers_language(alice_api):
    response = alice_api.post(SPEECH, {"text": "42"}, format="json", HTTP_ACCEPT_LANGUAGE="id")

    assert response.status_code == 400
    assert response.json()["text"] == ["Masukkan kata atau kalimat yang ingin didengarkan."]


def test_anonymous_callers_are_refused(anon):
    response = hear(anon, "think")

    assert response.status_code == 401
    assert "detail" in response.json()
    assert not SpeechClip.objects.exists()


def test_when_every_voice_fails_it_says_so_with_a_503(alice_api, monkeypatch):
    monkeypatch.setattr(providers.get_tts(), "synthesize", lambda *a, **k: SILENT)
    monkeypatch.setattr(providers.local_tts(), "synthesize", lambda *a, **k: SILENT)

    response = hear(alice_api, "think")

    assert response.status_code == 503
    assert "voice is not available" in response.json()["detail"]
    assert not SpeechClip.objects.exists()


def test_lines_are_throttled_per_learner(alice_api, bob_api, monkeypatch):
    monkeypatch.setattr(SpeechThrottle, "rate", "2/min", raising=False)
    for word in ("think", "three"):
        assert hear(alice_api, word).status_code == 200

    throttled = hear(alice_api, "thank")

    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert hear(bob_api, "thank").status_code == 200


def test_the_rate_is_its_own_setting(settings):
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["speech"] == "60/min"


def test_the_schema_documents_the_endpoint(anon):
    schema = json.loads(anon.get("/api/schema/?format=json").content)

    operation = schema["paths"][SPEECH]["post"]
    assert set(schema["paths"][SPEECH]) & {"get", "post", "put", "patch", "delete"} == {"post"}
    assert operation["operationId"] == "pronunciation_speech"
    assert {"200", "400", "503"} <= set(operation["responses"])
    request = schema["components"]["schemas"]["SpeakRequest"]
    assert request["properties"]["text"]["maxLength"] == 300
    answer = schema["components"]["schemas"]["Speech"]
    assert set(answer["required"]) == {"text", "audio_url", "slow_audio_url"}


def test_invisible_characters_are_not_spoken_or_shared(alice_api, bob_api):
    """A zero-width space or a direction mark would make another file of the same line."""
    plain = hear(alice_api, "Thank you").json()

    hidden = hear(bob_api, "Thank\u200b you\u202e")

    assert hidden.status_code == 200
    assert hidden.json()["text"] == "Thank you"
    assert hidden.json()["audio_url"] == plain["audio_url"]
    only_invisible = hear(alice_api, "\u200b\u2066")
    assert only_invisible.status_code == 400
    assert "text" in only_invisible.json()
