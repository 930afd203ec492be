"""Macca's structured reply without a language model: the grammar rules, a
reply that picks up the learner's topic, one follow-up question, lesson steps
and pronunciation drills. The mock LLM answers with it, and the Hugging Face
LLM falls back to it (coach_reply) when the model fails."""

from __future__ import annotations

import difflib
import re

from lemminflect import getAllLemmas

from . import coach_data as data
from .grammar import (
    SENTENCE_RE,
    Checked,
    as_example,
    check_grammar,
    is_about_the_past,
    stable_seed,
    words_of,
)
from .schemas import (
    Drill,
    Feedback,
    HistoryTurn,
    LearnerProfile,
    MaccaJsonResponse,
    PracticeContext,
    PronunciationPoint,
    VocabularyPoint,
)

# --- Vocabulary ------------------------------------------------------------------


def _contains(text: str, phrase: str) -> re.Match[str] | None:
    phrase = phrase.strip()
    if not phrase:
        return None
    return re.search(rf"(?<![\w'])({re.escape(phrase)})(?:s|es)?(?![\w'])", text, re.IGNORECASE)


def _vocabulary(text: str, context: PracticeContext) -> list[VocabularyPoint]:
    """Up to two useful words the learner used: the lesson's targets first."""
    found: list[tuple[int, int, str]] = []  # (priority, position, word)
    if context.mode == "guided_lesson":
        for word in context.target_vocabulary:
            if match := _contains(text, word):
                found.append((0, match.start(), word.strip()))
    for word in data.VOCABULARY:
        if match := _contains(text, word):
            found.append((1, match.start(), word))
    points, seen = [], set()
    for _, _, word in sorted(found):
        if word.lower() in seen:
            continue
        seen.add(word.lower())
        translation, example = data.VOCABULARY.get(word.lower(), ("", ""))
        points.append(VocabularyPoint(word=word, translation=translation, example=example))
    return points[:2]


# --- What Macca says ---------------------------------------------------------------

_TOPIC_WORD_RE = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, data.TOPIC_WORDS), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def _pick(options: list[str], seed: int, avoid: str = "") -> str:
    """A deterministic choice that doesn't repeat what Macca just said."""
    choice = options[seed % len(options)]
    if len(options) > 1 and choice and choice in avoid:
        choice = options[(seed + 1) % len(options)]
    return choice


def _first_name(profile: LearnerProfile, history: list[HistoryTurn]) -> str:
    """The learner's name, on the first turn only: often enough to feel personal."""
    names = profile.name.split()
    return f", {names[0]}" if names and not history else ""


def _reaction(text: str, seed: int) -> tuple[str, str | None]:
    """(a reaction that picks up what the learner talked about, its category)."""
    match = _TOPIC_WORD_RE.search(text)
    if match is None:
        return _pick(data.REACTIONS["general"], seed), None
    word = match.group(1).lower()
    category = data.TOPIC_WORDS[word]
    shown = word.title() if category == "place" or word == "english" else word
    template = _pick(data.REACTIONS[category], seed)
    return template.format(word=shown, Word=shown[:1].upper() + shown[1:]), category


def _topic_category(topic: str | None) -> str | None:
    topic = (topic or "").lower()
    return next((category for hint, category in data.TOPIC_HINTS if hint in topic), None)


def _question(
    context: PracticeContext, category: str | None, past: bool, seed: int, avoid: str
) -> str:
    """One follow-up question: about the session's topic when it has one."""
    tense = "past" if past else "now"
    topic_category = _topic_category(context.topic)
    if topic_category:
        return _pick(data.QUESTIONS[topic_category][tense], seed, avoid)
    if context.topic:
        options = [
            f"What else can you tell me about {context.topic}?",
            f"What do you enjoy most about {context.topic}?",
        ]
        return _pick(options, seed, avoid)
    return _pick(data.QUESTIONS[category or "general"][tense], seed, avoid)


def _last_tutor_line(history: list[HistoryTurn]) -> str:
    return next((turn.text for turn in reversed(history) if turn.role == "tutor"), "")


