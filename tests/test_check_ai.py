"""`manage.py check_ai`, the doctor: against the fake Hugging Face (bench/fake_hf.py), a
healthy setup reports each task's provider, model and latency and exits 0, and each
injected fault is named with its fix and exits 1, without retries, without the local
fallback, and without touching what learners get (the breaker, the admin's warning)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

import providers
from bench.fake_hf import FakeHF
from providers.breaker import current_problems
from providers.schemas import LearnerProfile, PracticeContext

ROOT = Path(__file__).resolve().parent.parent
LLM, ASR, TTS = "google/gemma-4-31B-it", "openai/whisper-large-v3-turbo", "hexgrad/Kokoro-82M"


@pytest.fixture
def fake():
    with FakeHF(hang_seconds=2) as server:
        yield server


@pytest.fixture
def hf(settings, fake):
    """Hugging Face mode with the default models against the fake server."""
    settings.AI_PROVIDER = "huggingface"
    settings.HF_API_KEY = "hf_doctor_key"
    settings.HF_API_BASE_URL = fake.url
    settings.HF_LLM_URL = settings.HF_ASR_URL = settings.HF_TTS_URL = ""
    settings.HF_LLM_MODEL_ID, settings.HF_ASR_MODEL_ID, settings.HF_TTS_MODEL_ID = LLM, ASR, TTS
    settings.HF_ASR_PROVIDER, settings.HF_TTS_PROVIDER = "hf-inference", "together"
    settings.HF_ASR_PROVIDER_MODEL = settings.HF_TTS_PROVIDER_MODEL = ""
    settings.HF_LLM_JSON_MODE = "json_schema"
    settings.HF_MAX_RETRIES = 2
    settings.HF_TIMEOUT_SECONDS = 0.5
    providers.reset()
    return fake


@pytest.fixture
def openai(settings, fake):
    settings.AI_PROVIDER = "openai"
    settings.OPENAI_BASE_URL = fake.openai_url
    settings.OPENAI_API_KEY = ""
    settings.OPENAI_LLM_MODEL = "Qwen/Qwen2.5-7B-Instruct"
    settings.OPENAI_ASR_MODEL = "Systran/faster-whisper-small"
    settings.OPENAI_TTS_MODEL = "kokoro"
    providers.reset()
    return fake


def check_ai(*args: str) -> str:
    """The command's output; it must exit 0."""
    out = io.StringIO()
    call_command("check_ai", *args, stdout=out)
    return out.getvalue()


def failing_check_ai(*args: str) -> tuple[str, CommandError]:
    """The output of a run that must exit 1, and the error it ends with."""
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("check_ai", *args, stdout=out)
    assert raised.value.returncode == 1
    return out.getvalue(), raised.value


def row(output: str, task: str) -> str:
    [line] = [line for line in output.splitlines() if line.startswith(f"  {task}  ")]
    return " ".join(line.split())


def test_a_healthy_hugging_face_setup_is_ok_with_provider_model_and_latency(hf):
    output = check_ai()
    assert re.fullmatch(rf"llm router {LLM} \d+ ms OK", row(output, "llm"))
    assert re.fullmatch(rf"asr hf-inference {ASR} \d+ ms OK", row(output, "asr"))
    assert re.fullmatch(rf"tts together {TTS} \d+ ms OK", row(output, "tts"))
    assert "All 3 remote tasks answered." in output
    assert hf.calls == {"llm": 1, "asr": 1, "tts": 1}


def test_the_llm_is_asked_with_the_apps_response_format_a_short_prompt_and_few_tokens(hf):
    check_ai()
    sent = json.loads(hf.last_request["llm"]["body"])
    app = providers.get_llm().payload(LearnerProfile(), PracticeContext(), [], "Hi")
    assert sent["response_format"] == app["response_format"]
    assert sent["response_format"]["json_schema"]["strict"] is True
    assert sent["model"] == LLM
    assert len(sent["messages"]) == 1 and "\n" not in sent["messages"][0]["content"]
    assert sent["max_tokens"] <= 64
    assert hf.last_request["llm"]["headers"]["authorization"] == "Bearer hf_doctor_key"


