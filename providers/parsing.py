"""Turning a language model's raw text into a validated MaccaJsonResponse.

Models wrap the JSON in fences and prose, use smart quotes, leave trailing commas
and get cut off at the token limit. A usable reply should survive all of that;
text with no usable reply becomes None so the caller can fall back."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from .schemas import (
    Drill,
    GrammarPoint,
    MaccaJsonResponse,
    PracticeContext,
    PronunciationPoint,
    VocabularyPoint,
)

logger = logging.getLogger(__name__)

_REPLY_ALIASES = ("response", "message", "text", "answer")
_MAX_CANDIDATES = 20
_MAX_DEPTH = 64  # a real reply nests four levels; deeper is garbage, and costly to repair
_FENCE = re.compile(r"```[A-Za-z]*[^\S\n]*\n?(.*?)(?:```|\Z)", re.DOTALL)
_START = re.compile(r"\[(?=\s*\{)|\{")  # an object, or a list that begins with one
_DECODER = json.JSONDecoder(strict=False)  # strict=False: raw newlines inside strings

# A token is kept as valid JSON text: a punctuation mark, a "string" or a scalar.
_PUNCTUATION = "{}[]:,"
_QUOTES = {'"': '"', "“": "”“", "”": "”“", "„": "”“", "‘": "’‘", "’": "’‘", "'": "'"}
_AT_DELIMITER = re.compile(r"\s*(?:[:,}\]]|\Z)")
_WORD = re.compile(r"[^\s{}\[\]:,\"“”„‘’']+")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")
_PYTHON_LITERALS = {"True": "true", "False": "false", "None": "null"}
_PARTIAL_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\(?:u[0-9a-fA-F]{0,3})?\Z")

_YES_NO = {"true": True, "yes": True, "false": False, "no": False}
_LANGUAGES = {"id": "id", "indonesian": "id", "bahasa": "id", "en": "en", "english": "en"}


def parse_tutor_reply(
    raw: str, *, context: PracticeContext, finish_reason: str | None = None
) -> MaccaJsonResponse | None:
    """Best effort: the validated reply, or None when nothing usable is left."""
    repairs: set[str] = set()
    data = _find_reply_object(raw or "", repairs)
    response = None if data is None else _normalize(data, context, repairs)
    if response is not None and repairs:
        logger.debug(
            "tutor reply repaired (finish_reason=%s): %s", finish_reason, ", ".join(sorted(repairs))
        )
    return response


def default_next_prompt(context: PracticeContext) -> str:
    """A sensible next prompt from the context when the model gave none, so the
    learner always knows what to say next."""
    instruction = (context.step_instruction or "").strip()
    expected = (context.expected_text or "").strip()
    topic = (context.topic or "").strip()
    if context.mode == "guided_lesson" and instruction:
        return instruction
    if context.mode == "pronunciation_coach" and expected:
        return f"Let's try it once more. Please say: “{expected}”"
    if topic:
        return f"What else can you tell me about {topic}?"
    return "What would you like to talk about next?"


# --- Step 1: find the JSON object ------------------------------------------------------


def _find_reply_object(raw: str, repairs: set[str]) -> dict[str, Any] | None:
    """The first JSON object in the text that carries a reply; prose never counts."""
    fenced = next((m.group(1) for m in _FENCE.finditer(raw) if "{" in m.group(1)), None)
    text = raw if fenced is None else fenced
    if fenced is not None:
        repairs.add("fences")
    starts = [match.start() for match in _START.finditer(text)]
    for start in starts[:_MAX_CANDIDATES]:
        found = {"prose_before"} if text[:start].strip() else set()
        reply_object = _pick_reply_object(_decode(text, start, found), found)
        if reply_object is not None:
            repairs.update(found)
            return reply_object
    return None


def _pick_reply_object(value: Any, repairs: set[str]) -> dict[str, Any] | None:
    """The object itself, or the first in a top-level list, if it carries a reply."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict) and (
            "reply" in item or any(isinstance(item.get(key), str) for key in _REPLY_ALIASES)
        ):
            if isinstance(value, list):
                repairs.add("top_level_list")
            return item
    return None


# --- Step 2: repair what models commonly break -----------------------------------------


def _decode(text: str, start: int, repairs: set[str]) -> Any:
    """The JSON value at `start`, repaired token by token when it does not parse."""
    try:
        value, end = _DECODER.raw_decode(text, start)
        if text[end:].strip():
            repairs.add("prose_after")
        return value
    except (ValueError, RecursionError):
        pass
    tokens = _scan(text, start, repairs)
    try:
        return None if tokens is None else json.loads("".join(tokens), strict=False)
    except (ValueError, RecursionError):
        return None


def _scan(text: str, start: int, repairs: set[str]) -> list[str] | None:
    """The value at `start` as repaired JSON tokens; None when it is malformed."""
    tokens: list[str] = []
    stack: list[str] = []
    index = start
    while index < len(text):
        char = text[index]
        if char.isspace():
            index += 1
            continue
        if char in _QUOTES:
            token, index = _read_string(text, index, repairs)
        elif char in _PUNCTUATION:
            if char in "{[":
                stack.append(char)
            elif char in "}]":
                if not stack or "{[".index(stack.pop()) != "}]".index(char):
                    return None
                while tokens[-1] == ",":
                    repairs.add("trailing_commas")
                    tokens.pop()
            token, index = char, index + 1
        else:
            match = _WORD.match(text, index)
            assert match is not None  # a character that starts no other token starts a word
            token, index = match.group(), match.end()
            if token in _PYTHON_LITERALS:
                repairs.add("python_literals")
                token = _PYTHON_LITERALS[token]
        tokens.append(token)
        if len(stack) > _MAX_DEPTH:
            return None
        if char in "}]" and not stack:
            return tokens
    return _close_cut_off(tokens, repairs)