def _opener(checked: Checked, name: str, seed: int) -> str:
    """Praise for a sentence only when every check passed on it; a recast when one
    didn't; otherwise (nothing the checks could judge, like "Tea, thanks") a plain thanks."""
    better = checked.better
    if better is None and checked.checked:
        return _pick(
            [
                f"Great sentence{name}, no mistakes!",
                f"Nicely said{name}, that's correct!",
                f"Well done{name}, that sentence is spot on!",
            ],
            seed,
        )
    if better is None:
        return _pick([f"Thanks{name}!", f"I see{name}.", f"Okay{name}!"], seed)
    opener = _pick([f"Good try{name}!", f"Nice effort{name}!"], seed)
    if len(better.split()) <= 16 and len(SENTENCE_RE.findall(better)) == 1:
        return f"{opener} We say: “{as_example(better)}”"
    return f"{opener} Have a look at the better sentence below."


def _drills(better: str | None, language: str) -> list[Drill]:
    if better is None:
        return []
    instruction = data.DRILL_INSTRUCTIONS[language].format(sentence=better)
    return [Drill(type="repeat_sentence", instruction=instruction, sentence=better)]


# --- Modes ---------------------------------------------------------------------------


def _conversation(
    profile: LearnerProfile, context: PracticeContext, history: list[HistoryTurn], text: str
) -> MaccaJsonResponse:
    language = profile.explanation_language
    checked = check_grammar(text, language)
    better = checked.better
    seed, name = stable_seed(text), _first_name(profile, history)
    reaction, category = _reaction(better or text, seed)
    feedback = Feedback(
        better_sentence=better, grammar=checked.points, vocabulary=_vocabulary(text, context)
    )
    if context.mode == "guided_lesson":
        return _guided(context, text, name, seed, reaction, checked, feedback, language)
    opener = _opener(checked, name, seed)
    question = _question(
        context, category, is_about_the_past(text), seed, _last_tutor_line(history)
    )
    return MaccaJsonResponse(
        reply=f"{opener} {reaction} {question}",
        feedback=feedback,
        drills=_drills(better, language),
        next_prompt=question,
        step_complete=None,
    )


def _uses_target(text: str, context: PracticeContext) -> str | None:
    return next(
        (t for t in [*context.target_phrases, *context.target_vocabulary] if _contains(text, t)),
        None,
    )


def _base_forms(text: str) -> set[str]:
    """The content words of a text in their base forms ("ordering" -> "order")."""
    found = set()
    for word in words_of(text):
        if word in data.STOPWORDS or len(word) < 3 or word.isdigit():
            continue
        lemmas = getAllLemmas(word)
        found.add(word)
        found.update(lemma for forms in lemmas.values() for lemma in forms[:1])
    return found


def _fields(words: set[str]) -> set[str]:
    return {field for field, lexicon in data.TOPIC_FIELDS.items() if words & lexicon}


def _addresses_step(text: str, context: PracticeContext) -> bool:
    """The answer is about the step: it uses the step's or the lesson's own words, or
    words of the same field (a hot chocolate for "order a drink")."""
    about = " ".join(
        filter(
            None,
            [
                context.step_instruction,
                context.step_title,
                context.step_example_answer,
                context.lesson_title,
                context.lesson_objective,
                context.topic,
                *context.target_phrases,
                *context.target_vocabulary,
            ],
        )
    )
    answer, step = _base_forms(text), _base_forms(about) - data.STEP_WORDS
    if not step:
        return True  # "Talk.": any answer is about it
    return bool(answer & step) or bool(_fields(answer) & _fields(step))


