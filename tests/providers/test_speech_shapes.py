"""Each speech provider gets the request it documents (shared/HUGGINGFACE.md), seen on a
real socket: method, path, token, content type and body, with the language for ASR;
its answer is parsed, and a file it points to is fetched only from its own hosts."""

from __future__ import annotations

import base64
import logging

import pytest
from django.core.cache import cache

import providers
from bench.fake_hf import parse_multipart
from providers.breaker import CircuitBreaker
from providers.http import HuggingFaceClient
from providers.speech_shapes import TTS_SHAPES

from .loopback import record

KEY = "hf_shapes_SECRET_key"
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt fake speech"
MP3 = b"ID3\x04\x00fake mp3 speech"
M4A = b"\x00\x00\x00\x20ftypM4A safari recording"


@pytest.fixture
def remote(settings):
    """Hugging Face mode, no retries, a breaker that stays closed; point
    HF_API_BASE_URL at a loopback server with `use(base)`."""
    settings.USE_MOCK_AI = False
    settings.AI_PROVIDER = "huggingface"
    settings.HF_API_KEY = KEY
    settings.HF_LLM_URL = settings.HF_ASR_URL = settings.HF_TTS_URL = ""
    settings.HF_ASR_PROVIDER_MODEL = settings.HF_TTS_PROVIDER_MODEL = ""
    settings.HF_TTS_VOICE = "af_heart"
    settings.HF_MAX_RETRIES = 0
    settings.HF_BREAKER_FAILURES = 100

    def use(base: str, **values) -> None:
        settings.HF_API_BASE_URL = base
        for name, value in values.items():
            setattr(settings, name, value)
        cache.clear()
        providers.reset()

    yield use
    providers.reset()


def transcribe(content_type: str = "audio/mp4"):
    return providers.get_asr().transcribe(M4A, content_type, "en")


# --- ASR ------------------------------------------------------------------------------


def test_hf_inference_asr_sends_base64_json_with_the_language(remote, settings):
    path = f"/hf-inference/models/{settings.HF_ASR_MODEL_ID}"
    with record({("POST", path): (200, {}, {"text": " I went home. "})}) as (base, seen):
        remote(base, HF_ASR_PROVIDER="hf-inference")
        heard = transcribe()
    assert (heard.text, heard.degraded) == ("I went home.", False)
    [request] = seen
    assert (request.method, request.path) == ("POST", path)
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {
        "inputs": base64.b64encode(M4A).decode(),
        "parameters": {"generation_parameters": {"language": "en", "task": "transcribe"}},
    }


def test_fal_asr_sends_a_data_url_of_a_type_it_accepts_with_the_language(remote):
    path = "/fal-ai/fal-ai/whisper"
    with record({("POST", path): (200, {}, {"text": "I went home.", "chunks": []})}) as (
        base,
        seen,
    ):
        remote(base, HF_ASR_PROVIDER="fal-ai")
        heard = transcribe("audio/mp4")
    assert (heard.text, heard.degraded) == ("I went home.", False)
    [request] = seen
    assert request.path == path
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["content-type"] == "application/json"
    sent = request.json()
    assert sent["audio_url"] == f"data:audio/m4a;base64,{base64.b64encode(M4A).decode()}"
    assert (sent["language"], sent["task"]) == ("en", "transcribe")


def test_fal_asr_uses_the_provider_model_when_one_is_set(remote):
    path = "/fal-ai/fal-ai/wizper"
    with record({("POST", path): (200, {}, {"text": "Hello."})}) as (base, seen):
        remote(base, HF_ASR_PROVIDER="fal-ai", HF_ASR_PROVIDER_MODEL="fal-ai/wizper")
        assert transcribe().text == "Hello."
    assert [r.path for r in seen] == [path]


