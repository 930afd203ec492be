"""Which providers answer, and how loudly a misconfiguration is reported."""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import SystemCheckError

import providers
from providers.fallback import FallbackASR, FallbackTTS
from providers.huggingface import HuggingFaceASR, HuggingFaceLLM, HuggingFaceTTS
from providers.local.ears import LocalASR
from providers.local.voice import LocalTTS
from providers.mock import MockASR, MockLLM, MockTTS

PROVIDERS_DIR = Path(providers.__file__).parent


@pytest.fixture(autouse=True)
def _fresh_providers():
    providers.reset()
    yield
    providers.reset()


def built() -> tuple:
    return type(providers.get_llm()), type(providers.get_asr()), type(providers.get_tts())


LOCAL_LINE = (
    "AI mode: LOCAL ({why}): tutor=rule-based coach, ears=stub recogniser (hears nothing), "
    "voice=stub voice (tones)"
)
HF_LINE = (
    "AI mode: HUGGING FACE llm=google/gemma-4-31B-it asr=openai/whisper-large-v3-turbo "
    "(hf-inference) tts=hexgrad/Kokoro-82M (together); fallbacks: rule-based coach, "
    "stub recogniser (hears nothing), stub voice (tones)"
)


@pytest.mark.parametrize(
    ("provider", "use_mock", "key", "mode", "line"),
    [
        ("local", None, "hf_key", "local", LOCAL_LINE.format(why="AI_PROVIDER=local")),
        ("", True, "hf_key", "local", LOCAL_LINE.format(why="USE_MOCK_AI=true")),
        ("", None, "", "local", LOCAL_LINE.format(why="HF_API_KEY not set")),
        ("", False, "", "local", LOCAL_LINE.format(why="HF_API_KEY not set")),
        ("", None, "hf_key", "huggingface", HF_LINE),
        ("huggingface", True, "hf_key", "huggingface", HF_LINE),
    ],
)
def test_the_mode_follows_the_switch_and_the_key(settings, provider, use_mock, key, mode, line):
    settings.AI_PROVIDER = provider
    settings.USE_MOCK_AI = use_mock
    settings.HF_API_KEY = key
    assert providers.ai_mode()[0] == mode
    assert providers.describe_mode() == line
    if mode == "local":
        assert built() == (MockLLM, MockASR, MockTTS)  # the coach, and the test stand-ins
    else:
        assert built() == (HuggingFaceLLM, FallbackASR, FallbackTTS)
        assert isinstance(providers.get_asr().remote, HuggingFaceASR)
        assert isinstance(providers.get_tts().remote, HuggingFaceTTS)
        assert isinstance(providers.get_asr().local, MockASR)


def test_the_real_local_engines_answer_unless_the_tests_ask_for_stand_ins(settings):
    settings.LOCAL_SPEECH = "real"
    assert built() == (MockLLM, LocalASR, LocalTTS)
    assert "ears=faster-whisper tiny.en, voice=piper en_US-joe-medium" in providers.describe_mode()


def test_providers_are_built_once_per_process(settings):
    settings.USE_MOCK_AI = True
    assert providers.get_llm() is providers.get_llm()
    assert providers.get_tts() is providers.get_tts()


def test_the_mode_is_logged_at_startup(settings, caplog):
    settings.USE_MOCK_AI = None
    settings.HF_API_KEY = ""
    with caplog.at_level(logging.INFO, logger="macca"):
        apps.get_app_config("macca").ready()
    assert LOCAL_LINE.format(why="HF_API_KEY not set") in caplog.messages


def test_check_fails_loudly_when_hugging_face_is_asked_for_without_a_key(settings):
    settings.USE_MOCK_AI = False
    settings.HF_API_KEY = ""
    with pytest.raises(SystemCheckError, match=r"macca.E001.*HF_API_KEY is not set"):
        call_command("check")
    settings.USE_MOCK_AI = None
    settings.AI_PROVIDER = "huggingface"
    with pytest.raises(SystemCheckError, match=r"AI_PROVIDER=huggingface but HF_API_KEY"):
        call_command("check")


def test_check_names_a_missing_model_id(settings):
    settings.USE_MOCK_AI = False
    settings.HF_API_KEY = "hf_key"
    settings.HF_ASR_MODEL_ID = ""
    with pytest.raises(SystemCheckError, match=r"HF_ASR_MODEL_ID is empty"):
        call_command("check")


def test_check_passes_in_mock_mode_and_with_a_key(settings):
    settings.USE_MOCK_AI = True
    settings.HF_API_KEY = ""
    call_command("check")
    settings.USE_MOCK_AI = False
    settings.HF_API_KEY = "hf_key"
    call_command("check")


def test_providers_import_nothing_from_tutor_or_django_models():
    for path in PROVIDERS_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert not name.startswith("tutor"), f"{path.name} imports {name}"
                assert not name.startswith("django.db"), f"{path.name} imports {name}"
                assert not name.startswith("django.contrib"), f"{path.name} imports {name}"
