"""The Hugging Face providers speak the wire formats of shared/HUGGINGFACE.md,
and every failure ends in a graceful fallback with degraded=True."""

from __future__ import annotations

import base64
import io
import json
import logging
import wave

import pytest
import requests
from responses import matchers

import providers
from providers.huggingface import HuggingFaceASR, HuggingFaceLLM, HuggingFaceTTS
from providers.mock import MOCK_TRANSCRIPT

from .conftest import ASR_URL, BASE, HF_KEY, LLM_URL, TTS_URL

VALID_REPLY = {
    "version": "1.0",
    "reply": "That sounds relaxing! What did you cook?",
    "feedback": {
        "better_sentence": "I cooked dinner yesterday.",
        "grammar": [
            {
                "issue": "past_tense",
                "original_text": "I cook dinner yesterday",
                "explanation_language": "id",
                "explanation": "Pakai bentuk lampau untuk kemarin: cooked.",
                "examples": ["I cooked dinner yesterday."],
            }
        ],
        "vocabulary": [],
        "pronunciation": [],
    },
    "drills": [],
    "next_prompt": "What did you cook?",
    "step_complete": None,
}


def completion(content: str, finish_reason: str = "stop") -> dict:
    return {
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish_reason,
            }
        ],
        "usage": {"prompt_tokens": 900, "completion_tokens": 120},
    }


def sent_json(mocked, index: int = 0) -> dict:
    return json.loads(mocked.calls[index].request.body)


# --- LLM --------------------------------------------------------------------


def test_llm_sends_the_chat_completion_the_router_expects(hf, profile, context, history):
    hf.post(LLM_URL, json=completion(json.dumps(VALID_REPLY)))

    reply = providers.get_llm().generate(profile, context, history, "I cook dinner yesterday")

    request = hf.calls[0].request
    assert request.url == LLM_URL
    assert request.headers["Authorization"] == f"Bearer {HF_KEY}"
    assert request.headers["Content-Type"] == "application/json"
    payload = sent_json(hf)
    assert payload["model"] == "google/gemma-4-31B-it"
    assert payload["stream"] is False
    assert payload["max_tokens"] >= 900
    assert payload["response_format"]["type"] == "json_schema"
    assert payload["response_format"]["json_schema"]["name"] == "MaccaJsonResponse"
    assert "reply" in payload["response_format"]["json_schema"]["schema"]["properties"]

    messages = payload["messages"]
    system = messages[0]
    assert system["role"] == "system"
    for fact in ("Siti", "B1", "job interviews", "Bahasa Indonesia", "past_tense, article"):
        assert fact in system["content"]
    assert "exactly one follow-up question" in system["content"]
    assert "weekend plans" in system["content"]
    # The last 8 turns, as user/assistant, then the learner's new message.
    assert messages[1:-1] == [
        {"role": "user", "content": "learner line 7"},
        {"role": "assistant", "content": "tutor line 7"},
        {"role": "user", "content": "learner line 8"},
        {"role": "assistant", "content": "tutor line 8"},
        {"role": "user", "content": "learner line 9"},
        {"role": "assistant", "content": "tutor line 9"},
        {"role": "user", "content": "learner line 10"},
        {"role": "assistant", "content": "tutor line 10"},
    ]
    assert messages[-1] == {"role": "user", "content": "I cook dinner yesterday"}

    assert reply.degraded is False
    assert reply.response.reply == "That sounds relaxing! What did you cook?"
    assert reply.response.feedback.grammar[0].issue == "past_tense"
    assert json.loads(reply.raw_text) == VALID_REPLY


def test_llm_tells_a_guided_lesson_its_step_and_targets(hf, profile, history):
    from providers.schemas import PracticeContext

    lesson = PracticeContext(
        mode="guided_lesson",
        lesson_title="Job interview: tell me about yourself",
        lesson_objective="Introduce yourself to an interviewer.",
        step_number=2,
        total_steps=4,
        step_title="Your experience",
        step_instruction="Tell me about your last job.",
        target_grammar=["Present perfect: I have worked"],
        target_vocabulary=["responsible for", "deadline"],
    )
    hf.post(LLM_URL, json=completion(json.dumps({**VALID_REPLY, "step_complete": True})))

    reply = providers.get_llm().generate(profile, lesson, [], "I have worked as a nurse.")

    system = sent_json(hf)["messages"][0]["content"]
    for fact in ("step 2 of 4", "Tell me about your last job.", "responsible for, deadline"):
        assert fact in system
    assert "step_complete" in system
    assert reply.response.step_complete is True


