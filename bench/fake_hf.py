"""A fake Hugging Face on 127.0.0.1: the wire formats of shared/HUGGINGFACE.md
(chat completions answering valid Macca JSON, Whisper ASR, TTS returning a WAV) in
each provider's shape, and an OpenAI-compatible server under /openai/v1, with a fixed
latency per task, a failure rate and injectable faults.

    with FakeHF(llm_ms=800, asr_ms=300, tts_ms=400) as hf:
        env["HF_API_BASE_URL"] = hf.url          # and USE_MOCK_AI=false, HF_API_KEY=anything
        env["OPENAI_BASE_URL"] = hf.openai_url   # or AI_PROVIDER=openai and OPENAI_*_MODEL

Routes (POST unless said; the OpenAI-compatible ones need no token):
    /v1/chat/completions, /openai/v1/chat/completions          llm
    /hf-inference/models/<id>    raw audio or {"inputs": base64, "parameters":
                                 {"generation_parameters"}} → asr; {"inputs": text} → tts
    /fal-ai/<id>                 {"audio_url": data URL} → asr; {"text"} → tts, answering
                                 {"audio": {"url"}}
    /replicate/v1/models/<owner>/<name>/predictions, /replicate/v1/predictions
                                 {"input": {"text"}} → tts, answering {"output": url}
    /deepinfra/v1/openai/audio/transcriptions, /openai/v1/audio/transcriptions
                                 multipart file, model, language → asr
    /deepinfra/v1/openai/audio/speech, /together/v1/audio/speech (voice required),
    /openai/v1/audio/speech      {"model", "input", "voice"} → tts, audio bytes
    GET /files/<name>            the WAV a URL answer points to
`media_url` replaces the URL in URL answers (to test where a client fetches from).
`last_request[task]` keeps the path, headers, body and (multipart) form of the last call.

    python bench/fake_hf.py --port 8090 --llm-ms 800 --asr-ms 300 --tts-ms 400 [--fault llm:500]

Faults (`fault=`), optionally prefixed with a task ("llm:500", "tts:timeout"); several
can be given separated by commas. Without a prefix a fault hits every task where it
makes sense:
    timeout         sleep `hang_seconds` before answering (normally)    llm, asr, tts
    429             429 with Retry-After: 1                            llm, asr, tts
    503_loading     503 {"error": "Model X is currently loading", ...}  llm, asr, tts
    500             500 {"error": "Internal Server Error"}              llm, asr, tts
    malformed_json  chat completion whose content is prose, not JSON    llm
    truncated_json  content cut inside the reply string, "length"       llm
    tts_json_error  200 application/json {"error": "..."}               tts
    empty_asr       {"text": ""}                                        asr
    not_served      400 "The requested model '<id>' is not supported by any
                    provider you have enabled."                         llm, asr, tts
    401             401 {"error": "Invalid credentials in Authorization header"}  llm, asr, tts
    402             402 credits exhausted ("exceeded your monthly included
                    credits")                                           llm, asr, tts
    403             403 the token lacks the Inference Providers permission  llm, asr, tts
    404             404 {"error": "Model <id> does not exist"}           llm, asr, tts
    response_format 400 {"error": {"message": "response_format ... not supported"}}
                    when the request has a response_format (else a normal answer)  llm
    wrong_shape     200 {"result": "ok"}: no choices, no text, no audio  llm, asr, tts
`fail_rate` (0..1) answers that share of calls (any task) with a 503.

No Django here: the benchmarks import it before any settings exist.
"""

from __future__ import annotations

