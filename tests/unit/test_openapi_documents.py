"""Each service's OpenAPI document, as it serves it, is one a client can rely on: valid OpenAPI
3.1 (openapi-spec-validator), every reference resolving, every failure a problem+json answer
of the Problem schema with Retry-After where it says to wait, every operation summarized,
tagged with a described tag and uniquely named, examples that the schemas and the models
themselves accept, and constraints that say what the validators enforce."""

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate
from pydantic import BaseModel, ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from accounts import field_codes as accounts_codes
from accounts.api import api as accounts_api
from accounts.passwords import MAX_LENGTH, MIN_LENGTH
from miniprograms import examples as miniprogram_examples
from miniprograms import field_codes as miniprograms_codes
from miniprograms.api import api as miniprograms_api
from miniprograms.domain import MiniProgramForm
from miniprograms.industries import industry
from notifier.api import api as notifier_api
from shared.field_errors import SHARED_CODES
from shared.http import PROBLEM_JSON
from shared.openapi import Api
from workspaces import field_codes as workspaces_codes
from workspaces.api import api as workspaces_api
from workspaces.domain import DraftForm
from workspaces.domain.form import PHONE_PATTERN

APIS: dict[str, Api] = {
    "accounts": accounts_api,
    "workspaces": workspaces_api,
    "miniprograms": miniprograms_api,
    "notifier": notifier_api,
}
DOCUMENTS = {service: api.openapi() for service, api in APIS.items()}
SERVICES = pytest.mark.parametrize("service", list(APIS))
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
# Email fields that take any text, each with its reason.
NOT_EMAILS = {
    # Logging in with an email no account has is invalid credentials, not a 422.
    ("Credentials", "email"),
    # A reset is answered the same whether an account has the email (or it is one at all).
    ("PasswordResetCreate", "email"),
}


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), f"{ref}: not a reference inside the document"
    node: Any = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict), f"{ref} does not resolve"
        assert part in node, f"{ref} does not resolve"
        node = node[part]
    return node


@SERVICES
def test_the_document_is_valid_openapi_3_1(service: str) -> None:
    validate(DOCUMENTS[service])


@SERVICES
def test_every_reference_resolves(service: str) -> None:
    document = DOCUMENTS[service]

    refs = set(_refs(document))

    assert refs, "a document without references is not the one generated from the models"
    for ref in refs:
        _resolve(document, ref)


@SERVICES
def test_every_failure_is_declared_as_problem_json_of_the_problem_schema(service: str) -> None:
    for name, operation in _operations(DOCUMENTS[service]):
        responses = operation["responses"]
        # No catch-all: every status the operation answers is declared on its own.
        assert "default" not in responses, name
        failures = {status: r for status, r in responses.items() if int(status) >= 400}
        assert {"422", "503"} <= set(failures), name
        for status, response in failures.items():
            assert response["description"], f"{name} {status}"
            assert response["content"] == {PROBLEM_JSON: {"schema": PROBLEM_REF}}, (name, status)


SERVICE_CODES = {
    "accounts": accounts_codes.FIELD_CODES,
    "workspaces": workspaces_codes.FIELD_CODES,
    "miniprograms": miniprograms_codes.FIELD_CODES,
    "notifier": (),
}


@SERVICES
def test_every_field_error_declares_its_code_from_the_services_catalogue(service: str) -> None:
    """A client translates `code` (with `params`): the document lists every code it may get,
    the shared ones and the service's own, each with what it means."""
    schemas = DOCUMENTS[service]["components"]["schemas"]
    assert schemas["Problem"]["properties"]["errors"]["items"] == {
        "$ref": "#/components/schemas/FieldError"
    }
    field_error = schemas["FieldError"]
    assert {"field", "code", "params", "message"} <= set(field_error["required"])
    code = field_error["properties"]["code"]
    expected = [c.code for c in [*SHARED_CODES, *SERVICE_CODES[service]]]
    assert code["enum"] == expected
    assert len(set(expected)) == len(expected), "a code declared twice"
    for declared in [*SHARED_CODES, *SERVICE_CODES[service]]:
        assert f"- `{declared.code}`: {declared.message}" in code["description"]
    assert field_error["properties"]["params"]["type"] == "object"


@SERVICES
def test_every_429_and_503_says_when_to_retry(service: str) -> None:
    for name, operation in _operations(DOCUMENTS[service]):
        for status in {"429", "503"} & set(operation["responses"]):
            header = operation["responses"][status]["headers"]["Retry-After"]
            assert header["schema"] == {"type": "integer"}, f"{name} {status}"


@SERVICES
def test_every_operation_has_a_summary_a_described_tag_and_a_unique_id(service: str) -> None:
    document = DOCUMENTS[service]
    described = {tag["name"] for tag in document["tags"] if tag.get("description")}

    ids = []
    for name, operation in _operations(document):
        assert operation["summary"].strip(), name
        assert operation["tags"], name
        assert set(operation["tags"]) <= described, f"{name}: {operation['tags']}"
        ids.append(operation["operationId"])

    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert document["info"]["description"].strip()


