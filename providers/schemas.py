"""The data that crosses the provider boundary: what the tutor is told (profile,
context, history) and what comes back (Macca's structured reply, transcripts,
speech). Plain pydantic models: no Django, no ORM."""

from __future__ import annotations

import functools
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Severity = Literal["low", "medium", "high"]
ModeName = Literal["live_conversation", "guided_lesson", "pronunciation_coach"]


# What strict structured output (OpenAI, Cerebras) accepts of a JSON schema; anything
# else (default, title, minLength, …) is dropped. Cerebras rejects `type: [x, "null"]`,
# so a nullable field is an anyOf.
STRICT_KEYWORDS = frozenset(
    {"$defs", "$ref", "additionalProperties", "anyOf", "description", "enum", "items"}
    | {"properties", "required", "type"}
)


def _strict_object(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Make one model's JSON schema pass strict mode: every property required, the
    optional ones nullable (providers.parsing reads a null as the default), no
    keywords strict mode rejects."""
    for name, field in model.model_fields.items():
        prop = _strict_keywords(schema["properties"][name])
        if not field.is_required() and {"type": "null"} not in prop.get("anyOf", []):
            described = {"description": prop.pop("description")} if "description" in prop else {}
            prop = {"anyOf": [prop, {"type": "null"}], **described}
        schema["properties"][name] = prop
    for key in set(schema) - STRICT_KEYWORDS:
        del schema[key]
    schema["required"] = list(schema["properties"])
    schema["additionalProperties"] = False


def _strict_keywords(schema: dict[str, Any]) -> dict[str, Any]:
    kept = {key: value for key, value in schema.items() if key in STRICT_KEYWORDS}
    if isinstance(kept.get("items"), dict):
        kept["items"] = _strict_keywords(kept["items"])
    if "anyOf" in kept:
        kept["anyOf"] = [_strict_keywords(branch) for branch in kept["anyOf"]]
    return kept


class _Lenient(BaseModel):
    """Model output: unknown keys are ignored, text is trimmed. Its JSON schema is the
    strict one the LLM is held to (response_format and the prompt)."""

    model_config = ConfigDict(
        extra="ignore", str_strip_whitespace=True, json_schema_extra=_strict_object
    )


# --- What the LLM must return (MaccaJsonResponse, API.md) -------------------


class GrammarPoint(_Lenient):
    issue: str = Field(description="Short snake_case code for the mistake, e.g. past_tense.")
    original_text: str = ""
    explanation_language: Literal["id", "en"] = "en"
    explanation: str = ""
    examples: list[str] = []


class VocabularyPoint(_Lenient):
    word: str
    translation: str = ""
    example: str = ""


class PronunciationPoint(_Lenient):
    word: str
    target_sound: str = ""
    issue: str = ""
    tip: str = ""
    severity: Severity = "medium"

    @field_validator("severity", mode="before")
    @classmethod
    def _known_severity(cls, value: object) -> str:
        value = str(value).strip().lower() if value is not None else ""
        return value if value in ("low", "medium", "high") else "medium"


class Feedback(_Lenient):
    better_sentence: str | None = None
    grammar: list[GrammarPoint] = []
    vocabulary: list[VocabularyPoint] = []
    pronunciation: list[PronunciationPoint] = []


class Drill(_Lenient):
    type: Literal["repeat_sentence", "short_answer"]
    instruction: str
    sentence: str | None = None
    question: str | None = None


class MaccaJsonResponse(_Lenient):
    version: str = "1.0"
    reply: str = Field(min_length=1, description="What Macca says back, in English.")
    feedback: Feedback = Feedback()
    drills: list[Drill] = []
    next_prompt: str = ""
    step_complete: bool | None = None


@functools.cache
def reply_json_schema() -> dict[str, Any]:
    """MaccaJsonResponse's JSON schema, built once per process: pydantic builds it anew on
    every call (milliseconds), and every turn's prompt and response_format carry it. It is
    shared, so callers only read or serialise it."""
    return MaccaJsonResponse.model_json_schema()


# --- What the tutor is told -------------------------------------------------


class LearnerProfile(BaseModel):
    name: str = ""
    level: str = "B1"
    goal: str = "daily_conversation"
    explanation_language: Literal["id", "en"] = "id"
    common_issues: list[str] = Field(default=[], description="Most frequent issue codes first.")


class PracticeContext(BaseModel):
    mode: ModeName = "live_conversation"
    topic: str | None = None
    lesson_title: str | None = None
    lesson_objective: str | None = None
    step_number: int | None = None
    total_steps: int | None = None
    step_title: str | None = None
    step_instruction: str | None = None
    step_example_answer: str | None = None
    target_grammar: list[str] = []
    target_vocabulary: list[str] = []
    target_phrases: list[str] = []
    expected_text: str | None = Field(
        default=None, description="Pronunciation coach: the sentence the learner was asked to say."
    )


class HistoryTurn(BaseModel):
    role: Literal["learner", "tutor"]
    text: str


# --- What the providers return ----------------------------------------------


class TutorReply(BaseModel):
    response: MaccaJsonResponse
    degraded: bool = False
    raw_text: str = ""


class WordTiming(BaseModel):
    word: str
    start: float = Field(description="Seconds from the start of the recording.")
    end: float
    probability: float = 1.0


class Transcript(BaseModel):
    text: str
    degraded: bool = False
    words: list[WordTiming] = Field(default=[], description="Empty when the recogniser gives none.")
    model_id: str = Field(default="", description="The engine that heard it.")


class Speech(BaseModel):
    audio: bytes
    content_type: str
    degraded: bool = False
    model_id: str = Field(default="", description="The voice that spoke it.")