import argparse
import base64
import collections
import email.parser
import email.policy
import io
import json
import math
import random
import struct
import sys
import threading
import time
import wave
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TASKS = ("llm", "asr", "tts")
FAULTS = {
    "timeout": TASKS,
    "429": TASKS,
    "503_loading": TASKS,
    "500": TASKS,
    "malformed_json": ("llm",),
    "truncated_json": ("llm",),
    "tts_json_error": ("tts",),
    "empty_asr": ("asr",),
    "not_served": TASKS,
    "401": TASKS,
    "402": TASKS,
    "403": TASKS,
    "404": TASKS,
    "response_format": ("llm",),
    "wrong_shape": TASKS,
}
# What the router answers for the faults a person must mend (the model id filled in).
REFUSALS = {
    "not_served": (
        400,
        "The requested model '{model}' is not supported by any provider you have enabled.",
    ),
    "401": (401, "Invalid credentials in Authorization header"),
    "402": (
        402,
        "You have exceeded your monthly included credits for Inference Providers. "
        "Subscribe to PRO to get 20x more monthly included credits.",
    ),
    "403": (
        403,
        "This authentication method does not have sufficient permissions to call "
        "Inference Providers on behalf of user macca",
    ),
    "404": (404, "Model {model} does not exist"),
}
TTS_FORMATS = ("wav", "url", "samples", "mp3")
TRANSCRIPT = "I go to the office yesterday."
CHAT_PATH = "/v1/chat/completions"
MODELS_PREFIX = "/hf-inference/models/"
FILES_PREFIX = "/files/"
OPENAI_PREFIX = "/openai/v1"
FAL_PREFIX = "/fal-ai/"
REPLICATE_PREFIX = "/replicate/v1/"
TRANSCRIPTION_PATHS = (
    "/deepinfra/v1/openai/audio/transcriptions",
    "/openai/v1/audio/transcriptions",
)
SPEECH_PATHS = {  # path → whether a voice is required
    "/deepinfra/v1/openai/audio/speech": False,
    "/together/v1/audio/speech": True,
    "/openai/v1/audio/speech": False,
}


def parse_faults(fault: str | None) -> dict[str, str]:
    """ "llm:500,tts:timeout" → {"llm": "500", "tts": "timeout"}; "500" → every task."""
    faults: dict[str, str] = {}
    for part in (fault or "").split(","):
        part = part.strip()
        if not part:
            continue
        task, _, kind = part.rpartition(":")
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; known: {', '.join(FAULTS)}")
        if task and task not in TASKS:
            raise ValueError(f"unknown task {task!r} in fault {part!r}; known: {', '.join(TASKS)}")
        if task and task not in FAULTS[kind]:
            raise ValueError(f"fault {kind!r} does not apply to {task}")
        for target in (task,) if task else FAULTS[kind]:
            faults[target] = kind
    return faults


def tone_wav(seconds: float = 0.3, rate: int = 16000, hz: float = 440.0) -> bytes:
    """A real 16-bit mono WAV: a quiet sine tone."""
    frames = int(seconds * rate)
    samples = (int(8000 * math.sin(2 * math.pi * hz * n / rate)) for n in range(frames))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(struct.pack(f"<{frames}h", *samples))
    return buffer.getvalue()


SPEECH_WAV = tone_wav()


def macca_reply(learner_text: str, n: int, *, repeat: bool) -> dict:
    """A valid MaccaJsonResponse: a past-tense correction and one word taught. The
    reply varies per call (so each one is new speech) unless `repeat`."""
    said = " ".join(learner_text.split())[:80] or "that"
    reply = (
        "Thanks for telling me! What did you do after that?"
        if repeat
        else f"Thanks for telling me about “{said}”. Tell me more, please: part {n}."
    )
    return {
        "version": "1.0",
        "reply": reply,
        "feedback": {
            "better_sentence": "I went to the office yesterday.",
            "grammar": [
                {
                    "issue": "past_tense",
                    "original_text": "I go to the office yesterday",
                    "explanation_language": "id",
                    "explanation": "Untuk kejadian kemarin, pakai bentuk lampau: go → went.",
                    "examples": ["I went to the office yesterday."],
                }
            ],
            "vocabulary": [
                {
                    "word": "commute",
                    "translation": "perjalanan ke kantor",
                    "example": "My commute takes an hour.",
                }
            ],
            "pronunciation": [],
        },
        "drills": [
            {
                "type": "repeat_sentence",
                "instruction": "Say it again with the past tense.",
                "sentence": "I went to the office yesterday.",
            }
        ],
        "next_prompt": "What did you do after that?",
        "step_complete": None,
    }


