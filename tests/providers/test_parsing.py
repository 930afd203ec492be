"""parse_tutor_reply: what a language model really sends back, and what Macca
makes of it. No network and no database: plain text in, a reply (or None) out."""

from __future__ import annotations

import json

import pytest

from providers.parsing import default_next_prompt, parse_tutor_reply
from providers.schemas import MaccaJsonResponse, PracticeContext

TOPIC = PracticeContext(mode="live_conversation", topic="weekend plans")
LESSON = PracticeContext(
    mode="guided_lesson",
    lesson_title="Job interviews",
    step_number=2,
    total_steps=5,
    step_instruction="Tell me about your last job in two or three sentences.",
)
PRONUNCIATION = PracticeContext(
    mode="pronunciation_coach", expected_text="I think three thin thieves left."
)
GENERAL = PracticeContext()

CLEAN = json.dumps(
    {
        "version": "1.0",
        "reply": "Nice! What did you do on Saturday?",
        "feedback": {
            "better_sentence": "I went to the market yesterday.",
            "grammar": [
                {
                    "issue": "past_tense",
                    "original_text": "I go to the market yesterday",
                    "explanation_language": "id",
                    "explanation": "Gunakan past tense untuk kejadian kemarin.",
                    "examples": ["I went home.", "She visited her aunt."],
                }
            ],
            "vocabulary": [{"word": "market", "translation": "pasar", "example": "A busy market."}],
            "pronunciation": [
                {"word": "three", "target_sound": "/θ/", "issue": "t", "tip": "Tongue out."}
            ],
        },
        "drills": [
            {
                "type": "repeat_sentence",
                "instruction": "Say it again.",
                "sentence": "I went to the market yesterday.",
            }
        ],
        "next_prompt": "What did you do on Saturday?",
        "step_complete": None,
    },
    indent=2,
)


def parse(raw: str, context: PracticeContext = TOPIC, **kwargs) -> MaccaJsonResponse | None:
    return parse_tutor_reply(raw, context=context, **kwargs)


# --- Finding the JSON ------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        CLEAN,
        f"```json\n{CLEAN}\n```",
        f"```\n{CLEAN}\n```",
        f"Here is the JSON:\n{CLEAN}",
        f"Sure! Here's my answer.\n\n```json\n{CLEAN}\n```\nLet me know if you need more.",
        f"{CLEAN}\n\nI corrected the past tense because the learner said 'yesterday'.",
        f"[{CLEAN}]",
        f"  \n{CLEAN}\n  ",
    ],
    ids=[
        "clean",
        "json-fence",
        "plain-fence",
        "here-is-the-json",
        "prose-and-fence",
        "prose-after",
        "top-level-list",
        "whitespace",
    ],
)
def test_it_finds_the_whole_reply_wherever_the_json_sits(raw):
    result = parse(raw)

    assert result is not None
    assert result.reply == "Nice! What did you do on Saturday?"
    assert result.feedback.better_sentence == "I went to the market yesterday."
    assert result.feedback.grammar[0].examples == ["I went home.", "She visited her aunt."]
    assert result.feedback.vocabulary[0].translation == "pasar"
    assert result.feedback.pronunciation[0].severity == "medium"
    assert result.drills[0].type == "repeat_sentence"
    assert result.next_prompt == "What did you do on Saturday?"


def test_it_takes_the_first_item_with_a_reply_from_a_list():
    raw = '[{"note": "thinking"}, {"reply": "Second one.", "next_prompt": "Go on."}]'

    assert parse(raw).reply == "Second one."


def test_braces_inside_strings_do_not_end_the_object():
    raw = (
        'Answer: {"reply": "Use {curly} braces like this: }{ and ] [", '
        '"next_prompt": "Why {not}?"} trailing words }'
    )

    result = parse(raw)

    assert result.reply == "Use {curly} braces like this: }{ and ] ["
    assert result.next_prompt == "Why {not}?"


def test_it_skips_braces_in_the_prose_before_the_json():
    raw = 'I will fill {the template} now: {"reply": "Hello!", "next_prompt": "How are you?"}'

    assert parse(raw).reply == "Hello!"


# --- Repairing broken JSON -------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "reply", "next_prompt"),
    [
        ('{"reply": "Great job!", "next_prompt": "And then?",}', "Great job!", "And then?"),
        (
            '{"reply": "Good.", "drills": [{"type": "short_answer", "instruction": "Answer.",},],'
            ' "next_prompt": "Next?"}',
            "Good.",
            "Next?",
        ),
        ("{“reply”: “That’s great!”, “next_prompt”: “Why?”}", "That’s great!", "Why?"),
        (
            '{"reply": "She said “hello”, then left.", "next_prompt": "Who?",}',
            "She said “hello”, then left.",
            "Who?",
        ),
        (
            "{'reply': 'It\\'s sunny today', 'next_prompt': 'Do you like it?'}",
            "It's sunny today",
            "Do you like it?",
        ),
        ('{"reply": "Yes!", "step_complete": True, "next_prompt": "Done?"}', "Yes!", "Done?"),
    ],
    ids=[
        "trailing-comma-object",
        "trailing-comma-list",
        "smart-quotes",
        "smart-quotes-inside-a-real-string",
        "single-quotes",
        "python-true",
    ],
)
def test_it_repairs_what_models_commonly_break(raw, reply, next_prompt):
    result = parse(raw)

    assert result.reply == reply
    assert result.next_prompt == next_prompt


