"""The request shapes of speech recognition and text-to-speech, one small adapter per
provider (shared/HUGGINGFACE.md has the wire formats):

    ASR   hf-inference  POST {base}/hf-inference/models/<id>, JSON {"inputs": base64,
                        "parameters": {"generation_parameters": {"language", "task"}}}
          endpoint      POST <HF_ASR_URL>, the raw audio with its content type (a dedicated
                        Inference Endpoint: the toolkit takes no parameters with raw audio)
          fal-ai        POST {base}/fal-ai/<fal id>, JSON {"audio_url": data URL, "language",
                        "task"}
          deepinfra     POST {base}/deepinfra/v1/openai/audio/transcriptions  } multipart file,
          openai        POST {OPENAI_BASE_URL}/audio/transcriptions           } model, language,
                                                                              response_format
    TTS   hf-inference  POST {base}/hf-inference/models/<id>, {"inputs", "parameters": {}}
          endpoint      POST <HF_TTS_URL>, the same body (the toolkit answers bytes or samples)
          fal-ai        POST {base}/fal-ai/<fal id>, {"text", "voice"?}     → {"audio": {"url"}}
          replicate     POST {base}/replicate/v1/models/<owner>/<name>/predictions (or
                        /v1/predictions with "version" for "owner/name:version"), header
                        Prefer: wait, {"input": {"text", "voice"?}}         → {"output": url}
          deepinfra     POST {base}/deepinfra/v1/openai/audio/speech  } {"model", "input",
          together      POST {base}/together/v1/audio/speech          } "voice",
          openai        POST {OPENAI_BASE_URL}/audio/speech           } "response_format"}

Each shape is a `Shape`: `url(base, model)` and `headers` say where the request goes,
`build(...)` returns its body as a `Body` (JSON, or bytes with their content type);
`request(...)` puts the three together as a `SpeechRequest` (method, url, headers, body),
which is what the parity tests and the doctor read. The answers are parsed in
providers.huggingface (a transcript's `text`; audio bytes, or a URL fetched by the
client only from the shape's `media_hosts`). Pure functions: no Django, no network."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field

from urllib3.filepost import encode_multipart_formdata

# Safari records audio/mp4, which dedicated endpoints reject: they take audio/m4a.
WIRE_AUDIO_TYPES = {
    "audio/mp4": "audio/m4a",
    "audio/x-m4a": "audio/m4a",
    "audio/aac": "audio/m4a",
    "video/mp4": "audio/m4a",
    "audio/x-wav": "audio/wav",
    "audio/wave": "audio/wav",
    "audio/mp3": "audio/mpeg",
    "audio/x-flac": "audio/flac",
    "video/webm": "audio/webm",
}
EXTENSIONS = {
    "audio/webm": "webm",
    "audio/ogg": "ogg",
    "audio/wav": "wav",
    "audio/mpeg": "mp3",
    "audio/m4a": "m4a",
    "audio/flac": "flac",
}
# The format asked of OpenAI-style voices: every one of them speaks MP3.
SPEECH_FORMAT = "mp3"


def base_content_type(value: str) -> str:
    """`audio/webm;codecs=opus` → `audio/webm`: providers want the bare type."""
    return value.split(";")[0].strip().lower()


def wire_audio_type(content_type: str) -> str:
    """The type a recording is sent as (also in a data URL and a multipart part)."""
    bare = base_content_type(content_type)
    return WIRE_AUDIO_TYPES.get(bare, bare)


@dataclass(frozen=True)
class Body:
    json: dict | None = None
    data: bytes | None = None
    content_type: str = ""


@dataclass(frozen=True)
class SpeechRequest:
    method: str
    url: str
    headers: dict[str, str]
    body: Body


@dataclass(frozen=True)
class Shape:
    """One provider's request shape for one task."""

    url: Callable[[str, str], str]  # (base URL, provider model id) → URL
    build: Callable[..., Body]
    headers: dict[str, str] = field(default_factory=dict)
    media_hosts: tuple[str, ...] = ()  # where an answer's file URL may point
    # The provider's own id for a Hub model, when it is not the Hub id.
    models: dict[str, str] = field(default_factory=dict)

    def provider_model(self, model_id: str, override: str = "") -> str:
        return override or self.models.get(model_id, model_id)

    def request(self, *, base: str, model: str, **kwargs) -> SpeechRequest:
        return SpeechRequest(
            "POST", self.url(base, model), dict(self.headers), self.build(model=model, **kwargs)
        )


# --- ASR: (audio, content_type, language, model) → Body ---------------------------------


def hf_inference_asr(*, audio: bytes, content_type: str, language: str, model: str) -> Body:
    """With parameters the audio goes as base64 in JSON (huggingface_hub does the same)."""
    parameters = {"generation_parameters": {"language": language, "task": "transcribe"}}
    return Body(json={"inputs": base64.b64encode(audio).decode(), "parameters": parameters})


