"""The offline coach's grammar checks (providers.grammar): each check on sentences of
its own, the sentences it must leave alone, and the corpus in tests/grammar_corpus.py
(learner sentences with their corrections, and correct sentences that must raise
nothing). The corpus's catch rate is reported at the end of the run; any false alarm
fails the build."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from providers import grammar, grammar_data
from providers.coach import coach_reply
from providers.grammar import check_grammar
from providers.schemas import LearnerProfile, PracticeContext
from tests.grammar_corpus import RIGHT, WRONG

# What the corpus tests measured, printed at the end of the run (tests/providers/conftest.py).
CATCH_RATES: dict[str, tuple[int, int]] = {}  # split -> (caught, total)
FALSE_ALARMS: list[str] = []
CORRECT_CHECKED: list[str] = []


def fixes(text: str) -> tuple[str | None, list[str]]:
    checked = check_grammar(text)
    return checked.better, [point.issue for point in checked.points]


# --- Each check, on sentences of its own -----------------------------------------------

CASES = {
    "past_tense": [
        ("Yesterday I go to the market.", "Yesterday I went to the market."),
        ("Last week my sister buy a new phone.", "Last week my sister bought a new phone."),
        ("Two years ago we live in Medan.", "Two years ago we lived in Medan."),
        ("In 2019 I am a student.", "In 2019 I was a student."),
    ],
    "base_form": [
        ("I didn't went to school.", "I didn't go to school."),
        ("She can swims very well.", "She can swim very well."),
        ("Did you saw the match?", "Did you see the match?"),
        ("I want to bought a bag.", "I want to buy a bag."),
    ],
    "third_person_s": [
        ("My brother work in Jakarta.", "My brother works in Jakarta."),
        ("She always cook dinner.", "She always cooks dinner."),
        ("He don't like coffee.", "He doesn't like coffee."),
        ("Budi study English every day.", "Budi studies English every day."),
    ],
    "subject_verb_agreement": [
        ("They goes to church on Sunday.", "They go to church on Sunday."),
        ("We lives near the beach.", "We live near the beach."),
        ("Everybody are happy.", "Everybody is happy."),
        ("There is many people here.", "There are many people here."),
        ("Does your parents live here?", "Do your parents live here?"),
    ],
    "missing_be": [
        ("My city very crowded.", "My city is very crowded."),
        ("I very happy today.", "I am very happy today."),
        ("I interested in music.", "I am interested in music."),
        ("Yesterday we hungry.", "Yesterday we were hungry."),
    ],
    "be_before_verb": [
        ("My sister is work in a hotel.", "My sister works in a hotel."),
        ("I am live in Bandung.", "I live in Bandung."),
        ("I am cook dinner now.", "I am cooking dinner now."),
    ],
    "missing_subject": [
        ("She likes the sea because is fun.", "She likes the sea because it is fun."),
        ("Is very hot today.", "It is very hot today."),
        (
            "I love my mother because always helps me.",
            "I love my mother because she always helps me.",
        ),
    ],
    "verb_pattern": [
        ("I like eat noodles.", "I like to eat noodles."),
        ("I enjoy swim in the sea.", "I enjoy swimming in the sea."),
        ("I want go home.", "I want to go home."),
        ("My hobby is read books.", "My hobby is reading books."),
    ],
    "plural_noun": [
        ("I bought many fruit and many vegetable.", "I bought many fruits and many vegetables."),
        ("I have three child.", "I have three children."),
        ("There are several country in Asia.", "There are several countries in Asia."),
    ],
    "article": [
        ("My father is teacher.", "My father is a teacher."),
        ("She is very kind person.", "She is a very kind person."),
        ("I am engineer.", "I am an engineer."),
        ("I work as driver.", "I work as a driver."),
        ("She is florist.", "She is a florist."),  # a job by its ending, not from the list
        ("I am teacher and my wife is dentist.", "I am a teacher and my wife is a dentist."),
    ],
    "age_with_have": [
        ("I have 20 years old.", "I am 20 years old."),
        ("My sister has 15 years old.", "My sister is 15 years old."),
    ],
    "very_like": [
        ("I very like football.", "I really like football."),
        ("I very enjoy cooking.", "I really enjoy cooking."),
    ],
    "lend_borrow": [
        ("Can you borrow me your pen?", "Can you lend me your pen?"),
        ("He borrowed me his car.", "He lent me his car."),
    ],
    "ed_ing_adjective": [
        ("The movie was very bored.", "The movie was very boring."),
        ("I am boring in class.", "I am bored in class."),
    ],
    "how_many": [
        ("How much brothers do you have?", "How many brothers do you have?"),
        ("How many money do you need?", "How much money do you need?"),
    ],
    "married_to": [("She is married with a doctor.", "She is married to a doctor.")],
    "agree": [
        ("I am agree with you.", "I agree with you."),
        ("I am not agree.", "I don't agree."),
    ],
    "double_comparative": [
        ("This phone is more better.", "This phone is better."),
        ("Bali is more cheaper than Japan.", "Bali is cheaper than Japan."),
    ],
    "preposition_time": [
        ("I was born at 1998.", "I was born in 1998."),
        ("I study on the morning.", "I study in the morning."),
        ("See you in Monday.", "See you on Monday."),
    ],
}


@pytest.mark.parametrize(
    ("issue", "text", "better"),
    [(issue, text, better) for issue, cases in CASES.items() for text, better in cases],
)
def test_each_check_corrects_its_mistake(issue, text, better):
    found, issues = fixes(text)
    assert found == better
    assert set(issues) == {issue}


def test_every_check_has_its_tests_an_explanation_in_both_languages_and_an_example():
    names = {check.__name__ for check in grammar.CHECKS}
    assert names == set(CASES) == set(grammar_data.EXPLANATIONS) == set(grammar_data.STOCK_EXAMPLES)
    for issue in CASES:
        for language in ("id", "en"):
            text, better = CASES[issue][0]
            point = check_grammar(text, language).points[0]
            assert point.explanation_language == language
            assert point.original_text in text
            assert point.examples[0] == grammar.as_example(better)
            assert "{" not in point.explanation, point.explanation


@pytest.mark.parametrize(
    "text",
    [
        # Each check's near misses: right as they are.
        "Yesterday I found out that Budi works in a hospital.",
        "I moved to Bandung in 2015 and I still live there.",
        "Last year I met a man who lives in Bali.",
        "I have lived here since 2019.",
        "She didn't go to school.",
        "I look forward to seeing you.",
        "I saw him leave.",
        "My mother made me clean my room.",
        "My family live in Bandung.",
        "The people I met were kind.",
        "What they said was true.",
        "Each of them has a car.",
        "My friends and I go to school by bus.",
        "I worried about my exam.",
        "He is boring.",
        "I am working in a hotel.",
        "This is work.",
        "It is nice but is expensive.",
        "I like fish.",
        "I want help with my homework.",
        "I eat a lot of rice.",
        "He has a lot of experience in teaching.",
        "She has a 5 year old son.",
        "Ten thousand rupiah is enough.",
        "My name is Budi.",
        "It is lunch time.",
        "I borrowed them from the library.",
        "My sister is married with two children.",
        "There is a lot of traffic.",
        "On the morning of my birthday I woke up early.",
        "How much is it?",
        "It is more expensive.",
        "Our youngest son turned six last week.",
        "She is president of the club.",
        "He is very tall.",
        "She is a member of the team.",
        "Will he agree?",
        "will he agree",
        "Can she come with us?",
    ],
)
def test_near_misses_are_left_alone(text):
    assert fixes(text) == (None, [])


def test_every_mistake_in_a_sentence_is_corrected_at_once():
    better, issues = fixes("She like swim in the sea because is fun.")
    assert better == "She likes to swim in the sea because it is fun."
    assert sorted(issues) == ["missing_subject", "third_person_s", "verb_pattern"]


def test_sentences_are_corrected_each_on_its_own_and_the_rest_kept():
    text = "They goes to church on Sunday.  We lives near it!"
    assert fixes(text) == (
        "They go to church on Sunday.  We live near it!",
        ["subject_verb_agreement", "subject_verb_agreement"],
    )


def test_a_shouted_sentence_is_corrected_in_capitals():
    assert fixes("YESTERDAY I GO TO THE OFFICE.") == (
        "YESTERDAY I WENT TO THE OFFICE.",
        ["past_tense"],
    )


def test_without_the_parser_nothing_is_judged(monkeypatch):
    monkeypatch.setattr(grammar, "_parse", lambda sentences: None)
    checked = check_grammar("Yesterday I go to the market.")
    assert (checked.better, checked.points, checked.checked) == (None, [], False)
    reply = coach_reply(LearnerProfile(), PracticeContext(), [], "Yesterday I go to the market.")
    assert "mistake" not in reply.reply and "correct" not in reply.reply
    assert reply.drills == []


def test_a_sentence_without_a_verb_is_not_judged():
    assert check_grammar("Tea, thanks.").checked is False
    assert check_grammar("Please come here.").checked is True


# --- The corpus --------------------------------------------------------------------------


@pytest.mark.parametrize("case", RIGHT, ids=[case.text for case in RIGHT])
def test_correct_sentences_raise_nothing(case):
    """A false alarm on a correct sentence is worse than a missed mistake."""
    found = fixes(case.text)
    CORRECT_CHECKED.append(case.text)
    if found != (None, []):
        FALSE_ALARMS.append(case.text)
    assert found == (None, [])


@pytest.mark.parametrize("split", ["dev", "held_out"])
def test_the_corpus_mistakes_are_caught_and_their_corrections_are_clean(split):
    cases = [case for case in WRONG if case.split == split]
    caught, drilled_errors = 0, []
    for case in cases:
        better, _ = fixes(case.text)
        if better in case.better:
            caught += 1
        if better is not None and fixes(better) != (None, []):
            drilled_errors.append((case.text, better, fixes(better)))
    CATCH_RATES[split] = (caught, len(cases))
    assert drilled_errors == [], "a better sentence still has a mistake in it"
    # Regression floors, below the rates measured when these checks were written
    # (bench/RESULTS.md): dev 0.99, held out 0.91.
    assert caught / len(cases) >= {"dev": 0.95, "held_out": 0.8}[split]


def summary_lines() -> list[str]:
    """The corpus's figures from this run, for the end of the test report."""
    lines = []
    for split, (caught, total) in sorted(CATCH_RATES.items()):
        lines.append(f"grammar corpus, {split}: {caught}/{total} caught ({caught / total:.0%})")
    if CORRECT_CHECKED:
        lines.append(
            f"grammar corpus: {len(FALSE_ALARMS)} false alarms on "
            f"{len(CORRECT_CHECKED)} correct sentences"
        )
    return lines