def test_llm_leaves_out_response_format_when_json_mode_is_off(hf, settings, profile, context):
    settings.HF_LLM_JSON_MODE = "off"
    providers.reset()
    hf.post(LLM_URL, json=completion(json.dumps(VALID_REPLY)))
    providers.get_llm().generate(profile, context, [], "Hello")
    assert "response_format" not in sent_json(hf)


def test_a_dedicated_endpoint_url_overrides_the_router(hf, settings, profile, context):
    settings.HF_LLM_URL = (
        "https://macca-llm.us-east-1.aws.endpoints.huggingface.cloud/v1/chat/completions"
    )
    providers.reset()
    hf.post(settings.HF_LLM_URL, json=completion(json.dumps(VALID_REPLY)))
    assert providers.get_llm().generate(profile, context, [], "Hello").degraded is False


def test_llm_repairs_a_cut_off_answer_instead_of_falling_back(hf, profile, context):
    cut = json.dumps(VALID_REPLY)[:120]
    hf.post(LLM_URL, json=completion(cut, finish_reason="length"))
    reply = providers.get_llm().generate(profile, context, [], "I cook dinner yesterday")
    assert reply.degraded is False
    assert reply.response.reply == "That sounds relaxing! What did you cook?"


def test_llm_falls_back_to_the_offline_coach_on_unusable_text(hf, profile, context, caplog):
    hf.post(LLM_URL, json=completion("I'm sorry, I can't help with that." + " blah" * 80))
    with caplog.at_level(logging.WARNING):
        reply = providers.get_llm().generate(profile, context, [], "I go to the office yesterday")
    assert reply.degraded is True
    # The rule-based coach still answers, and teaches.
    assert reply.response.reply
    assert reply.response.feedback.better_sentence == "I went to the office yesterday"
    assert "no usable reply" in caplog.text
    assert "I'm sorry, I can't help with that." in caplog.text
    assert len([r for r in caplog.records if "blah" in r.getMessage()]) == 1
    assert "blah" * 60 not in caplog.text  # only the first 200 characters


# --- Every error class ends in the fallback, logged once, without the key ---

LLM_FAILURES = {
    "connect error": (
        {"body": requests.ConnectionError("refused")},
        logging.WARNING,
        "connection failed",
    ),
    "read timeout": ({"body": requests.ReadTimeout("slow")}, logging.WARNING, "timed out"),
    "400": (
        {"status": 400, "json": {"error": "Model not supported by provider"}},
        logging.ERROR,
        "Model not supported",
    ),
    "401": (
        {"status": 401, "json": {"error": "Invalid credentials in Authorization header"}},
        logging.ERROR,
        "HTTP 401",
    ),
    "402": (
        {"status": 402, "json": {"error": "You have exceeded your monthly included credits"}},
        logging.ERROR,
        "monthly included credits",
    ),
    "403": (
        {"status": 403, "json": {"error": {"message": "This token lacks Inference Providers"}}},
        logging.ERROR,
        "lacks Inference Providers",
    ),
    "404": (
        {"status": 404, "body": "Not Found", "headers": {"x-request-id": "req-42"}},
        logging.ERROR,
        "x-request-id req-42",
    ),
    "500": (
        {"status": 500, "json": {"detail": "Internal error"}},
        logging.WARNING,
        "HTTP 500: Internal error",
    ),
    "503 loading": (
        {"status": 503, "json": {"error": "Model X is currently loading", "estimated_time": 20.0}},
        logging.WARNING,
        "currently loading",
    ),
    "error body with 200": (
        {"status": 200, "json": {"error": "Input validation error"}},
        logging.ERROR,
        "Input validation error",
    ),
    "not JSON": (
        {"status": 200, "body": "<html>Bad gateway</html>", "content_type": "text/html"},
        logging.WARNING,
        "not a chat completion",
    ),
    "no choices": (
        {"status": 200, "json": {"choices": []}},
        logging.WARNING,
        "not a chat completion",
    ),
}