@pytest.mark.parametrize(
    ("uploaded", "part_type", "filename"),
    [
        ("audio/webm;codecs=opus", "audio/webm", "speech.webm"),
        ("audio/mp4", "audio/m4a", "speech.m4a"),
        ("audio/ogg", "audio/ogg", "speech.ogg"),
        ("audio/mpeg", "audio/mpeg", "speech.mp3"),
    ],
)
def test_deepinfra_asr_sends_an_openai_style_multipart_form(
    remote, settings, uploaded, part_type, filename
):
    path = "/deepinfra/v1/openai/audio/transcriptions"
    with record({("POST", path): (200, {}, {"text": "I went home."})}) as (base, seen):
        remote(base, HF_ASR_PROVIDER="deepinfra")
        heard = transcribe(uploaded)
    assert (heard.text, heard.degraded) == ("I went home.", False)
    [request] = seen
    assert request.path == path
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    form = parse_multipart(request.headers["content-type"], request.body)
    assert form == {
        "file": (filename, part_type, M4A),
        "model": settings.HF_ASR_MODEL_ID,
        "language": "en",
        "response_format": "json",
    }


@pytest.mark.parametrize("provider", ["hf-inference", "fal-ai", "deepinfra"])
def test_an_asr_answer_without_text_ends_in_the_local_recogniser(remote, provider):
    with record({}) as (base, seen):  # every path: 404
        remote(base, HF_ASR_PROVIDER=provider)
        heard = transcribe()
    assert heard.degraded and heard.model_id == providers.local_asr().model_id
    assert len(seen) == 1


# --- TTS ------------------------------------------------------------------------------


def synthesize():
    return providers.get_tts().synthesize("Nice to meet you!")


def test_hf_inference_tts_sends_inputs_and_gets_audio_bytes(remote, settings):
    path = f"/hf-inference/models/{settings.HF_TTS_MODEL_ID}"
    with record({("POST", path): (200, {"Content-Type": "audio/flac"}, b"fLaC audio")}) as (
        base,
        seen,
    ):
        remote(base, HF_TTS_PROVIDER="hf-inference")
        speech = synthesize()
    assert (speech.audio, speech.content_type, speech.degraded) == (
        b"fLaC audio",
        "audio/flac",
        False,
    )
    [request] = seen
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.json() == {"inputs": "Nice to meet you!", "parameters": {}}


@pytest.mark.parametrize(
    ("provider", "path"),
    [
        ("deepinfra", "/deepinfra/v1/openai/audio/speech"),
        ("together", "/together/v1/audio/speech"),
    ],
)
def test_openai_style_tts_sends_model_input_and_voice_and_gets_audio_bytes(
    remote, settings, provider, path
):
    with record({("POST", path): (200, {"Content-Type": "audio/mpeg"}, MP3)}) as (base, seen):
        remote(base, HF_TTS_PROVIDER=provider)
        speech = synthesize()
    assert (speech.audio, speech.content_type, speech.degraded) == (MP3, "audio/mpeg", False)
    assert speech.model_id == settings.HF_TTS_MODEL_ID
    [request] = seen
    assert (request.method, request.path) == ("POST", path)
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {
        "model": settings.HF_TTS_MODEL_ID,
        "input": "Nice to meet you!",
        "voice": "af_heart",
        "response_format": "mp3",
    }


def test_fal_tts_answers_a_url_fetched_from_the_providers_host_without_the_key(remote):
    path = "/fal-ai/fal-ai/kokoro/american-english"
    with record({("GET", "/files/out.wav"): (200, {"Content-Type": "audio/wav"}, WAV)}) as (
        media,
        downloads,
    ):
        answer = {"audio": {"url": f"{media}/files/out.wav", "content_type": "audio/wav"}}
        with record({("POST", path): (200, {}, answer)}) as (base, seen):
            remote(
                base,
                HF_TTS_PROVIDER="fal-ai",
                HF_TTS_PROVIDER_MODEL="fal-ai/kokoro/american-english",
            )
            # fal's media hosts are *.fal.media; here the file server stands in for one.
            providers.get_tts().remote.client.media_hosts += (media.removeprefix("http://"),)
            speech = synthesize()
    assert (speech.audio, speech.content_type, speech.degraded) == (WAV, "audio/wav", False)
    [request] = seen
    assert request.path == path
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.json() == {"text": "Nice to meet you!", "voice": "af_heart"}
    [download] = downloads
    assert (download.method, download.path) == ("GET", "/files/out.wav")
    assert "authorization" not in download.headers