class FakeHF:
    """A threaded HTTP server speaking Hugging Face's wire formats (see the module doc)."""

    def __init__(
        self,
        *,
        llm_ms: float = 0,
        asr_ms: float = 0,
        tts_ms: float = 0,
        fault: str | None = None,
        fail_rate: float = 0.0,
        repeat_reply: bool = False,
        hang_seconds: float = 5.0,
        tts_format: str = "wav",
        media_url: str = "",
        tts_seconds: float = 0.3,
        port: int = 0,
    ) -> None:
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._config: dict = {}
        self.port = port
        self.url = ""
        self.calls: collections.Counter = collections.Counter()
        self.last_request: dict[str, dict] = {}  # task → {"path", "headers", "body"}
        self._sequence = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        # What the voice answers: a blip by default; a sentence's length when asked.
        self.speech_wav = SPEECH_WAV if tts_seconds == 0.3 else tone_wav(tts_seconds, 24000)
        self.speech_mp3 = mp3_of(self.speech_wav) if tts_format == "mp3" else b""
        self.configure(
            llm_ms=llm_ms,
            asr_ms=asr_ms,
            tts_ms=tts_ms,
            fault=fault,
            fail_rate=fail_rate,
            repeat_reply=repeat_reply,
            hang_seconds=hang_seconds,
            tts_format=tts_format,
            media_url=media_url,
        )

    # --- control --------------------------------------------------------------------------

    def configure(self, **kwargs) -> None:
        """Change latencies, faults, fail_rate, repeat_reply, hang_seconds, tts_format
        or media_url."""
        known = {
            "llm_ms",
            "asr_ms",
            "tts_ms",
            "fault",
            "fail_rate",
            "repeat_reply",
            "hang_seconds",
            "tts_format",
            "media_url",
        }
        unknown = set(kwargs) - known
        if unknown:
            raise TypeError(f"FakeHF.configure: unknown setting(s) {', '.join(sorted(unknown))}")
        if "fault" in kwargs:
            kwargs["faults"] = parse_faults(kwargs["fault"])
        if kwargs.get("tts_format", "wav") not in TTS_FORMATS:
            raise ValueError(f"tts_format must be one of {TTS_FORMATS}")
        if not 0.0 <= float(kwargs.get("fail_rate", 0.0)) <= 1.0:
            raise ValueError("fail_rate must be between 0 and 1")
        with self._lock:
            self._config.update(kwargs)

    @property
    def settings(self) -> dict:
        with self._lock:
            return dict(self._config)

    def reset_counts(self) -> None:
        with self._lock:
            self.calls.clear()
            self.last_request.clear()

    def start(self) -> FakeHF:
        if self._server is not None:
            return self
        self._stopping.clear()
        server = _Server(("127.0.0.1", self.port), _handler_for(self))
        self._server = server
        self.port = server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.openai_url = f"{self.url}{OPENAI_PREFIX}"
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()  # wakes handlers sleeping in a latency or a hang
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeHF:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- answering (called from handler threads) --------------------------------------------

    def _record(self, task: str, path: str, headers: dict, body: bytes) -> int:
        form = parse_multipart(headers.get("content-type", ""), body)
        with self._lock:
            self.calls[task] += 1
            self._sequence += 1
            self.last_request[task] = {"path": path, "headers": headers, "body": body, "form": form}
            return self._sequence

    def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)

    def answer(self, method: str, path: str, headers: dict, body: bytes) -> tuple:
        """(status, headers, body bytes) for one request."""
        if method == "GET" and path.startswith(FILES_PREFIX):
            self._record("download", path, headers, body)
            return 200, {"Content-Type": "audio/wav"}, self.speech_wav
        if method != "POST":
            return _json(405, {"error": "Method not allowed"})
        task = self._task_for(path, headers, body)
        if task is None:
            return _json(404, {"error": f"Model {path} does not exist"})
        n = self._record(task, path, headers, body)
        config = self.settings
        self_hosted = path.startswith(OPENAI_PREFIX)
        if not self_hosted and not headers.get("authorization", "").startswith("Bearer "):
            return _json(401, {"error": "Invalid credentials in Authorization header"})
        self._sleep(float(config[f"{task}_ms"]) / 1000)
        fault = config["faults"].get(task)
        if fault == "timeout":
            self._sleep(float(config["hang_seconds"]))
        elif fault == "429":
            return _json(429, {"error": "Rate limit reached"}, {"Retry-After": "1"})
        elif fault == "503_loading":
            model = path.removeprefix(MODELS_PREFIX) if task != "llm" else "llm"
            return _json(
                503, {"error": f"Model {model} is currently loading", "estimated_time": 20.0}
            )
        elif fault == "500":
            return _json(500, {"error": "Internal Server Error"})
        elif fault in REFUSALS:
            status, message = REFUSALS[fault]
            return _json(status, {"error": message.format(model=_model_named(task, path, body))})
        elif fault == "wrong_shape":
            return _json(200, {"result": "ok"})
        elif fault == "response_format" and "response_format" in _json_body(body):
            error = {
                "message": "response_format of type json_schema is not supported by this model",
                "type": "invalid_request_error",
            }
            return _json(400, {"error": error})
        if config["fail_rate"] and random.random() < config["fail_rate"]:
            return _json(503, {"error": "Service Unavailable"})
        if task == "llm":
            return self._chat(body, n, config, fault)
        if task == "asr":
            return self._asr(path, headers, body, fault)
        return self._tts(path, body, config, fault)

    @staticmethod
    def _task_for(path: str, headers: dict, body: bytes) -> str | None:
        if path in (CHAT_PATH, f"{OPENAI_PREFIX}/chat/completions"):
            return "llm"
        if path in TRANSCRIPTION_PATHS:
            return "asr"
        if path in SPEECH_PATHS or path.startswith(REPLICATE_PREFIX):
            return "tts"
        if not path.startswith((MODELS_PREFIX, FAL_PREFIX)):
            return None
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type.startswith("audio/") or content_type == "application/octet-stream":
            return "asr"
        payload = _json_body(body)
        parameters = payload.get("parameters")
        if isinstance(parameters, dict) and "generation_parameters" in parameters:
            return "asr"  # base64 audio in a JSON body
        return "asr" if "audio_url" in payload else "tts"

    def _chat(self, body: bytes, n: int, config: dict, fault: str | None) -> tuple:
        try:
            request = json.loads(body)
            messages = request["messages"]
            last = messages[-1]
            if last["role"] != "user" or not isinstance(last["content"], str):
                raise ValueError("the last message must be the user's")
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            return _json(422, {"error": f"Invalid chat request: {exc}"})
        finish_reason = "stop"
        if fault == "malformed_json":
            content = "Sorry, I can only answer in plain words today."
        elif fault == "truncated_json":
            content, finish_reason = '{"version": "1.0", "reply": "', "length"
        else:
            reply = macca_reply(last["content"], n, repeat=config["repeat_reply"])
            content = json.dumps(reply, ensure_ascii=False)
        return _json(
            200,
            {
                "id": f"chatcmpl-fake-{n}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": request.get("model", "fake"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": finish_reason,
                    }
                ],
                "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
            },
        )

    @staticmethod
    def _asr(path: str, headers: dict, body: bytes, fault: str | None) -> tuple:
        try:
            audio = _audio_sent(path, headers, body)
        except (ValueError, KeyError, TypeError) as exc:
            return _json(422, {"error": f"Invalid transcription request: {exc}"})
        if not audio:
            return _json(400, {"error": "No audio in the request"})
        return _json(200, {"text": "" if fault == "empty_asr" else TRANSCRIPT})

    def _tts(self, path: str, body: bytes, config: dict, fault: str | None) -> tuple:
        try:
            text, voice = _text_sent(path, body)
            if not isinstance(text, str) or not text.strip():
                raise ValueError("the text must be non-empty")
            if SPEECH_PATHS.get(path) and not voice:
                raise ValueError("voice is required")
        except (ValueError, KeyError, TypeError) as exc:
            return _json(400, {"error": f"Invalid TTS request: {exc}"})
        if fault == "tts_json_error":
            return _json(200, {"error": "Input validation error: text could not be synthesized"})
        media_url = config["media_url"] or f"{self.url}{FILES_PREFIX}speech.wav"
        if path.startswith(FAL_PREFIX) or (
            path.startswith(MODELS_PREFIX) and config["tts_format"] == "url"
        ):
            return _json(200, {"audio": {"url": media_url, "content_type": "audio/wav"}})
        if path.startswith(REPLICATE_PREFIX):
            return _json(200, {"id": "fake-prediction", "status": "succeeded", "output": media_url})
        if path.startswith(MODELS_PREFIX) and config["tts_format"] == "samples":
            samples = [round(0.2 * math.sin(2 * math.pi * 440 * i / 16000), 4) for i in range(1600)]
            return _json(200, {"audio": samples, "sampling_rate": 16000})
        if config["tts_format"] == "mp3":  # what OpenAI-style voices send when asked for mp3
            return 200, {"Content-Type": "audio/mpeg"}, self.speech_mp3 or mp3_of(self.speech_wav)
        return 200, {"Content-Type": "audio/wav"}, self.speech_wav


