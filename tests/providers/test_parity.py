"""Macca's requests are the official client's. For each task and provider shape, the
request huggingface_hub's `InferenceClient` sends and the request Macca sends for the
same call are captured on one loopback server and compared: method, path, token,
media type, extra headers (replicate's `Prefer`) and every body field (JSON keys and
values; for multipart, the form fields and the file's type and bytes). The few
differences are by design, listed per case and asserted as exactly that difference,
so an upgrade of huggingface_hub that changes a wire format fails here (and names
the field). The client also gets a valid answer from bench/fake_hf.py for each shape:
the fake speaks what the official client sends.

The client is pointed at loopback as a Hub mirror would point it: the Hub endpoint
(`HF_ENDPOINT`'s constant) at a fake Hub answering `GET /api/models/<id>` with the
model's `inferenceProviderMapping` (the real lookup code runs), and the router
(`INFERENCE_PROXY_TEMPLATE`, and the helpers that copied it at import) at the
capture server. huggingface_hub is pinned in requirements.txt (faster-whisper needs
it anyway); a new version's formats are checked here before it is pinned."""

from __future__ import annotations

import base64
import io
import json
import mimetypes
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.cache import cache
from huggingface_hub import InferenceClient, constants
from huggingface_hub.inference._providers import CONVERSATIONAL_AUTO_ROUTER, PROVIDERS
from huggingface_hub.inference._providers._common import _fetch_inference_provider_mapping
from huggingface_hub.inference._providers.hf_inference import _check_supported_task
from huggingface_hub.utils import _http

import providers
from bench.fake_hf import TRANSCRIPT, FakeHF, macca_reply, parse_multipart
from providers.prompts import chat_messages
from providers.schemas import HistoryTurn, LearnerProfile, MaccaJsonResponse, PracticeContext

from .loopback import Seen, record

KEY = "hf_parity_test_token"
TEXT = "Nice to meet you!"
VOICE = "af_heart"
WEBM = b"\x1aE\xdf\xa3 chrome webm recording"
MP3 = b"ID3\x04\x00 an mp3 recording"
M4A = b"\x00\x00\x00\x20ftypM4A safari recording"
SPOKEN = b"ID3\x04\x00 Macca's voice"
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt the voice as a file"
HEARD = {"text": "I went home."}
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def named(data: bytes, name: str) -> io.BytesIO:
    """A recording as a file: InferenceClient takes its type from the name."""
    file = io.BytesIO(data)
    file.name = name
    return file


def saved(path: Path, data: bytes) -> Path:
    """A recording on disk (raw audio goes to an endpoint only from bytes or a path)."""
    path.write_bytes(data)
    return path


# --- The official client on loopback ----------------------------------------------------


@dataclass(frozen=True)
class Mapping:
    """What the Hub's model page says: the task, and the provider's id for the model."""

    model: str
    task: str
    provider: str = ""
    provider_id: str = ""

    def model_info(self) -> dict:
        served = {}
        if self.provider:
            served[self.provider] = {
                "providerId": self.provider_id or self.model,
                "status": "live",
                "task": self.task,
            }
        return {"id": self.model, "pipeline_tag": self.task, "inferenceProviderMapping": served}


def _clear_client_caches() -> None:
    _fetch_inference_provider_mapping.cache_clear()
    _check_supported_task.cache_clear()
    _http.close_session()  # the shared httpx client is rebuilt without any proxy