@SERVICES
def test_every_json_body_and_answer_shows_examples(service: str) -> None:
    document = DOCUMENTS[service]
    for name, operation in _operations(document):
        bodies = [operation.get("requestBody", {}).get("content", {}).get("application/json")]
        bodies += [r.get("content", {}).get("application/json") for r in _successes(operation)]
        for body in filter(None, bodies):
            schema = _resolve(document, body["schema"]["$ref"])
            assert schema.get("examples"), f"{name}: {body['schema']['$ref']} has no examples"


def _successes(operation: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for status, r in operation["responses"].items() if int(status) < 300]


def _shown_examples(node: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Each example in the document with the JSON pointer of the schema it is shown with (in
    OpenAPI 3.1 only a schema's `examples` is a list)."""
    if isinstance(node, dict):
        if isinstance(node.get("examples"), list):
            yield from ((pointer, example) for example in node["examples"])
        for key, value in node.items():
            if key != "examples":
                escaped = key.replace("~", "~0").replace("/", "~1")
                yield from _shown_examples(value, f"{pointer}/{escaped}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _shown_examples(item, f"{pointer}/{index}")


@SERVICES
def test_every_example_is_valid_for_the_schema_it_is_shown_with(service: str) -> None:
    document = DOCUMENTS[service]
    # The document's references are local (#/components/...): resolved within the document.
    registry: Registry[Any] = Registry().with_resource(
        "urn:document", Resource.from_contents(document, default_specification=DRAFT202012)
    )

    shown = list(_shown_examples(document))

    assert shown
    for pointer, example in shown:
        schema = {"$ref": f"urn:document#{quote(pointer, safe='/~')}"}
        validator = Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())
        errors = [error.message for error in validator.iter_errors(example)]
        assert not errors, f"{pointer}: {example!r}: {errors}"


def _models(api: Api) -> Iterator[type[BaseModel]]:
    for op in api.operations:
        if op.body and op.body_media == "application/json":
            yield op.body
        yield from (model for model in op.responses.values() if model)


@SERVICES
def test_every_example_of_a_model_is_accepted_by_the_model_itself(service: str) -> None:
    """The validators beyond the schema (a common password, a weighted length, the Terms)
    accept each example too: the examples are requests the service would take."""
    models = set(_models(APIS[service]))
    for model in models:
        for example in model.model_json_schema().get("examples", []):
            model.model_validate(example)


def test_the_mini_program_form_example_is_a_form_the_service_takes() -> None:
    form = miniprogram_examples.FORM

    MiniProgramForm.model_validate(form)
    assert industry(str(form["industry"])) is not None
    schema = DOCUMENTS["miniprograms"]["components"]["schemas"]["MiniProgramFormFields"]
    for name, value in form.items():
        if name != "target":  # its one value is its example
            assert schema["properties"][name]["examples"] == [value], name


def _schema(service: str, model: str) -> dict[str, Any]:
    schema: dict[str, Any] = DOCUMENTS[service]["components"]["schemas"][model]
    return schema


def test_the_schemas_state_the_constraints_the_validators_enforce() -> None:
    password = _schema("accounts", "AccountCreate")["properties"]["password"]
    assert (password["minLength"], password["maxLength"]) == (MIN_LENGTH, MAX_LENGTH)
    assert _schema("accounts", "AccountCreate")["properties"]["accept_terms"]["const"] is True
    for model in ("MemberCreate", "MemberUpdate", "InvitationCreate"):
        role = _schema("workspaces", model)["properties"]["role"]
        assert role["enum"] == ["master", "developer"], model
    form = _schema("miniprograms", "MiniProgramFormFields")["properties"]
    assert form["service_phone"]["pattern"] == "^[0-9]{4}-[0-9]{7}$"
    number = _schema("workspaces", "DraftUpdate")["properties"]["contact_number"]["anyOf"][0]
    assert (number["pattern"], number["maxLength"]) == (PHONE_PATTERN, 30)


@SERVICES
def test_every_email_field_says_it_is_an_email(service: str) -> None:
    for name, schema in DOCUMENTS[service]["components"]["schemas"].items():
        for field, prop in schema.get("properties", {}).items():
            if not field.endswith("email") or (name, field) in NOT_EMAILS:
                continue
            formats = {prop.get("format")} | {s.get("format") for s in prop.get("anyOf", [])}
            assert "email" in formats, f"{service} {name}.{field}: {prop}"


# Digits, the separators a phone number may have, the whitespace str.strip() trims (controls
# among it refused anyway) and a few characters no phone number has.
_PHONE_ALPHABET = "0123456789 +-()\u00a0\u3000\u2028\t\n\ufeff\uff10a"


@given(st.text(alphabet=_PHONE_ALPHABET, max_size=34))
def test_the_contact_number_pattern_takes_exactly_what_the_validator_takes(text: str) -> None:
    try:
        DraftForm.model_validate({"contact_number": text})
        accepted = True
    except ValidationError:
        accepted = False
    # As JSON Schema reads it (ECMA-262: `$` is the very end; Python's would allow a "\n").
    anchored = PHONE_PATTERN.removeprefix("^").removesuffix("$")

    assert (len(text) <= 30 and re.fullmatch(anchored, text) is not None) == accepted, text