def test_python_literals_become_json_values():
    raw = '{"reply": "Ok", "step_complete": False, "feedback": {"better_sentence": None},}'

    result = parse(raw)

    assert result.step_complete is False
    assert result.feedback.better_sentence is None


def test_a_reply_cut_off_mid_string_survives_and_later_fields_are_defaulted():
    raw = '```json\n{"reply": "Great! You used the past tense correctly. Now tell me wh'

    result = parse(raw, finish_reason="length")

    assert result.reply == "Great! You used the past tense correctly. Now tell me wh"
    assert result.feedback.grammar == []
    assert result.drills == []
    assert result.next_prompt == "What else can you tell me about weekend plans?"


def test_a_reply_cut_off_mid_list_keeps_the_complete_items():
    raw = (
        '{"reply": "Nice try!", "feedback": {"grammar": [{"issue": "article", '
        '"examples": ["a cat"]}, {"issue": "past_tense", "explanation": "Use the pa'
    )

    result = parse(raw, finish_reason="length")

    assert result.reply == "Nice try!"
    assert [g.issue for g in result.feedback.grammar] == ["article", "past_tense"]
    assert result.feedback.grammar[1].explanation == "Use the pa"


def test_a_drill_cut_off_before_its_instruction_is_dropped():
    raw = (
        '{"reply": "Good.", "drills": [{"type": "repeat_sentence", "instruction": "Say it."}, '
        '{"type": "short_ans'
    )

    result = parse(raw, finish_reason="length")

    assert [d.instruction for d in result.drills] == ["Say it."]


@pytest.mark.parametrize(
    "tail",
    [', "next_prompt"', ', "next_prompt": ', ', "next_pro', ', "step_complete": tr', ", "],
    ids=["after-key", "after-colon", "mid-key", "partial-literal", "after-comma"],
)
def test_a_dangling_key_or_partial_value_is_dropped(tail):
    raw = '{"reply": "See you!", "feedback": {"better_sentence": "I am fine."}' + tail

    result = parse(raw)  # no finish_reason: the text simply ends mid-object

    assert result.reply == "See you!"
    assert result.feedback.better_sentence == "I am fine."
    assert result.step_complete is None
    assert result.next_prompt == "What else can you tell me about weekend plans?"


def test_a_cut_off_escape_sequence_is_dropped():
    assert parse('{"reply": "Say \\"hi\\u00', finish_reason="length").reply == 'Say "hi'


# --- Normalizing leniently -------------------------------------------------------------


def test_wrong_types_are_coerced_where_the_meaning_is_clear():
    raw = json.dumps(
        {
            "reply": "Good answer.",
            "version": 1,
            "feedback": {
                "grammar": {"issue": "plural", "examples": "two cats", "explanation": 3},
                "vocabulary": "market",
                "pronunciation": [{"word": "think", "severity": "critical"}],
            },
            "drills": {"type": "Short Answer", "instruction": "Answer it.", "question": 42},
            "step_complete": "yes",
        }
    )

    result = parse(raw)

    assert result.version == "1"
    assert result.feedback.grammar[0].issue == "plural"
    assert result.feedback.grammar[0].examples == ["two cats"]
    assert result.feedback.grammar[0].explanation == "3"
    assert result.feedback.vocabulary == []
    assert result.feedback.pronunciation[0].severity == "medium"
    assert result.drills[0].type == "short_answer"
    assert result.drills[0].question == "42"
    assert result.step_complete is True


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("No", False), (" FALSE ", False), ("maybe", None), (1, None), (None, None)],
)
def test_step_complete_accepts_yes_and_no_words(value, expected):
    raw = json.dumps({"reply": "Ok.", "step_complete": value})

    assert parse(raw).step_complete is expected


def test_extra_keys_are_ignored():
    raw = json.dumps(
        {
            "reply": "Hi!",
            "mood": "happy",
            "feedback": {"score": 9, "vocabulary": [{"word": "hi", "emoji": "👋"}]},
        }
    )

    result = parse(raw)

    assert result.reply == "Hi!"
    assert result.feedback.vocabulary[0].word == "hi"
    assert "mood" not in result.model_dump()