@pytest.mark.parametrize("failure", LLM_FAILURES, ids=list(LLM_FAILURES))
def test_every_llm_failure_ends_in_the_fallback(hf, settings, profile, context, caplog, failure):
    settings.HF_MAX_RETRIES = 0
    providers.reset()
    response, level, message = LLM_FAILURES[failure]
    hf.post(LLM_URL, **response)
    with caplog.at_level(logging.INFO, logger="providers"):
        reply = providers.get_llm().generate(profile, context, [], "She work in a bank")
    assert reply.degraded is True
    assert reply.response.feedback.better_sentence == "She works in a bank"
    failures = [r for r in caplog.records if "failed, using the fallback" in r.getMessage()]
    assert len(failures) == 1
    assert failures[0].levelno == level
    assert message in failures[0].getMessage()
    assert "google/gemma-4-31B-it" in failures[0].getMessage()
    assert HF_KEY not in caplog.text


def test_a_long_provider_message_is_truncated_in_the_log(hf, settings, profile, context, caplog):
    settings.HF_MAX_RETRIES = 0
    providers.reset()
    hf.post(LLM_URL, status=400, json={"error": "x" * 5000})
    with caplog.at_level(logging.WARNING):
        providers.get_llm().generate(profile, context, [], "Hello")
    assert "x" * 200 in caplog.text
    assert "x" * 201 not in caplog.text


# --- ASR --------------------------------------------------------------------


def test_asr_sends_the_audio_as_base64_with_the_language(hf):
    hf.post(ASR_URL, json={"text": " I went to the market yesterday. "})
    transcript = providers.get_asr().transcribe(
        b"\x1aE\xdf\xa3webm-bytes", "audio/webm;codecs=opus"
    )
    request = hf.calls[0].request
    assert request.headers["Authorization"] == f"Bearer {HF_KEY}"
    assert request.headers["Content-Type"] == "application/json"
    assert sent_json(hf) == {
        "inputs": base64.b64encode(b"\x1aE\xdf\xa3webm-bytes").decode(),
        "parameters": {"generation_parameters": {"language": "en", "task": "transcribe"}},
    }
    assert transcript.text == "I went to the market yesterday."
    assert transcript.degraded is False


@pytest.mark.parametrize(
    ("uploaded", "sent"),
    [
        ("audio/webm;codecs=opus", "audio/webm"),
        ("audio/mp4", "audio/m4a"),  # Safari; dedicated endpoints reject audio/mp4
        ("audio/ogg", "audio/ogg"),
        ("audio/wav", "audio/wav"),
        ("audio/mpeg", "audio/mpeg"),
    ],
)
def test_a_dedicated_asr_endpoint_gets_the_raw_audio_with_a_type_it_accepts(
    hf, settings, uploaded, sent
):
    settings.HF_ASR_URL = "https://macca-asr.us-east-1.aws.endpoints.huggingface.cloud"
    providers.reset()
    hf.post(
        settings.HF_ASR_URL,
        json={"text": " I went to the market yesterday. "},
        match=[matchers.header_matcher({"Content-Type": sent})],
    )
    transcript = providers.get_asr().transcribe(b"\x00\x00\x00\x20ftypM4A audio", uploaded)
    request = hf.calls[0].request
    assert request.body == b"\x00\x00\x00\x20ftypM4A audio"
    assert request.headers["Authorization"] == f"Bearer {HF_KEY}"
    assert (transcript.text, transcript.degraded) == ("I went to the market yesterday.", False)


@pytest.mark.parametrize(
    "response",
    [
        {"body": requests.ConnectionError("refused")},
        {"status": 503, "json": {"error": "Model is currently loading"}},
        {"status": 200, "json": {"error": "Audio could not be decoded"}},
        {"status": 200, "body": "not json", "content_type": "text/plain"},
        {"status": 200, "json": {"chunks": []}},
    ],
    ids=["connect error", "503", "error body", "not JSON", "no text"],
)
def test_asr_failures_are_answered_by_the_local_recogniser(hf, settings, caplog, response):
    settings.HF_MAX_RETRIES = 0
    providers.reset()
    hf.post(ASR_URL, **response)
    asr = providers.get_asr()
    assert isinstance(asr.remote, HuggingFaceASR)
    assert asr.remote.transcribe(b"RIFFfake", "audio/wav").degraded is True
    transcript = asr.transcribe(b"RIFFfake", "audio/wav")
    # The local engine (the test stand-in here) heard it, and the turn says degraded.
    assert (transcript.text, transcript.degraded) == (MOCK_TRANSCRIPT, True)
    assert transcript.model_id == providers.local_asr().model_id
    assert "asr openai/whisper-large-v3-turbo failed" in caplog.text
    assert HF_KEY not in caplog.text


# --- TTS --------------------------------------------------------------------