@pytest.fixture
def official(monkeypatch) -> Iterator[Callable[..., InferenceClient]]:
    """`official(router_base, mapping, provider=..., api_key=..., base_url=...)`: an
    InferenceClient whose Hub is a loopback fake answering `mapping` (None: no lookup,
    a URL or the router's own routing) and whose router is `router_base`."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    # providers.local sets HF_HUB_OFFLINE=1 for faster-whisper: the client needs its Hub.
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_TELEMETRY", True)  # no agent registry
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_IMPLICIT_TOKEN", True)  # no stored token
    hub_routes: dict = {}
    _clear_client_caches()
    with record(hub_routes) as (hub, _):
        monkeypatch.setattr(constants, "ENDPOINT", hub)

        def point(
            router: str,
            mapping: Mapping | None,
            *,
            provider: str | None,
            api_key: str = KEY,
            base_url: str | None = None,
        ) -> InferenceClient:
            if mapping:
                hub_routes[("GET", f"/api/models/{mapping.model}")] = (
                    200,
                    {},
                    mapping.model_info(),
                )
            monkeypatch.setattr(constants, "INFERENCE_PROXY_TEMPLATE", f"{router}/{{provider}}")
            # These copied the router's URL when huggingface_hub was imported.
            monkeypatch.setattr(CONVERSATIONAL_AUTO_ROUTER, "base_url", router)
            for helper in PROVIDERS["hf-inference"].values():
                monkeypatch.setattr(helper, "base_url", f"{router}/hf-inference")
            return InferenceClient(provider=provider, api_key=api_key, base_url=base_url)

        yield point
    _clear_client_caches()


@pytest.fixture
def macca(settings) -> Iterator[Callable[..., None]]:
    """`macca(base, **settings)`: Hugging Face mode against `base`, no retries."""
    settings.USE_MOCK_AI = False
    settings.AI_PROVIDER = "huggingface"
    settings.HF_API_KEY = KEY
    settings.HF_LLM_URL = settings.HF_ASR_URL = settings.HF_TTS_URL = ""
    settings.HF_ASR_PROVIDER_MODEL = settings.HF_TTS_PROVIDER_MODEL = ""
    settings.HF_LLM_JSON_MODE = "json_schema"
    settings.HF_TTS_VOICE = VOICE
    settings.HF_MAX_RETRIES = 0
    settings.HF_BREAKER_FAILURES = 100

    def use(base: str, **values) -> None:
        settings.HF_API_BASE_URL = base
        for name, value in values.items():
            setattr(settings, name, value.format(base=base) if isinstance(value, str) else value)
        cache.clear()
        providers.reset()

    yield use
    providers.reset()


# --- Comparing requests ---------------------------------------------------------------


def wire(request: Seen) -> dict:
    """What a provider reads of a request (a multipart boundary is noise)."""
    content_type = request.headers.get("content-type", "")
    media_type = content_type.split(";")[0].strip().lower()
    if media_type == "application/json":
        body = request.json()
    elif media_type == "multipart/form-data":
        body = parse_multipart(content_type, request.body)
    else:
        body = {"raw": request.body}
    return {
        "method": request.method,
        "path": request.path,
        "authorization": request.headers.get("authorization"),
        "content-type": media_type,
        "prefer": request.headers.get("prefer"),
        "body": body,
    }


def assert_same_request(ours: Seen, theirs: Seen, differences: dict[str, tuple]) -> None:
    """`differences`: wire key (`body.<field>` for a body field) → (Macca's value, the
    client's value), the only ones allowed to differ; everything else must be equal."""
    mine, official = wire(ours), wire(theirs)
    for key, expected in differences.items():
        where_mine, where_official, name = mine, official, key
        if key.startswith("body."):
            where_mine, where_official, name = mine["body"], official["body"], key[5:]
        assert (where_mine.pop(name, None), where_official.pop(name, None)) == expected, key
    assert mine == official


def downloads(requests: list[Seen]) -> list[tuple]:
    """The file fetches after the call: where, and whether the token went along."""
    return [(r.method, r.path, "authorization" in r.headers) for r in requests[1:]]


# --- The cases ------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    provider: str  # InferenceClient's provider
    mapping: Mapping | None  # the Hub's answer for the model (None: a URL, no lookup)
    settings: dict  # Macca's, "{base}" is the capture server
    # (client, capture server, a folder for files) → the same call through the client
    official: Callable[[InferenceClient, str, Path], object]
    answer: Callable[[str], tuple]  # base → the provider's reply
    recording: tuple[bytes, str] = (b"", "")  # ASR: what Macca is given
    differences: dict[str, tuple] = field(default_factory=dict)


def transcript(base: str) -> tuple:
    return 200, {}, HEARD


def audio_bytes(base: str) -> tuple:
    return 200, {"Content-Type": "audio/mpeg"}, SPOKEN


ASR_MODEL = "openai/whisper-large-v3-turbo"
WHISPER = "openai/whisper-large-v3"  # the one fal-ai and deepinfra serve

ASR_CASES = [
    pytest.param(
        Case(
            provider="hf-inference",
            mapping=Mapping(ASR_MODEL, "automatic-speech-recognition"),
            settings={"HF_ASR_PROVIDER": "hf-inference", "HF_ASR_MODEL_ID": ASR_MODEL},
            recording=(WEBM, "audio/webm;codecs=opus"),
            official=lambda client, base, files: client.automatic_speech_recognition(
                WEBM,
                model=ASR_MODEL,
                extra_body={"generation_parameters": {"language": "en", "task": "transcribe"}},
            ),
            answer=transcript,
        ),
        id="asr-hf-inference",
    ),
    pytest.param(
        Case(
            provider="fal-ai",
            mapping=Mapping(WHISPER, "automatic-speech-recognition", "fal-ai", "fal-ai/whisper"),
            settings={"HF_ASR_PROVIDER": "fal-ai", "HF_ASR_MODEL_ID": WHISPER},
            recording=(WEBM, "audio/webm;codecs=opus"),
            official=lambda client, base, files: client.automatic_speech_recognition(
                WEBM, model=WHISPER, extra_body={"language": "en", "task": "transcribe"}
            ),
            answer=transcript,
            # The client labels any bytes audio/mpeg; Macca says what the recording is.
            differences={
                "body.audio_url": (
                    f"data:audio/webm;base64,{b64(WEBM)}",
                    f"data:audio/mpeg;base64,{b64(WEBM)}",
                )
            },
        ),
        id="asr-fal-ai",
    ),
    pytest.param(
        Case(
            provider="deepinfra",
            mapping=Mapping(WHISPER, "automatic-speech-recognition", "deepinfra"),
            settings={"HF_ASR_PROVIDER": "deepinfra", "HF_ASR_MODEL_ID": WHISPER},
            recording=(MP3, "audio/mpeg"),
            official=lambda client, base, files: client.automatic_speech_recognition(
                named(MP3, "speech.mp3"),
                model=WHISPER,
                extra_body={"language": "en", "response_format": "json"},
            ),
            answer=transcript,
            # Only the file's name: servers read the format from its extension, the same.
            differences={
                "body.file": (
                    ("speech.mp3", "audio/mpeg", MP3),
                    (
                        "audio" + (mimetypes.guess_extension("audio/mpeg") or ".wav"),
                        "audio/mpeg",
                        MP3,
                    ),
                )
            },
        ),
        id="asr-deepinfra",
    ),
    pytest.param(
        Case(
            provider="hf-inference",
            mapping=None,
            settings={"HF_ASR_PROVIDER": "hf-inference", "HF_ASR_URL": "{base}/asr-endpoint"},
            recording=(M4A, "audio/mp4"),
            official=lambda client, base, files: client.automatic_speech_recognition(
                saved(files / "speech.m4a", M4A), model=f"{base}/asr-endpoint"
            ),
            answer=transcript,
            # Safari's audio/mp4, which dedicated endpoints refuse, goes as audio/m4a.
            differences={"content-type": ("audio/m4a", "audio/mp4")},
        ),
        id="asr-dedicated-endpoint",
    ),
]

TTS_MODEL = "hexgrad/Kokoro-82M"
FAL_KOKORO = "fal-ai/kokoro/american-english"
REPLICATE_KOKORO = "jaaari/kokoro-82m"
REPLICATE_VERSION = "f559560eb822dc509045f3921a1921234918b91739db4bf3daab2169b71c7a13"


def file_url(key: str) -> Callable[[str], tuple]:
    """A provider answering with the URL of the audio file, on the capture server."""

    def answer(base: str) -> tuple:
        url = f"{base}/files/out.wav"
        body = {"audio": {"url": url, "content_type": "audio/wav"}} if key == "audio" else None
        return (200, {}, body) if body else (201, {}, {"status": "succeeded", "output": url})

    return answer


def speak(client: InferenceClient, **extra) -> bytes:
    return client.text_to_speech(TEXT, model=TTS_MODEL, extra_body=extra or None)


TTS_CASES = [
    pytest.param(
        Case(
            provider="hf-inference",
            mapping=Mapping(TTS_MODEL, "text-to-speech"),
            settings={"HF_TTS_PROVIDER": "hf-inference"},
            official=lambda client, base, files: speak(client),
            answer=audio_bytes,
        ),
        id="tts-hf-inference",
    ),
    pytest.param(
        Case(
            provider="fal-ai",
            mapping=Mapping(TTS_MODEL, "text-to-speech", "fal-ai", FAL_KOKORO),
            settings={"HF_TTS_PROVIDER": "fal-ai", "HF_TTS_PROVIDER_MODEL": FAL_KOKORO},
            official=lambda client, base, files: speak(client, voice=VOICE),
            answer=file_url("audio"),
        ),
        id="tts-fal-ai",
    ),
    pytest.param(
        Case(
            provider="replicate",
            mapping=Mapping(TTS_MODEL, "text-to-speech", "replicate", REPLICATE_KOKORO),
            settings={"HF_TTS_PROVIDER": "replicate"},
            official=lambda client, base, files: speak(client, voice=VOICE),
            answer=file_url("output"),
        ),
        id="tts-replicate",
    ),
    pytest.param(
        Case(
            provider="replicate",
            mapping=Mapping(
                TTS_MODEL, "text-to-speech", "replicate", f"{REPLICATE_KOKORO}:{REPLICATE_VERSION}"
            ),
            settings={
                "HF_TTS_PROVIDER": "replicate",
                "HF_TTS_PROVIDER_MODEL": f"{REPLICATE_KOKORO}:{REPLICATE_VERSION}",
            },
            official=lambda client, base, files: speak(client, voice=VOICE),
            answer=file_url("output"),
        ),
        id="tts-replicate-version",
    ),
    pytest.param(
        Case(
            provider="deepinfra",
            mapping=Mapping(TTS_MODEL, "text-to-speech", "deepinfra"),
            settings={"HF_TTS_PROVIDER": "deepinfra"},
            # Macca asks every OpenAI-style voice for MP3: the same call passes it.
            official=lambda client, base, files: speak(client, voice=VOICE, response_format="mp3"),
            answer=audio_bytes,
        ),
        id="tts-deepinfra",
    ),
    pytest.param(
        Case(
            provider="together",
            mapping=Mapping(TTS_MODEL, "text-to-speech", "together"),
            settings={"HF_TTS_PROVIDER": "together"},
            official=lambda client, base, files: speak(client, voice=VOICE, response_format="mp3"),
            answer=audio_bytes,
        ),
        id="tts-together",
    ),
    pytest.param(
        Case(
            provider="hf-inference",
            mapping=None,
            settings={"HF_TTS_PROVIDER": "together", "HF_TTS_URL": "{base}/tts-endpoint"},
            official=lambda client, base, files: client.text_to_speech(
                TEXT, model=f"{base}/tts-endpoint"
            ),
            answer=audio_bytes,
        ),
        id="tts-dedicated-endpoint",
    ),
]


# --- ASR and TTS ----------------------------------------------------------------------


class Provider(dict):
    """The capture server's routes: every POST gets the provider's reply (so a path that
    differs shows in the comparison, not as a 404) and GET /files/out.wav the file."""

    def __init__(self) -> None:
        super().__init__({("GET", "/files/out.wav"): (200, {"Content-Type": "audio/wav"}, WAV)})
        self.reply: tuple = (404, {}, {"error": "no reply yet"})

    def get(self, key, default=None):
        return self.reply if key[0] == "POST" else super().get(key, default)


@pytest.mark.parametrize("case", ASR_CASES)
def test_asr_sends_what_the_official_client_sends(case, official, macca, tmp_path):
    routes = Provider()
    with record(routes) as (base, seen):
        routes.reply = case.answer(base)
        macca(base, **case.settings)
        heard = providers.get_asr().transcribe(*case.recording, "en")
        ours = len(seen)
        answer = case.official(official(base, case.mapping, provider=case.provider), base, tmp_path)
    mine, theirs = seen[:ours], seen[ours:]
    assert (heard.text, heard.degraded) == ("I went home.", False)
    assert answer.text == "I went home."
    assert len(mine) == len(theirs) == 1
    assert_same_request(mine[0], theirs[0], case.differences)


@pytest.mark.parametrize("case", TTS_CASES)
def test_tts_sends_what_the_official_client_sends(case, official, macca, tmp_path):
    routes = Provider()
    with record(routes) as (base, seen):
        routes.reply = case.answer(base)
        macca(base, **case.settings)
        speech = providers.get_tts().synthesize(TEXT)
        ours = len(seen)
        audio = case.official(official(base, case.mapping, provider=case.provider), base, tmp_path)
    mine, theirs = seen[:ours], seen[ours:]
    assert not speech.degraded
    assert speech.audio == audio  # the same file, fetched the same way
    assert_same_request(mine[0], theirs[0], case.differences)
    assert downloads(mine) == downloads(theirs)  # fal-ai, replicate: one GET, no token


# --- LLM ------------------------------------------------------------------------------

LLM_MODEL = "google/gemma-4-31B-it"
LEARNER = "I go to the office yesterday"
PROFILE = LearnerProfile(name="Siti", level="B1", goal="job_interview", explanation_language="id")
CONTEXT = PracticeContext(mode="live_conversation", topic="weekend plans")
HISTORY = [HistoryTurn(role="learner", text="Hi"), HistoryTurn(role="tutor", text="Hello!")]
MESSAGES = chat_messages(PROFILE, CONTEXT, HISTORY, LEARNER)
RESPONSE_FORMAT = {
    "type": "json_schema",
    "json_schema": {
        "name": "MaccaJsonResponse",
        "schema": MaccaJsonResponse.model_json_schema(),
        "strict": True,
    },
}


def chat_completion_answer() -> dict:
    content = json.dumps(macca_reply("I go to the office yesterday", 1, repeat=True))
    return {
        "id": "chatcmpl-parity",
        "object": "chat.completion",
        "created": 0,
        "model": LLM_MODEL,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
    }


def generate() -> object:
    return providers.get_llm().generate(PROFILE, CONTEXT, HISTORY, LEARNER)


@pytest.mark.parametrize(
    ("model", "json_mode"),
    [
        (LLM_MODEL, "json_schema"),
        (f"{LLM_MODEL}:cerebras", "json_schema"),
        (f"{LLM_MODEL}:fastest", "off"),
    ],
    ids=["llm-json-schema", "llm-model-provider", "llm-policy-json-off"],
)
def test_the_llm_sends_what_the_official_client_sends(official, macca, model, json_mode):
    """The router's chat completion: InferenceClient's server-side routing (no
    provider), which is what Macca does with a `model[:provider|:policy]` id."""
    routes = {("POST", "/v1/chat/completions"): (200, {}, chat_completion_answer())}
    with record(routes) as (base, seen):
        macca(base, HF_LLM_MODEL_ID=model, HF_LLM_JSON_MODE=json_mode)
        llm = providers.get_llm()
        reply = generate()
        answer = official(base, None, provider=None).chat_completion(
            MESSAGES,
            model=model,
            max_tokens=llm.max_tokens,
            temperature=llm.temperature,
            response_format=RESPONSE_FORMAT if json_mode == "json_schema" else None,
        )
    mine, theirs = seen
    assert not reply.degraded
    assert answer.choices[0].message.content == reply.raw_text
    assert_same_request(mine, theirs, {})
    assert wire(mine)["body"]["model"] == model


def test_a_self_hosted_llm_gets_openais_json_schema_where_the_client_sends_tgis(official, macca):
    """Given a URL, InferenceClient speaks TGI: a json_schema becomes TGI's
    `{"type": "json_object", "value": schema}`. Macca's self-hosted servers (vLLM,
    llama.cpp, Ollama) take OpenAI's json_schema, so Macca keeps it; all else is equal."""
    routes = {("POST", "/v1/chat/completions"): (200, {}, chat_completion_answer())}
    with record(routes) as (base, seen):
        macca(
            base,
            AI_PROVIDER="openai",
            OPENAI_BASE_URL="{base}/v1",
            OPENAI_API_KEY="sk-local",
            OPENAI_LLM_MODEL="Qwen/Qwen3-8B",
        )
        llm = providers.get_llm()
        assert not generate().degraded
        client = official(base, None, provider=None, api_key="sk-local", base_url=f"{base}/v1")
        client.chat_completion(
            MESSAGES,
            model="Qwen/Qwen3-8B",
            max_tokens=llm.max_tokens,
            temperature=llm.temperature,
            response_format=RESPONSE_FORMAT,
        )
    mine, theirs = seen
    schema = RESPONSE_FORMAT["json_schema"]["schema"]
    tgi = {"type": "json_object", "value": schema}
    assert_same_request(mine, theirs, {"body.response_format": (RESPONSE_FORMAT, tgi)})


# --- The fake Hugging Face speaks the official client's requests ---------------------


@pytest.mark.parametrize("case", ASR_CASES + TTS_CASES)
def test_the_fake_hugging_face_answers_the_official_client(case, official, tmp_path):
    with FakeHF() as fake:
        client = official(fake.url, case.mapping, provider=case.provider)
        # A dedicated endpoint's URL lands on the fake's hf-inference route.
        answer = case.official(client, f"{fake.url}/hf-inference/models", tmp_path)
    if isinstance(answer, bytes):
        assert answer[:4] == b"RIFF" and answer[8:12] == b"WAVE"
    else:
        assert answer.text == TRANSCRIPT


def test_the_fake_hugging_face_answers_the_official_clients_chat_completion(official):
    with FakeHF() as fake:
        answer = official(fake.url, None, provider=None).chat_completion(
            MESSAGES,
            model=LLM_MODEL,
            response_format=RESPONSE_FORMAT,
        )
    content = answer.choices[0].message.content
    assert MaccaJsonResponse.model_validate_json(content).feedback.grammar[0].issue == "past_tense"