def endpoint_asr(*, audio: bytes, content_type: str, language: str, model: str) -> Body:
    return Body(data=audio, content_type=wire_audio_type(content_type))


def fal_asr(*, audio: bytes, content_type: str, language: str, model: str) -> Body:
    data_url = f"data:{wire_audio_type(content_type)};base64,{base64.b64encode(audio).decode()}"
    return Body(json={"audio_url": data_url, "language": language, "task": "transcribe"})


def openai_asr(*, audio: bytes, content_type: str, language: str, model: str) -> Body:
    kind = wire_audio_type(content_type)
    body, multipart_type = encode_multipart_formdata(
        {
            "file": (f"speech.{EXTENSIONS.get(kind, 'bin')}", audio, kind),
            "model": model,
            "language": language,
            "response_format": "json",
        }
    )
    return Body(data=body, content_type=multipart_type)


# --- TTS: (text, voice, model) → Body ---------------------------------------------------


def hf_inference_tts(*, text: str, voice: str, model: str) -> Body:
    """The model is the voice: no voice parameter."""
    return Body(json={"inputs": text, "parameters": {}})


def fal_tts(*, text: str, voice: str, model: str) -> Body:
    return Body(json={"text": text, **({"voice": voice} if voice else {})})


def replicate_tts(*, text: str, voice: str, model: str) -> Body:
    payload: dict = {"input": {"text": text, **({"voice": voice} if voice else {})}}
    if ":" in model:
        payload["version"] = model.split(":", 1)[1]
    return Body(json=payload)


def openai_tts(*, text: str, voice: str, model: str) -> Body:
    payload = {"model": model, "input": text, "response_format": SPEECH_FORMAT}
    if voice:
        payload["voice"] = voice
    return Body(json=payload)


def _replicate_url(base: str, model: str) -> str:
    if ":" in model:
        return f"{base}/replicate/v1/predictions"
    return f"{base}/replicate/v1/models/{model}/predictions"


FAL_MEDIA = ("fal.media", "*.fal.media")
REPLICATE_MEDIA = ("replicate.delivery", "*.replicate.delivery")

ASR_SHAPES: dict[str, Shape] = {
    "hf-inference": Shape(
        url=lambda base, model: f"{base}/hf-inference/models/{model}", build=hf_inference_asr
    ),
    "fal-ai": Shape(
        url=lambda base, model: f"{base}/fal-ai/{model}",
        build=fal_asr,
        models={
            "openai/whisper-large-v3": "fal-ai/whisper",
            "openai/whisper-large-v3-turbo": "fal-ai/whisper",
        },
    ),
    "deepinfra": Shape(
        url=lambda base, model: f"{base}/deepinfra/v1/openai/audio/transcriptions",
        build=openai_asr,
    ),
    "openai": Shape(url=lambda base, model: f"{base}/audio/transcriptions", build=openai_asr),
    # A full HF_ASR_URL: the URL is used as it is.
    "endpoint": Shape(url=lambda base, model: base, build=endpoint_asr),
}

TTS_SHAPES: dict[str, Shape] = {
    "hf-inference": Shape(
        url=lambda base, model: f"{base}/hf-inference/models/{model}", build=hf_inference_tts
    ),
    "fal-ai": Shape(
        url=lambda base, model: f"{base}/fal-ai/{model}", build=fal_tts, media_hosts=FAL_MEDIA
    ),
    "replicate": Shape(
        url=_replicate_url,
        build=replicate_tts,
        headers={"Prefer": "wait"},
        media_hosts=REPLICATE_MEDIA,
        models={"hexgrad/Kokoro-82M": "jaaari/kokoro-82m"},
    ),
    "deepinfra": Shape(
        url=lambda base, model: f"{base}/deepinfra/v1/openai/audio/speech", build=openai_tts
    ),
    "together": Shape(url=lambda base, model: f"{base}/together/v1/audio/speech", build=openai_tts),
    "openai": Shape(url=lambda base, model: f"{base}/audio/speech", build=openai_tts),
    # A full HF_TTS_URL: a dedicated endpoint, answering audio bytes or raw samples.
    "endpoint": Shape(url=lambda base, model: base, build=hf_inference_tts),
}

# The providers a deployer picks with HF_ASR_PROVIDER / HF_TTS_PROVIDER ("openai" is
# AI_PROVIDER=openai's, "endpoint" that of a full HF_ASR_URL / HF_TTS_URL).
HF_ASR_PROVIDERS = ("hf-inference", "fal-ai", "deepinfra")
HF_TTS_PROVIDERS = ("hf-inference", "fal-ai", "replicate", "deepinfra", "together")