def test_speech_is_checked_with_a_one_second_clip_and_three_words(hf):
    check_ai()
    form = json.loads(hf.last_request["asr"]["body"])
    assert form["parameters"]["generation_parameters"]["language"] == "en"
    spoken = json.loads(hf.last_request["tts"]["body"])
    assert len(spoken["input"].split()) == 3
    assert spoken["voice"]  # together refuses speech without a voice


def test_the_provider_the_router_chose_is_named(hf, monkeypatch):
    from bench import fake_hf

    answer = fake_hf.FakeHF.answer

    def with_provider(self, method, path, headers, body):
        status, out, data = answer(self, method, path, headers, body)
        if path == fake_hf.CHAT_PATH:
            out = {**out, "x-inference-provider": "cerebras"}
        return status, out, data

    monkeypatch.setattr(fake_hf.FakeHF, "answer", with_provider)
    assert row(check_ai(), "llm").startswith(f"llm cerebras {LLM} ")


@pytest.mark.parametrize("provider", ["replicate", "fal-ai"])
def test_a_voice_answering_a_url_is_ok_once_the_file_is_fetched(hf, settings, provider):
    settings.HF_TTS_PROVIDER = provider
    providers.reset()
    assert row(check_ai(), "tts").endswith(" OK")
    assert hf.calls["download"] == 1


def test_a_voice_pointing_at_a_foreign_host_fails_and_nothing_is_fetched(hf, settings):
    settings.HF_TTS_PROVIDER = "replicate"
    hf.configure(media_url="https://attacker.example/speech.wav")
    providers.reset()
    output, _ = failing_check_ai()
    assert "the answer points to attacker.example, not a media host" in row(output, "tts")


def test_a_healthy_openai_compatible_server_is_ok(openai):
    output = check_ai()
    assert re.fullmatch(r"llm openai Qwen/Qwen2.5-7B-Instruct \d+ ms OK", row(output, "llm"))
    assert re.fullmatch(r"asr openai Systran/faster-whisper-small \d+ ms OK", row(output, "asr"))
    assert re.fullmatch(r"tts openai kokoro \d+ ms OK", row(output, "tts"))
    assert f"AI_PROVIDER=openai at {openai.openai_url}" in output
    assert openai.last_request["asr"]["form"]["language"] == "en"


def test_a_task_without_a_model_on_the_openai_server_stays_local_and_unchecked(openai, settings):
    settings.OPENAI_ASR_MODEL = ""
    providers.reset()
    output = check_ai()
    assert row(output, "asr") == "asr local mock-asr - local (not checked)"
    assert "All 2 remote tasks answered." in output
    assert "asr" not in openai.calls


def test_local_mode_has_nothing_remote_to_check(settings, fake):
    settings.AI_PROVIDER = "local"
    providers.reset()
    assert "local engines: nothing remote to check" in check_ai()
    assert not fake.calls


NOT_SERVED = (
    f"FAILED: not served by any provider you enabled: {LLM}. Pick another model or enable "
    "a provider at https://huggingface.co/settings/inference-providers"
)
CREDITS = (
    "FAILED: 402: credits exhausted. Top up at https://huggingface.co/settings/billing "
    "(free accounts get $0.10 a month)"
)
TOKEN = (
    "FAILED: 403: token lacks the Inference Providers permission (or is wrong): create a "
    "fine-grained token with 'Make calls to Inference Providers'"
)
JSON_MODE = "FAILED: 400: response_format unsupported: set HF_LLM_JSON_MODE=off"


@pytest.mark.parametrize(
    ("fault", "task", "expected"),
    [
        ("llm:not_served", "llm", NOT_SERVED),
        ("tts:402", "tts", CREDITS),
        ("asr:403", "asr", TOKEN),
        ("llm:response_format", "llm", JSON_MODE),
        ("llm:timeout", "llm", "FAILED: timed out: 127.0.0.1:"),
        ("asr:404", "asr", f"FAILED: 404: model not found or not deployed: {ASR}"),
        ("llm:wrong_shape", "llm", "FAILED: not a chat completion"),
        ("asr:wrong_shape", "asr", "FAILED: not a transcription"),
        ("tts:wrong_shape", "tts", "FAILED: not audio"),
        ("tts:tts_json_error", "tts", "FAILED: an error in a 200 answer"),
    ],
)
def test_each_fault_is_named_with_its_fix_and_exits_1(hf, fault, task, expected):
    hf.configure(fault=fault)
    output, error = failing_check_ai()
    assert expected in row(output, task)
    assert str(error) == f"1 of 3 remote tasks failed: {task}."
    for other in {"llm", "asr", "tts"} - {task}:
        assert row(output, other).endswith(" OK")