def test_tts_stores_raw_audio_as_it_comes(hf):
    hf.post(
        TTS_URL,
        body=b"fLaC\x00\x00\x00\x22audio",
        content_type="audio/flac",
        match=[matchers.json_params_matcher({"inputs": "Hello, Siti!", "parameters": {}})],
    )
    speech = providers.get_tts().synthesize("Hello, Siti!")
    assert (speech.audio, speech.content_type, speech.degraded) == (
        b"fLaC\x00\x00\x00\x22audio",
        "audio/flac",
        False,
    )


def test_tts_downloads_audio_from_a_url_without_sending_the_key(hf):
    hf.post(
        TTS_URL,
        json={"audio": {"url": f"{BASE}/files/out.mp3", "content_type": "audio/mpeg"}},
    )
    hf.get(f"{BASE}/files/out.mp3", body=b"ID3mp3-bytes", content_type="audio/mpeg")
    speech = providers.get_tts().synthesize("Good morning!")
    assert (speech.audio, speech.content_type, speech.degraded) == (
        b"ID3mp3-bytes",
        "audio/mpeg",
        False,
    )
    assert "Authorization" not in hf.calls[1].request.headers


def test_tts_encodes_raw_samples_as_a_wav(hf):
    hf.post(TTS_URL, json={"audio": [0.0, 0.5, -0.5, 1.0] * 4000, "sampling_rate": 16000})
    speech = providers.get_tts().synthesize("Good morning!")
    assert speech.content_type == "audio/wav"
    with wave.open(io.BytesIO(speech.audio)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 16000)
        assert wav.getnframes() == 16000


@pytest.mark.parametrize(
    "response",
    [
        {"body": requests.ReadTimeout("slow")},
        {"status": 500, "body": "oops"},
        {"status": 200, "json": {"error": "Model too busy"}},
        {"status": 200, "body": b"", "content_type": "audio/flac"},
        {"status": 200, "json": {"audio": {"url": f"{BASE}/files/missing.wav"}}},
        {"status": 200, "json": {"audio": {"url": "https://cdn.elsewhere.test/out.wav"}}},
        {"status": 200, "json": {"generated_text": "no audio here"}},
    ],
    ids=[
        "timeout",
        "500",
        "error body",
        "empty audio",
        "download fails",
        "foreign host",
        "no audio key",
    ],
)
def test_tts_failures_are_answered_by_the_local_voice(hf, settings, caplog, response):
    settings.HF_MAX_RETRIES = 0
    providers.reset()
    hf.post(TTS_URL, **response)
    hf.get(f"{BASE}/files/missing.wav", status=404)
    foreign = hf.get("https://cdn.elsewhere.test/out.wav", body=b"RIFF....WAVE")
    tts = providers.get_tts()
    assert isinstance(tts.remote, HuggingFaceTTS)
    assert tts.remote.synthesize("Hello").audio == b""
    speech = tts.synthesize("Hello")
    assert speech.audio == providers.local_tts().synthesize("Hello").audio
    assert speech.degraded is True
    assert speech.model_id == providers.local_tts().model_id
    assert f"tts {settings.HF_TTS_MODEL_ID} failed" in caplog.text
    assert HF_KEY not in caplog.text
    assert foreign.call_count == 0  # never fetched


# --- Retries ----------------------------------------------------------------


def test_it_retries_a_cold_start_and_succeeds(hf, profile, context):
    hf.post(LLM_URL, status=503, json={"error": "Model is currently loading"})
    hf.post(LLM_URL, status=429, json={"error": "Rate limited"})
    hf.post(LLM_URL, json=completion(json.dumps(VALID_REPLY)))
    reply = providers.get_llm().generate(profile, context, [], "Hi")
    assert reply.degraded is False
    assert len(hf.calls) == 3


def test_retries_stop_at_the_bound(hf, profile, context):
    hf.post(LLM_URL, status=503, json={"error": "Service unavailable"})
    reply = providers.get_llm().generate(profile, context, [], "Hi")
    assert reply.degraded is True
    assert len(hf.calls) == 3  # the first try and HF_MAX_RETRIES=2 retries


@pytest.mark.parametrize("status", [400, 401, 402, 404])
def test_a_client_error_is_not_retried(hf, profile, context, status):
    hf.post(LLM_URL, status=status, json={"error": "no"})
    providers.get_llm().generate(profile, context, [], "Hi")
    assert len(hf.calls) == 1


