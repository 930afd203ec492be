"""Hugging Face inference for the tutor (chat completions), speech recognition
(Whisper) and Macca's voice (TTS); the same classes speak to OpenAI-compatible servers
(AI_PROVIDER=openai). Wire formats: shared/HUGGINGFACE.md; the speech requests of each
provider are built in providers.speech_shapes, their answers parsed here.

Every failure ends in a fallback with `degraded=True`: the LLM falls back to the
offline rule-based coach; ASR and TTS answer empty here, and providers.fallback
then hands the task to the local recogniser or voice."""

from __future__ import annotations

import logging

import numpy as np

from .audio import wav_bytes
from .coach import coach_reply
from .http import HuggingFaceClient
from .parsing import parse_tutor_reply
from .prompts import chat_messages
from .schemas import (
    HistoryTurn,
    LearnerProfile,
    PracticeContext,
    Speech,
    Transcript,
    TutorReply,
    reply_json_schema,
)
from .speech_shapes import ASR_SHAPES, TTS_SHAPES, Shape, base_content_type

logger = logging.getLogger(__name__)

__all__ = ["HuggingFaceASR", "HuggingFaceLLM", "HuggingFaceTTS", "base_content_type", "pcm_wav"]

AUDIO_TYPES = {
    "audio/wav": "audio/wav",
    "audio/x-wav": "audio/wav",
    "audio/wave": "audio/wav",
    "audio/flac": "audio/flac",
    "audio/x-flac": "audio/flac",
    "audio/mpeg": "audio/mpeg",
    "audio/mp3": "audio/mpeg",
    "audio/ogg": "audio/ogg",
    "audio/opus": "audio/ogg",
}


class HuggingFaceLLM:
    def __init__(
        self,
        *,
        client: HuggingFaceClient,
        json_mode: str,
        max_tokens: int,
        temperature: float = 0.4,
    ) -> None:
        self.client = client
        self.model_id = client.model_id
        self.json_mode = json_mode
        self.max_tokens = max_tokens
        self.temperature = temperature

    def payload(
        self,
        profile: LearnerProfile,
        context: PracticeContext,
        history: list[HistoryTurn],
        learner_text: str,
    ) -> dict:
        payload = {
            "model": self.model_id,
            "messages": chat_messages(profile, context, history, learner_text),
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "stream": False,
        }
        if self.json_mode == "json_schema":
            payload["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": "MaccaJsonResponse",
                    "schema": reply_json_schema(),
                    "strict": True,
                },
            }
        return payload

    def generate(
        self,
        profile: LearnerProfile,
        context: PracticeContext,
        history: list[HistoryTurn],
        learner_text: str,
    ) -> TutorReply:
        response = self.client.post(json=self.payload(profile, context, history, learner_text))
        if response is None:
            return self._fallback(profile, context, history, learner_text)
        try:
            choice = response.json()["choices"][0]
            text = choice["message"]["content"]
            finish_reason = choice.get("finish_reason")
            if not isinstance(text, str):
                raise TypeError("content is not text")
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            self.client.fail(response, f"not a chat completion ({type(exc).__name__})")
            return self._fallback(profile, context, history, learner_text)
        parsed = parse_tutor_reply(text, context=context, finish_reason=finish_reason)
        if parsed is None:
            logger.warning(
                "llm %s: no usable reply in the model's answer (finish_reason=%s), using the "
                "fallback; it began: %r",
                self.model_id,
                finish_reason,
                text[:200],
            )
            return self._fallback(profile, context, history, learner_text, raw_text=text)
        return TutorReply(response=parsed, degraded=False, raw_text=text)

    def _fallback(
        self,
        profile: LearnerProfile,
        context: PracticeContext,
        history: list[HistoryTurn],
        learner_text: str,
        raw_text: str = "",
    ) -> TutorReply:
        response = coach_reply(profile, context, history, learner_text)
        return TutorReply(response=response, degraded=True, raw_text=raw_text)


class HuggingFaceASR:
    """`shape`: the provider's request (speech_shapes.ASR_SHAPES); `provider_model`: the
    model id that request names (the provider's own id for fal-ai)."""

    def __init__(
        self, *, client: HuggingFaceClient, shape: Shape | None = None, provider_model: str = ""
    ) -> None:
        self.client = client
        self.model_id = client.model_id
        self.shape = shape or ASR_SHAPES["endpoint"]
        self.provider_model = provider_model or client.model_id

    def transcribe(
        self,
        audio: bytes,
        content_type: str,
        language: str = "en",
        *,
        expected_text: str | None = None,
        prompt: str | None = None,
        samples=None,
    ) -> Transcript:
        body = self.shape.build(
            audio=audio, content_type=content_type, language=language, model=self.provider_model
        )
        response = self.client.post(json=body.json, data=body.data, content_type=body.content_type)
        if response is None:
            return Transcript(text="", degraded=True)
        try:
            text = response.json()["text"]
            if not isinstance(text, str):
                raise TypeError("text is not a string")
        except (ValueError, KeyError, TypeError) as exc:
            self.client.fail(response, f"not a transcription ({type(exc).__name__})")
            return Transcript(text="", degraded=True)
        return Transcript(text=text.strip(), degraded=False, model_id=self.model_id)