def mp3_of(wav: bytes) -> bytes:
    """`wav` as a 64 kbit/s MP3 (PyAV's FFmpeg), as a hosted voice would send it."""
    import av

    source = av.open(io.BytesIO(wav))
    output = io.BytesIO()
    with source, av.open(output, mode="w", format="mp3") as box:
        stream = box.add_stream("libmp3lame", rate=24000, layout="mono")
        stream.bit_rate = 64000
        resampler = av.AudioResampler(format="s16p", layout="mono", rate=24000)
        for frame in source.decode(audio=0):
            for out in resampler.resample(frame):
                box.mux(stream.encode(out))
        for out in resampler.resample(None):
            box.mux(stream.encode(out))
        box.mux(stream.encode(None))
    return output.getvalue()


def _model_named(task: str, path: str, body: bytes) -> str:
    """The model a request asks for: in its body (chat, OpenAI-style), else in its path."""
    model = _json_body(body).get("model")
    if isinstance(model, str) and model:
        return model
    for prefix in (MODELS_PREFIX, FAL_PREFIX, "/replicate/v1/models/"):
        if path.startswith(prefix):
            return path.removeprefix(prefix).removesuffix("/predictions")
    return task


def _json_body(body: bytes) -> dict:
    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def parse_multipart(content_type: str, body: bytes) -> dict:
    """A multipart/form-data body as {name: text, or (filename, content type, bytes)}."""
    if not content_type.lower().startswith("multipart/form-data"):
        return {}
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    form: dict = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        form[name] = (filename, part.get_content_type(), data) if filename else data.decode()
    return form


