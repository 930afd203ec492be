"""An answer only a person can mend (402 credits exhausted, 401/403 token) opens the
breaker for HF_CREDITS_COOLDOWN_SECONDS at once and is remembered, for every worker,
until a call succeeds again."""

from __future__ import annotations

import json

import pytest

import providers
from providers.breaker import current_problems

from .conftest import LLM_URL
from .test_huggingface import VALID_REPLY, completion

CREDITS = {"error": "You have exceeded your monthly included credits for Inference Providers."}


@pytest.fixture
def llm_calls(hf, time_machine):
    time_machine.move_to("2026-11-24 10:42:00", tick=False)
    return hf


def turn(profile, context) -> bool:
    """One tutor turn; True when the offline coach answered it."""
    return providers.get_llm().generate(profile, context, [], "She work in a bank").degraded


def test_a_402_opens_the_breaker_for_the_long_cooldown_at_the_first_answer(
    llm_calls, profile, context, time_machine
):
    llm_calls.post(LLM_URL, status=402, json=CREDITS)

    assert turn(profile, context)
    assert len(llm_calls.calls) == 1  # not retried

    # Open at once (HF_BREAKER_FAILURES is 3), and past the ordinary 30 s cooldown.
    time_machine.move_to("2026-11-24 10:56:59", tick=False)
    assert turn(profile, context)
    assert len(llm_calls.calls) == 1

    # After HF_CREDITS_COOLDOWN_SECONDS (900 by default) one call tries again.
    time_machine.move_to("2026-11-24 10:57:01", tick=False)
    llm_calls.replace("POST", LLM_URL, json=completion(json.dumps(VALID_REPLY)))
    assert not turn(profile, context)
    assert len(llm_calls.calls) == 2


def test_an_ordinary_failure_keeps_the_short_cooldown(llm_calls, settings, profile, context):
    settings.HF_MAX_RETRIES = 0
    providers.reset()
    llm_calls.post(LLM_URL, status=500, json={"error": "down"})

    turn(profile, context)

    assert current_problems() == []
    turn(profile, context)
    assert len(llm_calls.calls) == 2  # one failure does not open it


def test_a_402_is_remembered_with_its_task_model_and_times(llm_calls, profile, context):
    llm_calls.post(LLM_URL, status=402, json=CREDITS)

    turn(profile, context)

    [problem] = current_problems()
    assert (problem.task, problem.status, problem.summary) == ("llm", 402, "credits exhausted")
    assert problem.model_id == providers.get_llm().model_id
    assert problem.host == "hf.test"
    assert problem.since.isoformat() == "2026-11-24T10:42:00+00:00"
    assert problem.until.isoformat() == "2026-11-24T10:57:00+00:00"
    assert problem.fix_url == "https://huggingface.co/settings/billing"


def test_it_stays_known_since_the_first_402_and_clears_after_a_success(
    llm_calls, profile, context, time_machine
):
    llm_calls.post(LLM_URL, status=402, json=CREDITS)
    turn(profile, context)
    time_machine.move_to("2026-11-24 10:57:01", tick=False)
    turn(profile, context)  # still out of credits

    [problem] = current_problems()
    assert problem.since.isoformat() == "2026-11-24T10:42:00+00:00"
    assert problem.until.isoformat() == "2026-11-24T11:12:01+00:00"

    time_machine.move_to("2026-11-24 11:12:02", tick=False)
    llm_calls.replace("POST", LLM_URL, json=completion(json.dumps(VALID_REPLY)))
    assert not turn(profile, context)
    assert current_problems() == []


@pytest.mark.parametrize(
    ("status", "summary"),
    [(401, "token refused"), (403, "token lacks the Inference Providers permission")],
)
def test_a_refused_token_needs_a_person_too(llm_calls, profile, context, status, summary):
    llm_calls.post(LLM_URL, status=status, json={"error": "Invalid credentials"})

    turn(profile, context)
    turn(profile, context)

    assert len(llm_calls.calls) == 1
    assert [(p.task, p.status, p.summary) for p in current_problems()] == [("llm", status, summary)]


def test_each_task_reports_its_own_problem(llm_calls, settings, profile, context):
    settings.HF_ASR_URL = "https://asr.hf.test/whisper"  # a dedicated endpoint
    providers.reset()
    llm_calls.post(LLM_URL, status=402, json=CREDITS)
    llm_calls.post(settings.HF_ASR_URL, json={"text": "Hello."})

    turn(profile, context)

    assert providers.get_asr().transcribe(b"RIFF....WAVE", "audio/wav").degraded is False
    assert [p.task for p in current_problems()] == ["llm"]


def test_the_setting_sets_the_long_cooldown(llm_calls, settings, profile, context, time_machine):
    settings.HF_CREDITS_COOLDOWN_SECONDS = 120
    providers.reset()
    llm_calls.post(LLM_URL, status=402, json=CREDITS)
    turn(profile, context)

    time_machine.move_to("2026-11-24 10:44:01", tick=False)
    llm_calls.replace("POST", LLM_URL, json=completion(json.dumps(VALID_REPLY)))
    assert not turn(profile, context)
