"""A new developer registers a delegate and checks them in with nothing but a token and the OpenAPI document.

The test knows no URL of the API besides the document's: it finds operations by their operationId,
fills the path from the template and the body from the examples the document gives.
"""
from datetime import timedelta

from tests.api.conftest import bearer
from tests.conftest import events_today


def _operation(document: dict, operation_id: str) -> tuple[str, str, dict]:
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if operation["operationId"] == operation_id:
                return method, path, operation
    raise AssertionError(f"the document has no {operation_id}")


def _schema(document: dict, operation: dict) -> dict:
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return document["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def _example_body(document: dict, operation: dict) -> dict:
    """The request body's example from the document, holding at least every required field."""
    schema = _schema(document, operation)
    example = schema["examples"][0]
    assert set(schema["required"]) <= set(example)
    return example


def test_register_and_check_in_from_the_document_alone(client, team, make_event, make_token):
    event = make_event(starts_on=events_today(), ends_on=events_today() + timedelta(days=1))
    headers = bearer(make_token(team["organiser"], "write"))
    document = client.get("/api/v1/openapi.json").json

    method, path, operation = _operation(document, "listEvents")
    events = client.open(path, method=method.upper(), headers=headers).json["items"]
    slug = events[0]["slug"]
    assert slug == event.slug

    method, path, operation = _operation(document, "createRegistration")
    body = _example_body(document, operation)
    created = client.open(path.format(slug=slug), method=method.upper(), json=body, headers=headers)
    assert created.status_code == 201, created.json
    assert created.json["status"] == "approved" and created.json["email"] == body["email"]

    method, path, operation = _operation(document, "createCheckIn")
    assert "checkin_code" in _schema(document, operation)["properties"]["badge_code"]["description"]
    checked = client.open(path.format(slug=slug), method=method.upper(),
                          json={"badge_code": created.json["checkin_code"]}, headers=headers)
    assert checked.status_code == 201 and checked.json["result"] == "checked_in"

    method, path, operation = _operation(document, "listCheckIns")
    listed = client.open(path.format(slug=slug), method=method.upper(), headers=headers).json
    assert [row["registration_id"] for row in listed["items"]] == [created.json["id"]]