@pytest.mark.parametrize(
    "headers",
    [{"Retry-After": "120"}, {"RateLimit": '"api";r=0;t=55'}],
    ids=["Retry-After", "RateLimit t="],
)
def test_a_wait_longer_than_the_budget_is_not_sat_through(hf, profile, context, headers):
    hf.post(LLM_URL, status=429, json={"error": "Too many requests"}, headers=headers)
    reply = providers.get_llm().generate(profile, context, [], "Hi")
    assert reply.degraded is True
    assert len(hf.calls) == 1


def test_retry_after_is_honoured_over_a_real_socket(settings, profile, context):
    """`responses` skips urllib3's sleeps, so this one talks to a loopback server."""
    from tests.providers.loopback import serve

    replies = [
        (503, {"Retry-After": "1"}, {"error": "Model is currently loading"}),
        (200, {}, completion(json.dumps(VALID_REPLY))),
    ]
    with serve(replies) as (base_url, seen):
        settings.USE_MOCK_AI = False
        settings.HF_API_KEY = HF_KEY
        settings.HF_LLM_URL = f"{base_url}/v1/chat/completions"
        providers.reset()
        try:
            reply = providers.get_llm().generate(profile, context, [], "Hi")
        finally:
            providers.reset()
    assert reply.degraded is False
    assert len(seen) == 2
    assert seen[1] - seen[0] >= 1.0  # waited as told, not a fixed backoff


# --- Circuit breaker ----------------------------------------------------------


def test_the_breaker_opens_answers_at_once_and_closes_after_the_cooldown(
    hf, settings, profile, context, time_machine
):
    settings.HF_MAX_RETRIES = 0
    providers.reset()
    time_machine.move_to("2026-11-24 08:00:00", tick=False)
    hf.post(LLM_URL, status=500, json={"error": "down"})
    llm = providers.get_llm()
    for _ in range(3):
        assert llm.generate(profile, context, [], "Hi").degraded
    assert len(hf.calls) == 3

    # Open: no call at all, the fallback answers.
    assert llm.generate(profile, context, [], "She work in a bank").degraded
    assert len(hf.calls) == 3

    # Shared through the cache: a freshly built provider (another worker) sees it too.
    providers.reset()
    assert providers.get_llm().generate(profile, context, [], "Hi").degraded
    assert len(hf.calls) == 3

    # After the cooldown one call goes through; its success closes the breaker.
    time_machine.move_to("2026-11-24 08:00:31", tick=False)
    hf.replace("POST", LLM_URL, json=completion(json.dumps(VALID_REPLY)))
    assert not providers.get_llm().generate(profile, context, [], "Hi").degraded
    assert not providers.get_llm().generate(profile, context, [], "Hi").degraded
    assert len(hf.calls) == 5


def test_a_success_resets_the_failure_count(hf, settings, profile, context):
    settings.HF_MAX_RETRIES = 0
    providers.reset()
    failing = hf.post(LLM_URL, status=500, json={"error": "down"})
    llm = providers.get_llm()
    llm.generate(profile, context, [], "Hi")
    llm.generate(profile, context, [], "Hi")
    hf.remove(failing)
    ok = hf.post(LLM_URL, json=completion(json.dumps(VALID_REPLY)))
    assert not llm.generate(profile, context, [], "Hi").degraded
    hf.remove(ok)
    hf.post(LLM_URL, status=500, json={"error": "down"})
    llm.generate(profile, context, [], "Hi")
    llm.generate(profile, context, [], "Hi")
    llm.generate(profile, context, [], "Hi")  # the 3rd consecutive failure: now it opens
    calls = len(hf.calls)
    llm.generate(profile, context, [], "Hi")
    assert len(hf.calls) == calls


def test_each_provider_has_its_own_breaker(hf, settings, profile, context):
    settings.HF_MAX_RETRIES = 0
    providers.reset()
    hf.post(LLM_URL, status=500, json={"error": "down"})
    hf.post(TTS_URL, body=b"RIFF....WAVE", content_type="audio/wav")
    for _ in range(4):
        providers.get_llm().generate(profile, context, [], "Hi")
    assert providers.get_tts().synthesize("Hello").degraded is False


def test_the_llm_payload_does_not_depend_on_django(profile, context):
    """HuggingFaceLLM is plain Python: build it without settings to see its payload."""

    class NoClient:
        model_id = "some/model"

    payload = HuggingFaceLLM(client=NoClient(), json_mode="off", max_tokens=1000).payload(
        profile, context, [], "Hi"
    )
    assert payload["model"] == "some/model"
    assert payload["messages"][-1] == {"role": "user", "content": "Hi"}