def _audio_sent(path: str, headers: dict, body: bytes) -> bytes:
    """The recording in an ASR request, in whichever shape it came."""
    if path in TRANSCRIPTION_PATHS:
        form = parse_multipart(headers.get("content-type", ""), body)
        if not form.get("model"):
            raise ValueError("model is required")
        return form["file"][2]
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        return body
    payload = json.loads(body)
    if "audio_url" in payload:
        head, _, data = payload["audio_url"].partition(",")
        if not (head.startswith("data:audio/") and head.endswith(";base64")):
            raise ValueError("audio_url must be a base64 data URL of audio")
        return base64.b64decode(data, validate=True)
    return base64.b64decode(payload["inputs"], validate=True)


def _text_sent(path: str, body: bytes) -> tuple:
    """(text, voice) of a TTS request, in whichever shape it came."""
    payload = json.loads(body)
    if path in SPEECH_PATHS:
        if not payload.get("model"):
            raise ValueError("model is required")
        return payload["input"], payload.get("voice")
    if path.startswith(REPLICATE_PREFIX):
        return payload["input"]["text"], payload["input"].get("voice")
    if path.startswith(FAL_PREFIX):
        return payload["text"], payload.get("voice")
    return payload["inputs"], None


def _json(status: int, body: dict, headers: dict | None = None) -> tuple:
    return (
        status,
        {"Content-Type": "application/json", **(headers or {})},
        json.dumps(body).encode(),
    )


def _handler_for(fake: FakeHF) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the real router: the app's pool reuses it
        # Headers and body go out as two writes: without TCP_NODELAY the body can wait
        # for the client's delayed ACK (~40 ms), a cost the real router doesn't have.
        disable_nagle_algorithm = True

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {name.lower(): value for name, value in self.headers.items()}
            path = self.path.split("?")[0]
            status, out_headers, data = fake.answer(method, path, headers, body)
            try:
                self.send_response(status)
                for name, value in out_headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("x-request-id", f"fake-{time.monotonic_ns()}")
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up (a timeout): fine

        def do_POST(self) -> None:
            self._serve("POST")

        def do_GET(self) -> None:
            self._serve("GET")

        def log_message(self, *args) -> None:
            pass

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a handler hanging on a "timeout" fault never blocks stop()
    request_queue_size = 128  # many app threads connect at once under load


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--llm-ms", type=float, default=800)
    parser.add_argument("--asr-ms", type=float, default=300)
    parser.add_argument("--tts-ms", type=float, default=400)
    parser.add_argument("--fault", default=None, help=f"one of {', '.join(FAULTS)}, e.g. llm:500")
    parser.add_argument("--fail-rate", type=float, default=0.0)
    parser.add_argument("--repeat-reply", action="store_true")
    parser.add_argument("--hang-seconds", type=float, default=5.0)
    parser.add_argument("--tts-format", choices=TTS_FORMATS, default="wav")
    parser.add_argument("--media-url", default="", help="the URL answered for audio files")
    args = parser.parse_args(argv)
    fake = FakeHF(
        llm_ms=args.llm_ms,
        asr_ms=args.asr_ms,
        tts_ms=args.tts_ms,
        fault=args.fault,
        fail_rate=args.fail_rate,
        repeat_reply=args.repeat_reply,
        hang_seconds=args.hang_seconds,
        tts_format=args.tts_format,
        media_url=args.media_url,
        port=args.port,
    )
    with fake:
        print(f"fake Hugging Face listening on {fake.url}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
