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
from providers.huggingface import HuggingFaceASR, HuggingFaceLLM, HuggingFaceTTS
from providers.mock import MockASR, MockLLM, MockTTS

PROVIDERS_DIR = Path(providers.__file__).parent


@pytest.fixture(autouse=True)
def _fresh_providers():
    providers.reset()
    yield
    providers.reset()


def built() -> tuple:
    return type(providers.get_llm()), type(providers.get_asr()), type(providers.get_tts())


@pytest.mark.parametrize(
    ("use_mock", "key", "mode", "line"),
    [
        (True, "hf_key", "mock", "AI mode: MOCK (USE_MOCK_AI=true)"),
        (None, "", "mock", "AI mode: MOCK (HF_API_KEY not set)"),
        (False, "", "mock", "AI mode: MOCK (HF_API_KEY not set)"),
        (
            None,
            "hf_key",
            "huggingface",
            "AI mode: HUGGING FACE llm=SeaLLMs/SeaLLMs-v3-7B-Chat "
            "asr=openai/whisper-large-v3-turbo tts=facebook/mms-tts-eng",
        ),
    ],
)
def test_the_mode_follows_the_switch_and_the_key(settings, use_mock, key, mode, line):
    settings.USE_MOCK_AI = use_mock
    settings.HF_API_KEY = key
    assert providers.ai_mode()[0] == mode
    assert providers.describe_mode() == line
    expected = (
        (MockLLM, MockASR, MockTTS)
        if mode == "mock"
        else (HuggingFaceLLM, HuggingFaceASR, HuggingFaceTTS)
    )
    assert built() == expected


def test_providers_are_built_once_per_process(settings):
    settings.USE_MOCK_AI = True
    assert providers.get_llm() is providers.get_llm()
    assert providers.get_tts() is providers.get_tts()


def test_the_mode_is_logged_at_startup(settings, caplog):
    settings.USE_MOCK_AI = None
    settings.HF_API_KEY = ""
    with caplog.at_level(logging.INFO, logger="macca"):
        apps.get_app_config("macca").ready()
    assert "AI mode: MOCK (HF_API_KEY not set)" in caplog.messages


def test_check_fails_loudly_when_hugging_face_is_asked_for_without_a_key(settings):
    settings.USE_MOCK_AI = False
    settings.HF_API_KEY = ""
    with pytest.raises(SystemCheckError, match=r"macca.E001.*HF_API_KEY is not set"):
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
    for path in PROVIDERS_DIR.glob("*.py"):
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