@pytest.mark.parametrize("feedback", [None, "none", ["grammar"], 7], ids=repr)
def test_missing_or_malformed_feedback_becomes_empty(feedback):
    data = {"reply": "Hello!", "next_prompt": "How are you?"}
    if feedback is not None:
        data["feedback"] = feedback

    result = parse(json.dumps(data))

    assert result.feedback.model_dump() == {
        "better_sentence": None,
        "grammar": [],
        "vocabulary": [],
        "pronunciation": [],
    }


def test_one_invalid_grammar_item_is_dropped_and_the_others_kept():
    grammar = [
        {"issue": "past_tense", "explanation": "Use went."},
        {"explanation": "no issue code"},
        "article",
        {"issue": "article", "examples": [{"bad": 1}, "a book"], "explanation_language": "ID"},
    ]
    raw = json.dumps({"reply": "Almost!", "feedback": {"grammar": grammar}})

    result = parse(raw)

    assert [g.issue for g in result.feedback.grammar] == ["past_tense", "article"]
    assert result.feedback.grammar[1].examples == ["a book"]
    assert result.feedback.grammar[1].explanation_language == "id"


def test_a_drill_with_an_unknown_type_is_dropped():
    drills = [
        {"type": "fill_in_the_blank", "instruction": "Fill it."},
        {"type": "repeat_sentence", "instruction": "Repeat.", "sentence": "I went home."},
    ]
    raw = json.dumps({"reply": "Let's practise.", "drills": drills})

    assert [d.type for d in parse(raw).drills] == ["repeat_sentence"]


@pytest.mark.parametrize("key", ["response", "message", "text", "answer"])
def test_a_reply_under_a_common_alias_is_used(key):
    raw = json.dumps({key: "  Good morning!  ", "next_prompt": "How did you sleep?"})

    assert parse(raw).reply == "Good morning!"


def test_reply_wins_over_an_alias():
    raw = json.dumps({"reply": "The real one.", "message": "Not this."})

    assert parse(raw).reply == "The real one."


# --- Nothing usable: None --------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   \n ",
        "Great job! You used the past tense correctly. What did you do next?",
        '{"reply": "", "next_prompt": "Hello?"}',
        '{"reply": "   "}',
        '{"next_prompt": "What next?", "feedback": {}}',
        '{"reply": null}',
        '{"reply": {"text": "nested"}}',
        '{"message": {"content": "not a string"}}',
        "[1, 2, 3]",
        '{"reply": "Hi" ] }',
        "```json\n```",
        '{"feedback": {"grammar": [{"issue": "past_tense"',
    ],
    ids=[
        "empty",
        "whitespace",
        "pure-prose",
        "empty-reply",
        "blank-reply",
        "reply-missing",
        "reply-null",
        "reply-object",
        "alias-not-text",
        "list-of-numbers",
        "mismatched-brackets",
        "empty-fence",
        "cut-off-before-reply",
    ],
)
def test_it_returns_none_when_no_usable_reply_is_left(raw):
    assert parse(raw) is None


# --- The next prompt --------------------------------------------------------------------


def test_a_missing_next_prompt_comes_from_the_lesson_step():
    result = parse('{"reply": "Well done!", "step_complete": "true"}', context=LESSON)

    assert result.next_prompt == "Tell me about your last job in two or three sentences."
    assert result.step_complete is True


def test_an_empty_next_prompt_comes_from_the_topic():
    result = parse('{"reply": "Sounds fun!", "next_prompt": "  "}', context=TOPIC)

    assert result.next_prompt == "What else can you tell me about weekend plans?"


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        (LESSON, "Tell me about your last job in two or three sentences."),
        (TOPIC, "What else can you tell me about weekend plans?"),
        (PRONUNCIATION, "Let's try it once more. Please say: “I think three thin thieves left.”"),
        (GENERAL, "What would you like to talk about next?"),
        (
            PracticeContext(mode="guided_lesson", topic="food"),
            "What else can you tell me about food?",
        ),
    ],
    ids=["lesson", "topic", "pronunciation", "general", "lesson-without-instruction"],
)
def test_default_next_prompt_follows_the_context(context, expected):
    assert default_next_prompt(context) == expected


# --- The result -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        CLEAN,
        '{"reply": "Cut off, but fine", "feedback": {"grammar": [{"issue": "x", "examples": ["a',
        "{'response': 'Hi', 'drills': {'type': 'short_answer', 'instruction': 'Why?'}}",
    ],
    ids=["clean", "cut-off", "repaired"],
)
def test_the_result_round_trips_through_the_schema(raw):
    result = parse(raw)

    dumped = result.model_dump()

    assert MaccaJsonResponse.model_validate(dumped) == result
    assert MaccaJsonResponse.model_validate_json(result.model_dump_json()) == result


def test_it_logs_the_repairs_at_debug_level_only(caplog):
    caplog.set_level("DEBUG", logger="providers.parsing")

    parse('Here you go: {"reply": "Hi",}', finish_reason="stop")

    assert [r.levelname for r in caplog.records] == ["DEBUG"]
    assert "trailing_commas" in caplog.records[0].getMessage()