# --- What the coach says about it -----------------------------------------------------------

PRAISE = ("no mistakes", "that's correct", "spot on")


def reply(text: str, context: PracticeContext | None = None):
    profile = LearnerProfile(name="Siti", explanation_language="en")
    return coach_reply(profile, context or PracticeContext(), [], text)


def test_the_reply_never_praises_a_corrected_sentence_nor_drills_an_error():
    for case in WRONG:
        response = reply(case.text)
        if not response.feedback.grammar:
            continue
        assert not any(praise in response.reply for praise in PRAISE), (case.text, response.reply)
        [drill] = response.drills
        assert drill.sentence == response.feedback.better_sentence
        assert fixes(drill.sentence) == (None, []), (case.text, drill.sentence)


def test_praise_only_for_what_was_checked():
    assert any(praise in reply("I went to Bali last year.").reply for praise in PRAISE)
    unjudged = reply("Tea, thanks.")
    assert not any(praise in unjudged.reply for praise in PRAISE)
    assert unjudged.reply.startswith(("Thanks", "I see", "Okay"))


def ordering_step(**overrides) -> PracticeContext:
    values = {
        "mode": "guided_lesson",
        "lesson_title": "At a cafe: ordering food and drinks",
        "step_number": 2,
        "total_steps": 4,
        "step_title": "Order",
        "step_instruction": "Order a drink and something to eat.",
    }
    return PracticeContext(**(values | overrides))


