"""Faults end to end: with a fake Hugging Face on a real socket injecting each
fault, a spoken turn through the whole HTTP stack still answers 200, says
`degraded: true`, keeps the learner's words and recording, and leaves nothing
half-written: turns pair up, and every file in the media folder belongs to a
stored turn, voice clip or attempt (and every stored reference has its file)."""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

import providers
from bench.fake_hf import TRANSCRIPT, FakeHF
from providers.mock import MOCK_TRANSCRIPT
from tests.audio import wav_bytes
from tutor.models import (
    PracticeSession,
    PronunciationAttempt,
    Role,
    SpeechClip,
    Turn,
)

READ_TIMEOUT = 0.5
HANG = 2.0
# A turn makes at most three provider calls plus the opening line's voice; each
# fault costs at most one read timeout per call, and there are no retries.
TURN_DEADLINE = 4 * READ_TIMEOUT + 1.0
HEARD = TRANSCRIPT.strip()


@dataclass(frozen=True)
class Case:
    """A fault and the providers it breaks (`asr` also when ASR hears nothing)."""

    fault: str
    broken: frozenset[str] = field(default_factory=frozenset)
    degraded: bool = True

    def __str__(self) -> str:
        return self.fault


def case(fault: str, *broken: str, degraded: bool = True) -> Case:
    return Case(fault, frozenset(broken), degraded)


CASES = [
    case("timeout", "asr", "llm", "tts"),
    case("llm:timeout", "llm"),
    case("tts:timeout", "tts"),
    case("refused", "asr", "llm", "tts"),
    case("429", "asr", "llm", "tts"),
    case("llm:429", "llm"),
    case("503_loading", "asr", "llm", "tts"),
    case("llm:503_loading", "llm"),
    case("500", "asr", "llm", "tts"),
    case("llm:500", "llm"),
    case("tts:500", "tts"),
    case("malformed_json", "llm"),
    case("truncated_json", "llm"),  # content '{"version": "1.0", "reply": "' has no reply left
    case("tts_json_error", "tts"),
    case("empty_asr", "asr"),  # Hugging Face heard nothing: the local recogniser is asked
]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def fake_hf(settings):
    """Hugging Face mode against the fake server: short read timeout, no retries,
    and a breaker that never opens, so each fault is seen exactly once per call."""
    with FakeHF(hang_seconds=HANG) as hf:
        settings.USE_MOCK_AI = False
        settings.HF_API_KEY = "hf_test"
        settings.HF_API_BASE_URL = hf.url
        settings.HF_LLM_URL = settings.HF_ASR_URL = settings.HF_TTS_URL = ""
        settings.HF_CONNECT_TIMEOUT_SECONDS = READ_TIMEOUT
        settings.HF_TIMEOUT_SECONDS = READ_TIMEOUT
        settings.HF_MAX_RETRIES = 0
        settings.HF_RETRY_BUDGET_SECONDS = 2
        settings.HF_BREAKER_FAILURES = 100
        providers.reset()
        yield hf
    providers.reset()


def inject(hf: FakeHF, settings, fault: str) -> None:
    if fault == "refused":
        settings.HF_API_BASE_URL = f"http://127.0.0.1:{closed_port()}"
    else:
        hf.configure(fault=fault)
    providers.reset()


def send_audio(client, audio: bytes):
    upload = SimpleUploadedFile("voice.wav", audio, content_type="audio/wav")
    return client.post("/api/session/turn/audio", {"audio": upload, "mode": "live"})


def media_files(root) -> set[str]:
    root = Path(root)
    if not root.exists():
        return set()
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def referenced_files() -> set[str]:
    names = [
        *Turn.objects.exclude(audio="").values_list("audio", flat=True),
        *SpeechClip.objects.values_list("audio", flat=True),
        *PronunciationAttempt.objects.exclude(audio="").values_list("audio", flat=True),
    ]
    return set(names)