def test_a_timeout_names_the_host_and_the_setting(hf):
    hf.configure(fault="llm:timeout")
    output, _ = failing_check_ai()
    expected = (
        f"timed out: 127.0.0.1:{hf.port} sent no answer within 0.5 s (HF_TIMEOUT_SECONDS; "
        "learners wait that long before the fallback)"
    )
    assert expected in row(output, "llm")


def test_the_providers_own_words_follow_the_reason(hf):
    hf.configure(fault="llm:not_served")
    output, _ = failing_check_ai()
    said = f"the provider said: The requested model '{LLM}' is not supported by any provider"
    assert said in output


def test_json_mode_off_mends_an_unsupported_response_format(hf, settings):
    hf.configure(fault="llm:response_format")
    settings.HF_LLM_JSON_MODE = "off"
    providers.reset()
    assert row(check_ai(), "llm").endswith(" OK")
    assert "response_format" not in json.loads(hf.last_request["llm"]["body"])


def test_a_server_that_is_not_there_names_the_host_and_the_url_setting(hf, settings):
    hf.stop()
    output, error = failing_check_ai()
    expected = (
        f"FAILED: cannot connect to 127.0.0.1:{hf.port} (connection refused): is the server "
        "up, and HF_API_BASE_URL right?"
    )
    assert expected in row(output, "llm")
    assert str(error) == "3 of 3 remote tasks failed: llm, asr, tts."


def test_a_refused_openai_key_names_openai_api_key(openai):
    openai.configure(fault="llm:401")
    output, _ = failing_check_ai()
    assert "FAILED: 401: the server refused the key: check OPENAI_API_KEY" in row(output, "llm")


def test_a_failure_is_asked_once_and_leaves_learners_breaker_and_admin_alone(hf):
    hf.configure(fault="llm:402")
    failing_check_ai()
    hf.configure(fault="llm:500")
    failing_check_ai()
    assert hf.calls["llm"] == 2  # no retries, though HF_MAX_RETRIES=2
    assert current_problems() == []
    llm = providers.get_llm()
    assert not llm.client.breaker.is_open()
    hf.configure(fault=None)
    assert not llm.generate(LearnerProfile(), PracticeContext(), [], "Hello").degraded


def test_an_open_breaker_is_reported_and_the_provider_still_checked(hf):
    providers.get_tts().remote.client.breaker.open_for(60)
    output = check_ai()
    assert row(output, "tts").endswith(" OK")
    assert "learners get the local fallback for now: the circuit breaker is open" in output
    assert hf.calls["tts"] == 1


def test_at_verbosity_0_only_failures_are_printed(hf):
    hf.configure(fault="tts:402")
    output, _ = failing_check_ai("--verbosity", "0")
    assert re.findall(r"^  (llm|asr|tts)  ", output, re.MULTILINE) == ["tts"]
    hf.configure(fault=None)
    assert check_ai("--verbosity", "0") == ""


def test_the_exit_status_is_1_on_failure_and_0_when_healthy(hf):
    """As `make check-ai` runs it: a process whose status a script can read."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="macca.settings",
        ENV_FILE=os.devnull,
        AI_PROVIDER="huggingface",
        HF_API_KEY="hf_doctor_key",
        HF_API_BASE_URL=hf.url,
        LOCAL_SPEECH="stub",
    )

    def run() -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", "check_ai"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    healthy = run()
    assert healthy.returncode == 0, healthy.stderr
    assert "All 3 remote tasks answered." in healthy.stdout
    hf.configure(fault="402")
    broke = run()
    assert broke.returncode == 1
    assert "402: credits exhausted" in broke.stdout
    assert "3 of 3 remote tasks failed" in broke.stderr