def _read_string(text: str, start: int, repairs: set[str]) -> tuple[str, int]:
    """A string token. Smart or single quotes count as delimiters only outside a
    string and where a delimiter fits, so apostrophes inside words stay text."""
    opener = text[start]
    if opener != '"':
        repairs.add("single_quotes" if opener == "'" else "smart_quotes")
    body: list[str] = []
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            escaped = text[index + 1]
            body.append("'" if escaped == "'" and opener != '"' else char + escaped)
            index += 2
            continue
        if char in _QUOTES[opener] and (opener == '"' or _AT_DELIMITER.match(text, index + 1)):
            return '"' + "".join(body) + '"', index + 1
        body.append('\\"' if char == '"' else char)
        index += 1
    return '"' + _PARTIAL_ESCAPE.sub(r"\1", "".join(body)) + '"', index  # cut off inside


def _close_cut_off(tokens: list[str], repairs: set[str]) -> list[str]:
    """Drop a dangling key, colon, comma or partial value, then close what is open."""
    repairs.add("cut_off")
    stacks: list[str] = []  # the containers open after each token, innermost last
    opened = ""
    for token in tokens:
        if token in ("{", "["):
            opened += token
        elif token in ("}", "]"):
            opened = opened[:-1]
        stacks.append(opened)
    end = len(tokens)
    while end:
        last, before = tokens[end - 1], tokens[end - 2] if end > 1 else ""
        is_key = last[0] == '"' and before in ("{", ",") and stacks[end - 2].endswith("{")
        partial = last[0] not in _PUNCTUATION + '"' and not _SCALAR.fullmatch(last)
        if not (last in (",", ":") or is_key or partial):
            break
        end -= 1
    closers = stacks[end - 1][::-1].translate(str.maketrans("{[", "}]")) if end else ""
    return tokens[:end] + list(closers)


# --- Step 3: normalize leniently, strict only about the reply --------------------------


def _normalize(
    data: dict[str, Any], context: PracticeContext, repairs: set[str]
) -> MaccaJsonResponse | None:
    """Lenient about everything but the reply: None when there is none to show."""
    if "reply" in data:
        reply = _text(data["reply"])
    else:
        repairs.add("reply_alias")
        reply = next((_text(data[k]) for k in _REPLY_ALIASES if isinstance(data.get(k), str)), "")
    if not reply:
        return None
    feedback = data.get("feedback")
    feedback = feedback if isinstance(feedback, dict) else {}
    next_prompt = _text(data.get("next_prompt"))
    if not next_prompt:
        repairs.add("default_next_prompt")
    step_complete = data.get("step_complete")
    if isinstance(step_complete, str):
        step_complete = _YES_NO.get(step_complete.strip().lower())
    fields = {
        "version": _text(data.get("version")) or "1.0",
        "reply": reply,
        "feedback": {
            "better_sentence": _text(feedback.get("better_sentence")) or None,
            "grammar": _items(feedback.get("grammar"), GrammarPoint, repairs),
            "vocabulary": _items(feedback.get("vocabulary"), VocabularyPoint, repairs),
            "pronunciation": _items(feedback.get("pronunciation"), PronunciationPoint, repairs),
        },
        "drills": _items(data.get("drills"), Drill, repairs),
        "next_prompt": next_prompt or default_next_prompt(context),
        "step_complete": step_complete if isinstance(step_complete, bool) else None,
    }
    try:
        return MaccaJsonResponse.model_validate(fields)
    except ValidationError:
        return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    return str(value) if _is_number(value) else ""


def _items(value: Any, model: type[BaseModel], repairs: set[str]) -> list[Any]:
    """Valid items only: one broken item must not cost the whole reply."""
    if isinstance(value, dict):
        value = [value]
    kept = []
    for item in value if isinstance(value, list) else []:
        try:
            kept.append(model.model_validate(_clean_item(item)))
        except (ValidationError, TypeError):
            repairs.add(f"dropped_{model.__name__}")
    return kept


def _clean_item(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise TypeError("not an object")
    # None means "use the default"; numbers where text is expected become text.
    cleaned = {k: str(v) if _is_number(v) else v for k, v in item.items() if v is not None}
    if "examples" in cleaned:
        examples = cleaned["examples"]
        examples = examples if isinstance(examples, list) else [examples]
        cleaned["examples"] = [_text(e) for e in examples if _text(e)]
    if isinstance(cleaned.get("type"), str):
        cleaned["type"] = re.sub(r"[\s-]+", "_", cleaned["type"].strip().lower())
    language = _LANGUAGES.get(str(cleaned.pop("explanation_language", "")).strip().lower())
    if language:
        cleaned["explanation_language"] = language
    return cleaned