def assert_nothing_half_written(media_root) -> None:
    """Every session: Macca's opening line, then (learner, Macca) pairs at gapless
    positions. Every file in the media folder is referenced, and every reference exists."""
    for session in PracticeSession.objects.all():
        turns = list(session.turns.order_by("position").values_list("position", "role"))
        assert [position for position, _ in turns] == list(range(1, len(turns) + 1))
        roles = [role for _, role in turns]
        assert roles[:1] == [Role.TUTOR], "a session opens with Macca's line"
        assert len(roles) % 2 == 1, f"a turn without its reply in {roles}"
        assert roles[1:] == [Role.LEARNER, Role.TUTOR] * (len(roles) // 2), roles
    stored, referenced = media_files(media_root), referenced_files()
    assert stored - referenced == set(), "orphan files in MEDIA_ROOT"
    assert referenced - stored == set(), "stored references to missing files"


@pytest.mark.django_db
@pytest.mark.parametrize("fault", CASES, ids=str)
def test_a_spoken_turn_survives_the_fault(fault, alice_api, fake_hf, settings):
    inject(fake_hf, settings, fault.fault)
    audio = wav_bytes(1)

    started = time.monotonic()
    response = send_audio(alice_api, audio)
    elapsed = time.monotonic() - started

    assert response.status_code == 200, response.content
    body = response.json()
    assert elapsed < TURN_DEADLINE, f"{elapsed:.2f}s: a timeout or a retry was not bounded"
    assert body["degraded"] is fault.degraded
    assert body["macca_text"]
    assert body["macca"]["reply"] == body["macca_text"]

    # The learner's turn is stored, with the recording as sent.
    learner_turn = Turn.objects.get(pk=body["turn_id"])
    assert learner_turn.role == Role.LEARNER
    assert learner_turn.audio.name.startswith("private/recordings/")
    assert (Path(settings.MEDIA_ROOT) / learner_turn.audio.name).read_bytes() == audio
    assert alice_api.get(f"/api/turns/{learner_turn.pk}/audio").content == audio
    tutor_turn = learner_turn.session.turns.get(position=learner_turn.position + 1)
    assert (tutor_turn.role, tutor_turn.text) == (Role.TUTOR, body["macca_text"])
    assert tutor_turn.degraded is fault.degraded

    calls = fake_hf.calls
    if "asr" in fault.broken:
        # Hugging Face heard nothing: the local recogniser (the test stand-in) did.
        assert body["transcript"] == learner_turn.text == MOCK_TRANSCRIPT
    else:
        assert body["transcript"] == learner_turn.text == HEARD
    if fault.fault != "refused":
        assert calls["asr"] == 1
        assert calls["llm"] == 1  # no retries
    if "llm" in fault.broken:
        # The offline coach answers, and still catches the past-tense slip.
        assert "Tell me more, please: part" not in body["macca_text"]
        better = body["macca"]["feedback"]["better_sentence"]
        assert better.startswith("I went to the office yesterday")
        assert body["feedback"]["grammar_ok"] is False
    else:
        assert "Tell me more, please: part" in body["macca_text"]
    # Macca always speaks: the local voice answers when Hugging Face's fails.
    assert body["macca_audio_url"].endswith(".ogg")
    assert alice_api.get(body["macca_audio_url"]).status_code == 200
    assert tutor_turn.speech is not None
    if "tts" in fault.broken:
        assert tutor_turn.speech.model_id == providers.local_tts().model_id
        if fault.fault != "refused":
            assert calls["tts"] == 2  # the opening line and the reply, once each
    else:
        assert tutor_turn.speech.model_id == settings.HF_TTS_MODEL_ID

    assert_nothing_half_written(settings.MEDIA_ROOT)


@pytest.mark.django_db
def test_a_rate_limit_longer_than_the_retry_budget_is_not_waited_for(alice_api, fake_hf, settings):
    """429 with Retry-After: 1 and retries allowed, but a budget of 0.3 s: the wait
    would end past the budget, so the call is not retried and the turn is quick."""
    settings.HF_MAX_RETRIES = 2
    settings.HF_RETRY_BUDGET_SECONDS = 0.3
    inject(fake_hf, settings, "429")

    started = time.monotonic()
    response = send_audio(alice_api, wav_bytes(1))
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert response.json()["degraded"] is True
    assert elapsed < 1.0, f"{elapsed:.2f}s: waited for a Retry-After beyond the budget"
    assert fake_hf.calls["asr"] == 1
    assert fake_hf.calls["tts"] == 2
    assert_nothing_half_written(settings.MEDIA_ROOT)


@pytest.mark.django_db
def test_a_healthy_fake_gives_a_full_turn(alice_api, fake_hf, settings):
    """The control: the same turn, nothing broken, nothing degraded."""
    response = send_audio(alice_api, wav_bytes(1))

    assert response.status_code == 200
    body = response.json()
    assert body["degraded"] is False
    assert body["transcript"] == HEARD
    assert "Tell me more, please: part" in body["macca_text"]
    assert body["macca"]["feedback"]["grammar"][0]["issue"] == "past_tense"
    assert body["macca_audio_url"].endswith(".ogg")
    assert dict(fake_hf.calls) == {"asr": 1, "llm": 1, "tts": 2}
    assert_nothing_half_written(settings.MEDIA_ROOT)


@pytest.mark.django_db
def test_several_faulty_turns_in_one_session_stay_paired(alice_api, fake_hf, settings):
    """Faults come and go within one session: every turn lands with its reply."""
    session_id = None
    for fault in ["500", None, "llm:timeout", "tts_json_error", "empty_asr", None]:
        fake_hf.configure(fault=fault)
        upload = SimpleUploadedFile("voice.wav", wav_bytes(1), content_type="audio/wav")
        data = {"audio": upload, "mode": "live"}
        if session_id:
            data["session_id"] = session_id
        response = alice_api.post("/api/session/turn/audio", data)
        assert response.status_code == 200, (fault, response.content)
        session_id = response.json()["session_id"]

    session = PracticeSession.objects.get(pk=session_id)
    assert session.turns.filter(role=Role.LEARNER).count() == 6
    assert session.turns.count() == 13
    assert_nothing_half_written(settings.MEDIA_ROOT)


@pytest.mark.django_db
def test_a_turn_whose_session_ends_meanwhile_leaves_no_recording(
    alice_api, fake_hf, settings, monkeypatch
):
    """The session is ended (say, from another tab) while the model is thinking:
    the turn is refused and its recording, already saved, is removed again."""
    started = alice_api.post("/api/session/start", {"mode": "live"}, format="json").json()
    llm = providers.get_llm()
    generate = llm.generate

    def generate_then_end(*args, **kwargs):
        reply = generate(*args, **kwargs)
        alice_api.post(f"/api/session/{started['session_id']}/end")
        return reply

    monkeypatch.setattr(llm, "generate", generate_then_end)
    upload = SimpleUploadedFile("voice.wav", wav_bytes(1), content_type="audio/wav")

    response = alice_api.post(
        "/api/session/turn/audio", {"audio": upload, "session_id": started["session_id"]}
    )

    assert response.status_code == 400, response.content
    assert not Turn.objects.filter(role=Role.LEARNER).exists()
    assert not any(name.startswith("private/") for name in media_files(settings.MEDIA_ROOT))
    assert_nothing_half_written(settings.MEDIA_ROOT)


@pytest.mark.django_db
def test_an_unexpected_error_before_the_turn_is_saved_leaves_no_orphan_recording(
    alice_api, fake_hf, settings, monkeypatch
):
    alice_api.post("/api/session/start", {"mode": "live"}, format="json")
    llm = providers.get_llm()

    def broken(*args, **kwargs):
        raise RuntimeError("something unexpected")

    monkeypatch.setattr(llm, "generate", broken)
    alice_api.raise_request_exception = False
    upload = SimpleUploadedFile("voice.wav", wav_bytes(1), content_type="audio/wav")

    response = alice_api.post("/api/session/turn/audio", {"audio": upload, "mode": "live"})

    assert response.status_code == 500
    assert not Turn.objects.filter(role=Role.LEARNER).exists()
    assert_nothing_half_written(settings.MEDIA_ROOT)
