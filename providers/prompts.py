"""What Macca's language model is told: who it is, who the learner is, what
this practice is about, and the exact JSON to answer with."""

from __future__ import annotations

import functools
import json

from .schemas import (
    HistoryTurn,
    LearnerProfile,
    MaccaJsonResponse,
    PracticeContext,
    reply_json_schema,
)

HISTORY_TURNS = 8

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
GOAL_NAMES = {
    "job_interview": "preparing for job interviews",
    "study": "studying in English",
    "daily_conversation": "everyday conversation",
}

EXAMPLE = MaccaJsonResponse.model_validate(
    {
        "reply": "Nice! Jakarta traffic sounds tiring. What time did you get to the office?",
        "feedback": {
            "better_sentence": "I went to the office yesterday.",
            "grammar": [
                {
                    "issue": "past_tense",
                    "original_text": "I go to the office yesterday",
                    "explanation_language": "id",
                    "explanation": "Untuk kejadian kemarin, pakai bentuk lampau: go → went.",
                    "examples": ["I went to the office yesterday."],
                }
            ],
            "vocabulary": [
                {
                    "word": "commute",
                    "translation": "perjalanan ke kantor",
                    "example": "My commute takes an hour.",
                }
            ],
            "pronunciation": [],
        },
        "drills": [
            {
                "type": "repeat_sentence",
                "instruction": "Say it again with the past tense.",
                "sentence": "I went to the office yesterday.",
            }
        ],
        "next_prompt": "What time did you get to the office?",
        "step_complete": None,
    }
)

MODE_INSTRUCTIONS = {
    "live_conversation": (
        "This is free conversation{topic}. Keep it flowing: react to what the learner "
        "said, then ask exactly one follow-up question. step_complete is null."
    ),
    "guided_lesson": (
        'This is a guided lesson: "{lesson_title}" (objective: {lesson_objective}). '
        'Current step {step_number} of {total_steps}: "{step_title}". The instruction the '
        'learner is answering: "{step_instruction}". Target grammar: {target_grammar}. '
        "Target vocabulary: {target_vocabulary}. Useful phrases: {target_phrases}. "
        "Set step_complete to true when the learner's answer meets this step's goal "
        "(on topic, understandable, using the target language reasonably), else false "
        "and say in the reply what to add or try."
    ),
    "pronunciation_coach": (
        "This is pronunciation coaching. Focus on sounds, not grammar: fill "
        "feedback.pronunciation with the words and sounds to fix (Indonesian speakers often "
        "replace th with t/d, v with f, z with s, and drop final consonants), give "
        "repeat_sentence drills{expected}. step_complete is null."
    ),
}


def _listed(items: list[str]) -> str:
    return ", ".join(items) if items else "none"


def mode_instructions(context: PracticeContext) -> str:
    template = MODE_INSTRUCTIONS[context.mode]
    return template.format(
        topic=f" about {context.topic}" if context.topic else "",
        lesson_title=context.lesson_title or "",
        lesson_objective=context.lesson_objective or "",
        step_number=context.step_number or 1,
        total_steps=context.total_steps or 1,
        step_title=context.step_title or "",
        step_instruction=context.step_instruction or "",
        target_grammar=_listed(context.target_grammar),
        target_vocabulary=_listed(context.target_vocabulary),
        target_phrases=_listed(context.target_phrases),
        expected=(
            f'; the learner was asked to say: "{context.expected_text}"'
            if context.expected_text
            else ""
        ),
    )


def system_prompt(profile: LearnerProfile, context: PracticeContext) -> str:
    language = LANGUAGE_NAMES[profile.explanation_language]
    past = ", ".join(profile.common_issues[:5]) or "none recorded yet"
    return "\n\n".join(
        [
            "You are Macca, a warm, encouraging and concise English speaking coach for "
            "Indonesian learners. Speak simple, natural English at the learner's level. "
            "Keep replies to one to three short sentences: the learner will hear them "
            "spoken aloud.",
            f"The learner: {profile.name or 'a learner'}, CEFR level {profile.level}, "
            f"goal: {GOAL_NAMES.get(profile.goal, profile.goal)}. Write every explanation "
            f'in {language} (explanation_language "{profile.explanation_language}"). '
            f"Their most common past mistakes: {past}; watch for them.",
            mode_instructions(context),
            "Correct only real mistakes in the learner's last message; never invent "
            "errors. If it was correct, say so briefly, leave grammar empty and set "
            "better_sentence to null. Use short snake_case codes for grammar issue "
            "(past_tense, article, third_person_s, plural_noun, preposition, word_order…). "
            "Teach at most two useful words in vocabulary, with Indonesian translations.",
            _answer_format(),
        ]
    )


@functools.cache
def _answer_format() -> str:
    """The same for every turn: the schema and an example, written out once per process."""
    return (
        "Answer with one JSON object only, no prose and no markdown, matching this "
        "JSON schema:\n" + json.dumps(reply_json_schema()) + "\n\n"
        "Example answer:\n" + EXAMPLE.model_dump_json()
    )


def chat_messages(
    profile: LearnerProfile,
    context: PracticeContext,
    history: list[HistoryTurn],
    learner_text: str,
) -> list[dict[str, str]]:
    """System prompt, the last HISTORY_TURNS turns, then the learner's message."""
    messages = [{"role": "system", "content": system_prompt(profile, context)}]
    for turn in history[-HISTORY_TURNS:]:
        role = "user" if turn.role == "learner" else "assistant"
        messages.append({"role": role, "content": turn.text})
    messages.append({"role": "user", "content": learner_text})
    return messages
