"""Schemathesis reads /api/v1/openapi.json and sends generated requests to the app (WSGI): no 500s, and every
answer conforms to the document (its status, its media type and its body's schema)."""
import itertools
from datetime import date, timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from events_app.api import tokens
from events_app.extensions import db as _db
from tests.conftest import Auth

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 15  # per operation: the whole run stays well under a minute on two cores


@pytest.fixture()
def fuzzed(app, client, make_event, make_registration):
    """An event open today with a few delegates, an admin's write token, and the schema read from the app."""
    auth = Auth(client)
    auth.user("organiser")
    admin = auth.user("admin")
    event = make_event(starts_on=date.today(), ends_on=date.today() + timedelta(days=1), capacity=3)
    people = [make_registration(event) for _ in range(2)]
    _token, secret = tokens.issue(admin, scope="write")
    _db.session.commit()
    return {"schema": schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app), "slug": event.slug,
            "ids": [person.id for person in people], "secret": secret}


def test_api_conforms_to_its_document(fuzzed):
    operations = [result.ok() for result in fuzzed["schema"].get_all_operations()]
    assert len(operations) >= 11
    headers = {"Authorization": f"Bearer {fuzzed['secret']}"}
    turns = itertools.count()

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
        def conforms(case):
            # Most generated slugs name nothing; aim at the real event so the operations' own answers are reached.
            if "slug" in (case.path_parameters or {}):
                case.path_parameters["slug"] = fuzzed["slug"]
            if "registration_id" in (case.path_parameters or {}) and next(turns) % 2:
                case.path_parameters["registration_id"] = fuzzed["ids"][0]  # and every other time a real delegate
            case.call_and_validate(headers=headers, checks=CHECKS)

        conforms()


def test_the_document_is_openapi_3_1_with_examples(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    registration = document["components"]["schemas"]["RegistrationIn"]["properties"]
    assert registration["email"]["examples"] == ["somphone@example.org"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert {"401", "404", "500"} <= set(operation["responses"]), (method, path)
