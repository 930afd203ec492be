"""The schema Macca sends as `response_format` passes strict structured output as
OpenAI and Cerebras enforce it, and a reply written to it means what it meant before."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from providers.huggingface import HuggingFaceLLM
from providers.parsing import parse_tutor_reply
from providers.schemas import (
    Drill,
    Feedback,
    GrammarPoint,
    LearnerProfile,
    MaccaJsonResponse,
    PracticeContext,
    PronunciationPoint,
    VocabularyPoint,
)

# The subset of JSON Schema that both accept (OpenAI's "supported schemas";
# Cerebras' "schema limitations": no `type` lists, at most five anyOf branches).
ALLOWED = {
    "$defs",
    "$ref",
    "additionalProperties",
    "anyOf",
    "description",
    "enum",
    "items",
    "properties",
    "required",
    "type",
}
MODELS = [MaccaJsonResponse, Feedback, GrammarPoint, VocabularyPoint, PronunciationPoint, Drill]
CONTEXT = PracticeContext(mode="live_conversation", topic="weekend plans")


def sent_schema() -> dict[str, Any]:
    """The schema as the LLM payload carries it."""

    class NoClient:
        model_id = "some/model"

    llm = HuggingFaceLLM(client=NoClient(), json_mode="json_schema", max_tokens=1000)
    response_format = llm.payload(LearnerProfile(), CONTEXT, [], "Hi")["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["name"] == "MaccaJsonResponse"
    assert response_format["json_schema"]["strict"] is True
    return response_format["json_schema"]["schema"]


def nodes(schema: Any, path: str = "#") -> Iterator[tuple[str, dict]]:
    """Every schema object inside, with where it is."""
    if isinstance(schema, dict):
        yield path, schema
        for name, sub in schema.get("properties", {}).items():
            yield from nodes(sub, f"{path}/properties/{name}")
        for name, sub in schema.get("$defs", {}).items():
            yield from nodes(sub, f"{path}/$defs/{name}")
        for i, sub in enumerate(schema.get("anyOf", [])):
            yield from nodes(sub, f"{path}/anyOf/{i}")
        if "items" in schema:
            yield from nodes(schema["items"], f"{path}/items")


def resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return node


def test_the_schema_keeps_to_the_strict_subset_everywhere():
    schema = sent_schema()
    assert schema["type"] == "object" and "anyOf" not in schema  # the root is an object

    objects = 0
    for path, node in nodes(schema):
        assert set(node) <= ALLOWED, f"{path}: {set(node) - ALLOWED} not allowed in strict mode"
        assert not isinstance(node.get("type"), list), f"{path}: a type list (use anyOf)"
        assert len(node.get("anyOf", [])) <= 5, path
        if "$ref" in node:
            assert set(node) == {"$ref"}, f"{path}: nothing may stand beside a $ref"
            resolve(schema, node)  # it points at a definition that exists
        if node.get("type") == "object":
            objects += 1
            assert node["additionalProperties"] is False, path
            assert node["required"] == list(node["properties"]), f"{path}: not all required"
    assert objects == len(MODELS)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_what_the_model_may_leave_out_is_nullable_and_the_rest_is_not(model):
    schema = sent_schema()
    node = schema if model is MaccaJsonResponse else schema["$defs"][model.__name__]
    for name, field in model.model_fields.items():
        branches = node["properties"][name].get("anyOf", [node["properties"][name]])
        nullable = {"type": "null"} in branches
        may_be_left_out = not field.is_required()
        assert nullable == may_be_left_out, f"{model.__name__}.{name}"


# Every key present, null wherever the model has nothing to say: what a provider
# holding the model to the strict schema produces.
STRICT_REPLY = {
    "version": None,
    "reply": "Nice! What did you cook?",
    "feedback": {
        "better_sentence": "I cooked dinner yesterday.",
        "grammar": [
            {
                "issue": "past_tense",
                "original_text": None,
                "explanation_language": None,
                "explanation": "Pakai bentuk lampau: cooked.",
                "examples": None,
            }
        ],
        "vocabulary": [{"word": "recipe", "translation": "resep", "example": None}],
        "pronunciation": [
            {"word": "cooked", "target_sound": None, "issue": None, "tip": None, "severity": None}
        ],
    },
    "drills": [
        {
            "type": "repeat_sentence",
            "instruction": "Say it again.",
            "sentence": "I cooked dinner yesterday.",
            "question": None,
        }
    ],
    "next_prompt": None,
    "step_complete": None,
}


def without_nulls(value: Any) -> Any:
    """The same reply as the old, non-strict schema let a model write it: keys left out."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value


def test_a_strict_reply_validates_against_the_schema_and_a_loose_one_does_not():
    schema = sent_schema()
    jsonschema.Draft202012Validator(schema).validate(STRICT_REPLY)

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(without_nulls(STRICT_REPLY), schema)  # keys missing
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**STRICT_REPLY, "mood": "happy"}, schema)  # an unknown key


def test_a_strict_reply_means_what_the_same_reply_without_its_nulls_meant():
    strict = parse_tutor_reply(json.dumps(STRICT_REPLY), context=CONTEXT)
    loose = parse_tutor_reply(json.dumps(without_nulls(STRICT_REPLY)), context=CONTEXT)

    assert strict is not None and strict == loose
    # Nulls became the defaults.
    assert strict.version == "1.0"
    assert strict.next_prompt == "What else can you tell me about weekend plans?"
    point = strict.feedback.grammar[0]
    assert (point.original_text, point.explanation_language, point.examples) == ("", "en", [])
    assert strict.feedback.pronunciation[0].severity == "medium"
    assert strict.feedback.vocabulary[0].example == ""
    assert strict.drills[0].question is None
    assert strict.step_complete is None


def test_a_reply_with_empty_feedback_written_as_nulls_still_parses():
    reply = {**{key: None for key in STRICT_REPLY}, "reply": "Hello!"}

    parsed = parse_tutor_reply(json.dumps(reply), context=CONTEXT)

    assert parsed is not None
    assert parsed.reply == "Hello!"
    assert parsed.feedback.grammar == parsed.drills == []
    assert parsed.feedback.better_sentence is None
