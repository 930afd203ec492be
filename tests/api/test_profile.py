"""GET and PATCH /api/user/profile: the learner's own profile and most common mistakes."""

from __future__ import annotations

import pytest

from tutor.models import FeedbackIssue, FeedbackKind, Mode, PracticeSession, Role, Turn, User
from tutor.services.activity import record_turns

pytestmark = pytest.mark.django_db

PROFILE = "/api/user/profile"
PROFILE_KEYS = {
    "id",
    "name",
    "email",
    "level",
    "goal",
    "explanation_language",
    "time_zone",
    "common_issues",
}


def add_issues(learner: User, code: str, times: int, kind: str = FeedbackKind.GRAMMAR) -> None:
    session = PracticeSession.objects.create(learner=learner, mode=Mode.LIVE_CONVERSATION)
    for n in range(1, times + 1):
        turn = Turn.objects.create(session=session, position=n, role=Role.LEARNER, text="I go.")
        issue = FeedbackIssue.objects.create(
            learner=learner, session=session, turn=turn, kind=kind, code=code
        )
        record_turns(session=session, turns=[turn], issues=[issue])  # as a turn counts them


def test_it_returns_the_learner_s_own_profile(alice_api, alice, bob):
    response = alice_api.get(PROFILE)

    assert response.status_code == 200
    assert response.json() == {
        "id": str(alice.pk),
        "name": "Alice",
        "email": "alice@example.com",
        "level": "B1",
        "goal": "daily_conversation",
        "explanation_language": "id",
        "time_zone": "Asia/Jakarta",
        "common_issues": [],
    }


def test_common_issues_are_the_learner_s_mistakes_most_frequent_first(alice_api, alice, bob):
    add_issues(alice, "article", 1)
    add_issues(alice, "past_tense", 3)
    add_issues(alice, "sound_th", 2, kind=FeedbackKind.PRONUNCIATION)
    add_issues(alice, "vocabulary", 5, kind=FeedbackKind.VOCABULARY)  # words taught, not mistakes
    add_issues(bob, "plural", 9)

    response = alice_api.get(PROFILE)

    assert response.json()["common_issues"] == ["past_tense", "sound_th", "article"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Alicia Keys"),
        ("level", "C1"),
        ("goal", "job_interview"),
        ("explanation_language", "en"),
        ("time_zone", "Europe/London"),
    ],
)
def test_patch_saves_each_editable_field(alice_api, alice, field, value):
    response = alice_api.patch(PROFILE, {field: value}, format="json")

    assert response.status_code == 200
    assert set(response.json()) == PROFILE_KEYS
    assert response.json()[field] == value
    alice.refresh_from_db()
    assert getattr(alice, field) == value


def test_patch_changes_only_the_fields_sent(alice_api, alice):
    alice_api.patch(PROFILE, {"level": "A2"}, format="json")

    alice.refresh_from_db()
    assert (alice.level, alice.goal, alice.name) == ("A2", "daily_conversation", "Alice")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("level", "Z9"),
        ("goal", "sleeping"),
        ("explanation_language", "fr"),
        ("time_zone", "Mars/Base"),
    ],
)
def test_patch_rejects_a_value_outside_its_enum_naming_the_field(alice_api, alice, field, value):
    before = getattr(alice, field)

    response = alice_api.patch(PROFILE, {field: value}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {field}
    assert value in response.json()[field][0]
    alice.refresh_from_db()
    assert getattr(alice, field) == before


def test_a_bad_value_saves_nothing_of_the_same_request(alice_api, alice):
    response = alice_api.patch(PROFILE, {"name": "Alicia", "level": "Z9"}, format="json")

    assert response.status_code == 400
    alice.refresh_from_db()
    assert alice.name == "Alice"


def test_the_email_cannot_be_changed_through_the_profile(alice_api, alice):
    response = alice_api.patch(PROFILE, {"email": "mallory@example.com"}, format="json")

    assert response.status_code == 200
    assert response.json()["email"] == "alice@example.com"
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"


def test_patch_changes_only_the_learner_s_own_profile(bob_api, alice, bob):
    response = bob_api.patch(PROFILE, {"level": "C2"}, format="json")

    assert response.json()["id"] == str(bob.pk)
    alice.refresh_from_db()
    assert alice.level == "B1"


@pytest.mark.parametrize("method", ["get", "patch"])
def test_anonymous_is_401(anon, method):
    response = getattr(anon, method)(PROFILE, {"level": "A1"}, format="json")

    assert response.status_code == 401
    assert "detail" in response.json()