class HuggingFaceTTS:
    """`shape`: the provider's request (speech_shapes.TTS_SHAPES); `voice`: the voice
    asked for when the caller names none (Kokoro's `af_heart`, say)."""

    def __init__(
        self,
        *,
        client: HuggingFaceClient,
        shape: Shape | None = None,
        provider_model: str = "",
        voice: str = "",
    ) -> None:
        self.client = client
        self.model_id = client.model_id
        self.shape = shape or TTS_SHAPES["hf-inference"]
        self.provider_model = provider_model or client.model_id
        self.voice = voice

    def synthesize(self, text: str, voice: str | None = None, *, slow: bool = False) -> Speech:
        """`slow` is not asked of the provider: the speech cache has the local voice
        speak slow replays."""
        body = self.shape.build(text=text, voice=voice or self.voice, model=self.provider_model)
        response = self.client.post(json=body.json, data=body.data, content_type=body.content_type)
        speech = self._speech_from(response) if response is not None else None
        return speech or Speech(audio=b"", content_type="audio/wav", degraded=True)

    def _speech_from(self, response) -> Speech | None:
        content_type = base_content_type(response.headers.get("Content-Type", ""))
        if content_type.startswith("audio/"):
            return self._audio(response, content_type)
        try:
            answer = response.json()
            if "output" in answer and "audio" not in answer:
                return self._prediction(response, answer)
            audio = answer["audio"]
        except (ValueError, KeyError, TypeError) as exc:
            return self.client.fail(response, f"not audio ({type(exc).__name__})")
        if isinstance(audio, dict) and isinstance(audio.get("url"), str):
            # fal-ai: the audio is a file to download.
            return self._download(audio["url"], audio.get("content_type"))
        if isinstance(audio, list) and audio:
            # A dedicated endpoint: raw samples in -1..1.
            try:
                rate = int(response.json().get("sampling_rate") or 16000)
                return Speech(
                    audio=pcm_wav(audio, rate), content_type="audio/wav", model_id=self.model_id
                )
            except (TypeError, ValueError) as exc:
                return self.client.fail(response, f"bad audio samples ({type(exc).__name__})")
        return self.client.fail(response, "no audio in the answer")

    def _prediction(self, response, answer: dict) -> Speech | None:
        """replicate: `output` is the file's URL (or a list of them); none yet means the
        prediction outlived `Prefer: wait`."""
        output = answer["output"]
        if isinstance(output, list):
            output = output[0] if output else None
        if not isinstance(output, str):
            status = answer.get("status", "unknown")
            return self.client.fail(response, f"no output URL (prediction status {status})")
        return self._download(output, None)

    def _download(self, url: str, declared: str | None) -> Speech | None:
        download = self.client.get(url)  # only from the provider's media hosts
        if download is None:
            return None
        declared = base_content_type(declared or "")
        served = base_content_type(download.headers.get("Content-Type", ""))
        return self._audio(download, declared if declared.startswith("audio/") else served)

    def _audio(self, response, content_type: str) -> Speech | None:
        if not response.content:
            return self.client.fail(response, "empty audio")
        kind = AUDIO_TYPES.get(content_type) or sniffed_audio_type(response.content)
        if kind is None:
            return self.client.fail(response, f"unsupported audio type {content_type}")
        return Speech(audio=response.content, content_type=kind, model_id=self.model_id)


def sniffed_audio_type(audio: bytes) -> str | None:
    """A file server's `application/octet-stream` is audio if its first bytes say so."""
    if audio[:4] == b"RIFF" and audio[8:12] == b"WAVE":
        return "audio/wav"
    if audio[:4] == b"fLaC":
        return "audio/flac"
    if audio[:4] == b"OggS":
        return "audio/ogg"
    if audio[:3] == b"ID3" or (len(audio) > 1 and audio[0] == 0xFF and audio[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    return None


def pcm_wav(samples: list, sampling_rate: int) -> bytes:
    """Float samples (-1..1, possibly nested one level: [[...]]) as 16-bit mono WAV."""
    if samples and isinstance(samples[0], list):
        samples = samples[0]
    return wav_bytes(np.asarray(samples, dtype=np.float32), sampling_rate)