def test_an_off_topic_answer_does_not_complete_a_lesson_step():
    response = reply("My brother plays football with his friends every Sunday.", ordering_step())
    assert response.step_complete is False
    assert "not quite what this step asks" in response.reply


def test_an_answer_about_the_step_completes_it_in_its_own_words():
    response = reply("I would like a hot chocolate and a slice of cake.", ordering_step())
    assert response.step_complete is True
    assert "step 2 of 4" in response.reply


def lesson_steps() -> list[tuple[dict, int, dict]]:
    import json
    from pathlib import Path

    fixture = Path(__file__).resolve().parents[2] / "tutor" / "fixtures" / "lessons.json"
    lessons = json.loads(fixture.read_text())["lessons"]
    return [(lesson, n, step) for lesson in lessons for n, step in enumerate(lesson["steps"], 1)]


@pytest.mark.parametrize(
    ("lesson", "number", "step"),
    lesson_steps(),
    ids=[f"{lesson['slug']}-{n}" for lesson, n, _ in lesson_steps()],
)
def test_each_demo_lessons_example_answer_is_correct_and_completes_its_step(lesson, number, step):
    """The example answers the lessons show are written by hand, in correct English:
    the checks must find nothing in them, and each must complete its own step."""
    context = PracticeContext(
        mode="guided_lesson",
        lesson_title=lesson["title"],
        lesson_objective=lesson["objective"],
        step_number=number,
        total_steps=len(lesson["steps"]),
        step_title=step["title"],
        step_instruction=step["instruction"],
        step_example_answer=step["example_answer"],
        target_phrases=step.get("target_phrases", []),
    )
    response = reply(step["example_answer"], context)
    assert response.feedback.grammar == [], response.feedback.better_sentence
    assert response.step_complete is True


WORDS = sorted(
    grammar_data.words(
        "I you he she it we they is am are was were do does did don't can will to go goes "
        "went very like many two the a an my because and but yesterday last week ago in on at "
        "how much more better have has had years old borrow lend married with agree bored "
        "boring there hobby read swim eat Budi , . ? ! ' -"
    )
)


@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(" ".join))
# Derandomized: the same 300 salads on every run, so CI never fails on a new one by
# chance; raise max_examples locally to explore more of them.
@settings(max_examples=300, deadline=None, derandomize=True)
def test_any_word_salad_is_answered_and_its_corrections_are_whole(text):
    checked = check_grammar(text)
    if checked.points:
        assert checked.better and checked.better != text.strip()
        assert all(point.explanation and "{" not in point.explanation for point in checked.points)
    else:
        assert checked.better is None


def test_a_check_that_breaks_costs_nothing_but_its_own_finding(monkeypatch, caplog):
    def broken(sentence):
        raise ValueError("a bug in one rule")

    monkeypatch.setattr(grammar, "CHECKS", (broken, *grammar.CHECKS))
    assert fixes("Yesterday I go to the market.") == (
        "Yesterday I went to the market.",
        ["past_tense"],
    )
    assert "grammar check broken failed" in caplog.text
