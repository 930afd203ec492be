"""GET /api/sessions and GET /api/pronunciation/attempts: `{count, next, previous,
results}` pages, newest first, `?page_size=` from 1 to 100, the same queries
however long the history."""

from __future__ import annotations

import pytest

from tests.api.test_pronunciation_api import make_attempts, path_of
from tests.api.test_query_counts import add_sessions

pytestmark = pytest.mark.django_db

SESSIONS = "/api/sessions"
ATTEMPTS = "/api/pronunciation/attempts"


def test_sessions_come_newest_first_in_pages_of_the_size_asked(alice_api, alice, lesson):
    sessions = add_sessions(alice, lesson, 7)  # the first one is the newest

    first = alice_api.get(SESSIONS, {"page_size": 3}).json()
    second = alice_api.get(path_of(first["next"])).json()
    third = alice_api.get(path_of(second["next"])).json()

    assert first["count"] == 7
    assert "page_size=3" in first["next"]
    listed = [s["session_id"] for page in (first, second, third) for s in page["results"]]
    assert listed == [str(s.pk) for s in sessions]
    assert [len(page["results"]) for page in (first, second, third)] == [3, 3, 1]
    assert third["next"] is None


def test_attempts_come_newest_first_in_pages_of_the_size_asked(alice_api, alice):
    attempts = make_attempts(alice, 5)  # the last one is the newest

    first = alice_api.get(ATTEMPTS, {"page_size": 2}).json()
    second = alice_api.get(path_of(first["next"])).json()

    assert [a["id"] for a in first["results"] + second["results"]] == [
        str(a.pk) for a in reversed(attempts)
    ][:4]


@pytest.mark.parametrize("path", [SESSIONS, ATTEMPTS])
def test_a_page_holds_at_most_100(alice_api, alice, lesson, path):
    add_sessions(alice, lesson, 101)
    make_attempts(alice, 101)

    body = alice_api.get(path, {"page_size": 100}).json()

    assert body["count"] == 101
    assert len(body["results"]) == 100


@pytest.mark.parametrize("path", [SESSIONS, ATTEMPTS])
@pytest.mark.parametrize("page_size", ["101", "0", "-3", "many", ""])
def test_a_bad_page_size_is_a_400_naming_it(alice_api, path, page_size):
    response = alice_api.get(path, {"page_size": page_size})

    assert response.status_code == 400
    assert list(response.json()) == ["page_size"]


@pytest.mark.parametrize("path", [SESSIONS, ATTEMPTS])
def test_the_default_page_is_20(alice_api, alice, lesson, path):
    add_sessions(alice, lesson, 21)
    make_attempts(alice, 21)

    body = alice_api.get(path).json()

    assert len(body["results"]) == 20
    assert body["next"] is not None


def test_a_page_of_100_costs_the_same_queries_as_a_page_of_3(
    alice_api, alice, bob_api, bob, lesson, django_assert_max_num_queries
):
    add_sessions(alice, lesson, 3)
    make_attempts(alice, 3)
    add_sessions(bob, lesson, 150)
    make_attempts(bob, 150)
    alice_api.get(SESSIONS), bob_api.get(SESSIONS)  # warm: knox's first-use bookkeeping

    for path in (SESSIONS, ATTEMPTS):
        with django_assert_max_num_queries(5) as few:
            assert len(alice_api.get(path).json()["results"]) == 3
        with django_assert_max_num_queries(len(few)):
            assert len(bob_api.get(path, {"page_size": 100}).json()["results"]) == 100