def _guided(
    context: PracticeContext,
    text: str,
    name: str,
    seed: int,
    reaction: str,
    checked: Checked,
    feedback: Feedback,
    language: str,
) -> MaccaJsonResponse:
    """A lesson step is met by using the lesson's language, or by a full, correct answer
    that is about the step (an off-topic answer, however good, does not complete it)."""
    instruction = context.step_instruction or "Let's keep practising this step."
    words = len(words_of(text))
    on_topic = _addresses_step(text, context)
    complete = bool(_uses_target(text, context)) or (
        words >= 6 and not feedback.grammar and on_topic
    )
    step, total = context.step_number, context.total_steps
    better = feedback.better_sentence
    opener = _opener(checked, name, seed) if complete or better else f"Good start{name}!"
    if complete:
        done = f"You've completed step {step} of {total}." if step and total else "Step done!"
        if step and total and step >= total:
            ahead = "That was the last step: great work!"
        else:
            ahead = f"Ready for step {step + 1}?" if step else "Ready for the next step?"
        reply = f"{opener} {reaction} {done} {ahead}"
    else:
        targets = [*context.target_phrases, *context.target_vocabulary]
        if not on_topic and words >= 6:
            hint = "That's not quite what this step asks."
            if targets:
                hint += f" Try using “{targets[0]}”."
        elif targets:
            hint = f"Try using “{targets[0]}”."
        elif words < 6:
            hint = "Try a longer answer, with at least six words."
        else:
            hint = "Try once more with the corrected sentence."
        reply = f"{opener} {hint} {instruction}"
    return MaccaJsonResponse(
        reply=reply,
        feedback=feedback,
        drills=_drills(better, language),
        next_prompt=instruction,
        step_complete=complete,
    )


def _sound_tip(word: str, language: str) -> tuple[str, str]:
    """(target sound, tip) for a word: a guess at the sound that made it hard to hear."""
    for letters, sound, tips in data.HARD_SOUNDS:
        if letters in word:
            return sound, tips[language]
    if len(word) > 2 and word[-1] not in "aeiouy":
        return f"final /{word[-1]}/", data.FINAL_SOUND_TIPS[language]
    return "", data.GENERAL_SOUND_TIPS[language]


def _pronunciation(
    profile: LearnerProfile, context: PracticeContext, history: list[HistoryTurn], text: str
) -> MaccaJsonResponse:
    """Compares what was heard with what the learner was asked to say. The mock
    cannot hear sounds, so it only reports words that were missing or different."""
    language = profile.explanation_language
    name = _first_name(profile, history)
    expected = (context.expected_text or "").strip()
    if not expected:
        question = "Which sentence would you like to practise?"
        return MaccaJsonResponse(
            reply=f"Thanks{name}! I heard: “{text.strip()}”. {question}", next_prompt=question
        )
    target, heard = words_of(expected), words_of(text)
    matcher = difflib.SequenceMatcher(None, target, heard, autojunk=False)
    missed: list[str] = []
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            missed += [w for w in target[i1:i2] if w not in missed]
    points = []
    for word in missed[:5]:
        sound, tip = _sound_tip(word, language)
        points.append(
            PronunciationPoint(
                word=word, target_sound=sound, issue="not heard clearly", tip=tip, severity="medium"
            )
        )
    if not points:
        question = "Shall we try a longer sentence?"
        reply = f"Excellent{name}! I heard every word clearly. {question}"
        return MaccaJsonResponse(reply=reply, next_prompt=question)
    listed = ", ".join(f"“{p.word}”" for p in points)
    question = "Can you say the whole sentence again, slowly?"
    reply = f"Nice effort{name}! I didn't catch {listed} clearly. {question}"
    drill = Drill(
        type="repeat_sentence",
        instruction=data.DRILL_INSTRUCTIONS[language].format(sentence=expected),
        sentence=expected,
    )
    return MaccaJsonResponse(
        reply=reply, feedback=Feedback(pronunciation=points), drills=[drill], next_prompt=question
    )


def coach_reply(
    profile: LearnerProfile,
    context: PracticeContext,
    history: list[HistoryTurn],
    learner_text: str,
) -> MaccaJsonResponse:
    """Macca's structured reply without a language model: rules for the mistakes
    Indonesian learners make most, a reply that follows the topic, one question."""
    if not learner_text.strip():
        question = "Could you say that again?"
        guided = context.mode == "guided_lesson"
        next_prompt = (context.step_instruction or question) if guided else question
        return MaccaJsonResponse(
            reply=f"Sorry, I didn't catch anything that time. {question}",
            next_prompt=next_prompt,
            step_complete=False if guided else None,
        )
    if context.mode == "pronunciation_coach":
        return _pronunciation(profile, context, history, learner_text)
    return _conversation(profile, context, history, learner_text)