@pytest.mark.parametrize(
    ("provider_model", "path", "version"),
    [
        ("", "/replicate/v1/models/jaaari/kokoro-82m/predictions", None),
        ("jaaari/kokoro-82m:f559", "/replicate/v1/predictions", "f559"),
    ],
    ids=["model", "version"],
)
def test_replicate_tts_waits_for_the_prediction_and_fetches_its_output(
    remote, settings, provider_model, path, version
):
    routes = {
        ("GET", "/delivery/out.wav"): (200, {"Content-Type": "application/octet-stream"}, WAV)
    }
    with record(routes) as (base, seen):
        answer = {"id": "p1", "status": "succeeded", "output": f"{base}/delivery/out.wav"}
        routes[("POST", path)] = (201, {}, answer)
        remote(
            base,
            HF_TTS_PROVIDER="replicate",
            HF_TTS_MODEL_ID="hexgrad/Kokoro-82M",
            HF_TTS_PROVIDER_MODEL=provider_model,
        )
        speech = synthesize()
    assert (speech.audio, speech.content_type, speech.degraded) == (WAV, "audio/wav", False)
    post, download = seen
    assert (post.method, post.path) == ("POST", path)
    assert post.headers["prefer"] == "wait"
    assert post.headers["authorization"] == f"Bearer {KEY}"
    expected = {"input": {"text": "Nice to meet you!", "voice": "af_heart"}}
    if version:
        expected["version"] = version
    assert post.json() == expected
    assert download.path == "/delivery/out.wav"
    assert "authorization" not in download.headers


def test_a_replicate_prediction_still_running_ends_in_the_local_voice(remote, caplog):
    path = "/replicate/v1/models/jaaari/kokoro-82m/predictions"
    answer = {"id": "p1", "status": "processing", "output": None}
    with record({("POST", path): (201, {}, answer)}) as (base, seen):
        remote(base, HF_TTS_PROVIDER="replicate", HF_TTS_MODEL_ID="hexgrad/Kokoro-82M")
        with caplog.at_level(logging.WARNING):
            speech = synthesize()
    assert speech.degraded and speech.model_id == providers.local_tts().model_id
    assert "no output URL (prediction status processing)" in caplog.text
    assert len(seen) == 1


@pytest.mark.parametrize("provider", ["fal-ai", "replicate"])
def test_a_url_on_a_foreign_host_is_never_fetched(remote, settings, caplog, provider):
    with record({("GET", "/out.wav"): (200, {"Content-Type": "audio/wav"}, WAV)}) as (
        elsewhere,
        foreign,
    ):
        url = f"{elsewhere}/out.wav"  # same machine, another port: another host
        answer = {"audio": {"url": url}} if provider == "fal-ai" else {"output": [url]}
        shape = TTS_SHAPES[provider]
        path = shape.url("", shape.provider_model(settings.HF_TTS_MODEL_ID))
        with record({("POST", path): (200, {}, answer)}) as (base, seen):
            remote(base, HF_TTS_PROVIDER=provider)
            with caplog.at_level(logging.ERROR):
                speech = synthesize()
    assert speech.degraded and speech.model_id == providers.local_tts().model_id
    assert foreign == [] and len(seen) == 1
    assert f"refused to fetch '{elsewhere.removeprefix('http://')}'" in caplog.text
    assert KEY not in caplog.text


