"""The OpenAPI document: valid, and describing every endpoint of the contract (API.md)."""

from __future__ import annotations

import json

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db

# Path → the methods API.md gives it.
CONTRACT = {
    "/api/": {"get"},
    "/api/health/live": {"get"},
    "/api/health/ready": {"get"},
    "/api/auth/signup": {"post"},
    "/api/auth/login": {"post"},
    "/api/auth/logout": {"post"},
    "/api/user": {"delete"},
    "/api/user/export": {"get"},
    "/api/user/profile": {"get", "patch"},
    "/api/user/progress": {"get"},
    "/api/user/vocabulary": {"get", "post"},
    "/api/user/vocabulary/{item_id}": {"delete"},
    "/api/session/start": {"post"},
    "/api/session/turn": {"post"},
    "/api/session/turn/audio": {"post"},
    "/api/session/{session_id}/end": {"post"},
    "/api/sessions": {"get"},
    "/api/sessions/{session_id}": {"get"},
    "/api/lessons": {"get"},
    "/api/lessons/{lesson_id}": {"get"},
}
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def schema(anon) -> dict:
    response = anon.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def ref_of(prop: dict) -> str | None:
    """The component a property points at, directly or through allOf."""
    if "$ref" in prop:
        return prop["$ref"]
    refs = [part["$ref"] for part in prop.get("allOf", []) if "$ref" in part]
    return refs[0] if len(refs) == 1 else None


def test_the_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    document = yaml.safe_load(target.read_text())
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] == "Macca API"


def test_the_schema_is_served_as_json_to_anyone(schema):
    assert schema["openapi"] == "3.1.0"
    assert schema["info"]["title"] == "Macca API"


@pytest.mark.parametrize("path", sorted(CONTRACT))
def test_it_describes_every_endpoint_of_the_contract(schema, path):
    assert path in schema["paths"]
    assert set(schema["paths"][path]) & HTTP_METHODS == CONTRACT[path]


def test_turn_responses_carry_the_full_macca_json_response(schema):
    components = schema["components"]["schemas"]

    turn = components["TurnResponse"]
    assert "macca" in turn["required"]
    assert ref_of(turn["properties"]["macca"]) == "#/components/schemas/MaccaJsonResponse"
    macca = components["MaccaJsonResponse"]
    assert {"version", "reply", "feedback", "drills", "next_prompt", "step_complete"} <= set(
        macca["properties"]
    )
    turn_operation = schema["paths"]["/api/session/turn"]["post"]
    ok = turn_operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/TurnResponse"}


def test_it_declares_bearer_token_auth(schema):
    schemes = schema["components"]["securitySchemes"]

    bearer = [
        name
        for name, scheme in schemes.items()
        if scheme.get("type") == "http" and scheme.get("scheme") == "bearer"
    ]
    assert bearer
    profile = schema["paths"]["/api/user/profile"]["get"]
    assert {bearer[0]: []} in profile["security"]
    assert {} not in profile["security"]  # anonymous is not allowed


def test_the_export_is_documented_as_a_zip(schema):
    ok = schema["paths"]["/api/user/export"]["get"]["responses"]["200"]
    assert list(ok["content"]) == ["application/zip"]


def test_it_documents_lessons_as_readable_without_auth(schema):
    assert {} in schema["paths"]["/api/lessons"]["get"]["security"]
