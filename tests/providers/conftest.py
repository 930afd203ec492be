from __future__ import annotations

import pytest
import responses as responses_lib
from django.core.cache import cache

import providers
from providers.schemas import HistoryTurn, LearnerProfile, PracticeContext

HF_KEY = "hf_test_SECRET_token_never_logged"
BASE = "https://hf.test"
LLM_URL = f"{BASE}/v1/chat/completions"
ASR_URL = f"{BASE}/hf-inference/models/openai/whisper-large-v3-turbo"
TTS_URL = f"{BASE}/hf-inference/models/hexgrad/Kokoro-82M"


@pytest.fixture
def hf(settings):
    """Hugging Face mode against a fake base URL; `responses` answers every call."""
    settings.USE_MOCK_AI = False
    settings.HF_API_KEY = HF_KEY
    settings.HF_API_BASE_URL = BASE
    settings.HF_LLM_URL = settings.HF_ASR_URL = settings.HF_TTS_URL = ""
    # The hf-inference shapes (the other providers': test_speech_shapes.py).
    settings.HF_ASR_PROVIDER = settings.HF_TTS_PROVIDER = "hf-inference"
    settings.HF_LLM_JSON_MODE = "json_schema"
    settings.HF_MAX_RETRIES = 2
    settings.HF_RETRY_BUDGET_SECONDS = 15
    settings.HF_BREAKER_FAILURES = 3
    settings.HF_BREAKER_COOLDOWN_SECONDS = 30
    cache.clear()
    providers.reset()
    with responses_lib.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        yield mocked
    providers.reset()
    cache.clear()


@pytest.fixture
def profile() -> LearnerProfile:
    return LearnerProfile(
        name="Siti",
        level="B1",
        goal="job_interview",
        explanation_language="id",
        common_issues=["past_tense", "article"],
    )


@pytest.fixture
def context() -> PracticeContext:
    return PracticeContext(mode="live_conversation", topic="weekend plans")


@pytest.fixture
def history() -> list[HistoryTurn]:
    turns = []
    for n in range(1, 11):
        turns.append(HistoryTurn(role="learner", text=f"learner line {n}"))
        turns.append(HistoryTurn(role="tutor", text=f"tutor line {n}"))
    return turns


def pytest_terminal_summary(terminalreporter):
    """The grammar corpus's catch rate and false alarms, when its tests ran."""
    from tests.providers import test_grammar

    lines = test_grammar.summary_lines()
    if lines:
        terminalreporter.section("grammar checks")
        for line in lines:
            terminalreporter.line(line)
