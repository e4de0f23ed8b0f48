"""/api/openapi.json for client developers: every operation shows examples of its JSON bodies and parameters,
each example is valid against its own schema, and every tag says what it groups."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest


@pytest.fixture(scope="module")
def document(django_db_blocker) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(document: dict[str, Any]):  # type: ignore[no-untyped-def]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation


def _examples(operation: dict[str, Any]):  # type: ignore[no-untyped-def]
    """(where, media type object) for every JSON body of the operation."""
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if body is not None:
        yield "request", body
    for status, answer in operation["responses"].items():
        media = answer.get("content", {}).get("application/json")
        if media is not None:
            yield f"response {status}", media


def _valid(document: dict[str, Any], schema: dict[str, Any], example: Any) -> list[str]:
    # Local $refs (#/components/schemas/...) resolve against the root, so the components ride along.
    validator = jsonschema.Draft202012Validator({**schema, "components": document["components"]})
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(example)]


def test_every_operation_has_examples_of_its_bodies_and_parameters(document: dict[str, Any]) -> None:
    missing = []
    count = 0
    for name, operation in _operations(document):
        count += 1
        successes = [s for s in operation["responses"] if str(s).startswith("2")]
        shown = [where for where, media in _examples(operation) if "example" in media]
        if not shown:
            missing.append(f"{name}: no example")
        for where, media in _examples(operation):
            if "example" not in media:
                missing.append(f"{name}: {where} has no example")
        for status in successes:
            if not operation["responses"][status].get("content") and status != "204":
                missing.append(f"{name}: {status} has no body to show")
        for parameter in operation.get("parameters", []):
            if "example" not in parameter:
                missing.append(f"{name}: parameter {parameter['name']} has no example")
    assert count >= 50
    assert missing == []


def test_every_example_is_valid_against_its_schema(document: dict[str, Any]) -> None:
    wrong = []
    for name, operation in _operations(document):
        for where, media in _examples(operation):
            for problem in _valid(document, media["schema"], media["example"]):
                wrong.append(f"{name} {where}: {problem}")
        for parameter in operation.get("parameters", []):
            for problem in _valid(document, parameter["schema"], parameter["example"]):
                wrong.append(f"{name} parameter {parameter['name']}: {problem}")
    assert wrong == []


def test_an_example_that_breaks_its_schema_is_caught(document: dict[str, Any]) -> None:
    # The check above is not vacuous: a check answer without `found` fails it.
    schema = {"$ref": "#/components/schemas/CheckOut"}
    assert _valid(document, schema, {"message": "x", "pending_token": None, "pending_expires_at": None})


def test_every_tag_is_described(document: dict[str, Any]) -> None:
    described = {tag["name"]: tag.get("description", "") for tag in document.get("tags", [])}
    used = {tag for _, operation in _operations(document) for tag in operation.get("tags", [])}
    assert used, "operations carry tags"
    assert {tag for tag in used if not described.get(tag, "").strip()} == set()
