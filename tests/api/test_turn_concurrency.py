"""Turns arriving at the same moment in one session all land, in order: positions
stay gapless and unique, and each reply sits right after the words it answers."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tutor.models import Mode, PracticeSession, Role, Turn
from tutor.services.turns import run_turn

LEARNERS_TURNS = 10

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent writers: PostgreSQL only (SQLite serializes them); "
        "set DATABASE_URL=postgres://…",
    ),
]


def test_simultaneous_turns_in_one_session_get_gapless_ordered_positions(alice):
    session = PracticeSession.objects.create(learner=alice, mode=Mode.LIVE_CONVERSATION)
    texts = [f"I go to the office number {i} yesterday" for i in range(LEARNERS_TURNS)]
    barrier = threading.Barrier(LEARNERS_TURNS)
    errors: list[BaseException] = []

    def speak(text: str) -> None:
        try:
            barrier.wait(timeout=30)
            run_turn(learner=alice, session=session, text=text)
        except BaseException as exc:  # reported below, with the others
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=speak, args=(text,)) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a turn never finished"
    assert errors == []

    turns = list(Turn.objects.filter(session=session).order_by("position"))
    assert [turn.position for turn in turns] == list(range(1, 2 * LEARNERS_TURNS + 1))
    learner_turns = [turn for turn in turns if turn.role == Role.LEARNER]
    tutor_turns = [turn for turn in turns if turn.role == Role.TUTOR]
    assert len(learner_turns) == len(tutor_turns) == LEARNERS_TURNS
    assert sorted(turn.text for turn in learner_turns) == sorted(texts)
    # Each learner turn is followed directly by Macca's reply to it.
    assert [turn.role for turn in turns] == [Role.LEARNER, Role.TUTOR] * LEARNERS_TURNS
    for learner_turn, tutor_turn in zip(turns[::2], turns[1::2], strict=True):
        assert tutor_turn.position == learner_turn.position + 1
        # …and it answers those words: the mock coach quotes the corrected sentence.
        number = learner_turn.text.split()[-2]
        assert f"office number {number} yesterday" in tutor_turn.text