def test_a_redirect_to_a_foreign_host_is_not_followed(remote):
    with record({("GET", "/out.wav"): (200, {"Content-Type": "audio/wav"}, WAV)}) as (
        elsewhere,
        foreign,
    ):
        path = "/fal-ai/fal-ai/kokoro"
        routes = {("GET", "/files/out.wav"): (302, {"Location": f"{elsewhere}/out.wav"}, b"")}
        with record(routes) as (base, seen):
            routes[("POST", path)] = (200, {}, {"audio": {"url": f"{base}/files/out.wav"}})
            remote(base, HF_TTS_PROVIDER="fal-ai", HF_TTS_PROVIDER_MODEL="fal-ai/kokoro")
            speech = synthesize()
    assert speech.degraded
    assert [r.path for r in seen] == [path, "/files/out.wav"]
    assert foreign == []


def client(url: str, media_hosts: tuple[str, ...]) -> HuggingFaceClient:
    return HuggingFaceClient(
        task="tts",
        model_id="m",
        url=url,
        api_key="",
        connect_timeout=1,
        read_timeout=1,
        retries=0,
        retry_budget=1,
        breaker=CircuitBreaker("test", failures=1, cooldown_seconds=1),
        media_hosts=media_hosts,
    )


@pytest.mark.parametrize(
    ("provider", "url", "allowed"),
    [
        ("fal-ai", "https://v3.fal.media/files/out.wav", True),
        ("fal-ai", "https://fal.media/files/out.wav", True),
        ("fal-ai", "https://fal.media.evil.test/out.wav", False),
        ("fal-ai", "https://evilfal.media/out.wav", False),
        ("fal-ai", "https://evil.test/fal.media/out.wav", False),
        ("fal-ai", "https://v3.fal.media@evil.test/out.wav", False),
        ("fal-ai", "file:///etc/passwd", False),
        ("replicate", "https://replicate.delivery/pbxt/out.wav", True),
        ("replicate", "https://x.replicate.delivery/out.wav", True),
        ("replicate", "https://v3.fal.media/files/out.wav", False),
        ("deepinfra", "https://router.huggingface.co/files/out.wav", True),
        ("deepinfra", "https://router.huggingface.co.evil.test/out.wav", False),
    ],
)
def test_each_provider_fetches_only_from_its_media_hosts(provider, url, allowed):
    shape = TTS_SHAPES[provider]
    posting_to = shape.url("https://router.huggingface.co", "some/model")
    assert client(posting_to, shape.media_hosts).may_fetch(url) is allowed


# --- Dedicated endpoints --------------------------------------------------------------


@pytest.mark.parametrize("provider", ["deepinfra", "replicate", "hf-inference"])
def test_a_dedicated_tts_endpoint_gets_the_toolkits_body_whatever_the_provider(remote, provider):
    answer = {"audio": [0.0, 0.25, -0.25] * 1000, "sampling_rate": 16000}
    with record({("POST", "/tts-endpoint"): (200, {}, answer)}) as (base, seen):
        remote(base, HF_TTS_PROVIDER=provider, HF_TTS_URL=f"{base}/tts-endpoint")
        speech = synthesize()
    assert (speech.content_type, speech.degraded) == ("audio/wav", False)
    assert speech.audio[:4] == b"RIFF"
    [request] = seen
    assert request.path == "/tts-endpoint"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert "prefer" not in request.headers
    assert request.json() == {"inputs": "Nice to meet you!", "parameters": {}}


@pytest.mark.parametrize("provider", ["fal-ai", "deepinfra", "hf-inference"])
def test_a_dedicated_asr_endpoint_gets_the_raw_audio_whatever_the_provider(remote, provider):
    with record({("POST", "/asr-endpoint"): (200, {}, {"text": "Hello."})}) as (base, seen):
        remote(base, HF_ASR_PROVIDER=provider, HF_ASR_URL=f"{base}/asr-endpoint")
        assert transcribe("audio/mp4").text == "Hello."
    [request] = seen
    assert (request.path, request.body) == ("/asr-endpoint", M4A)
    assert request.headers["content-type"] == "audio/m4a"
    assert providers.describe_engines()["asr"]["provider"] == "endpoint"
