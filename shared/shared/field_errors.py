"""Field errors with stable codes: each error of a 422 names its field, a machine-readable
`code` a client translates (with `params`, e.g. the bounds of a length), and an English
`message` for whoever reads the raw answer.

A code is declared once, as a FieldCode, in the catalogue of the service that answers it (or
here, when two services answer it); the Api declares its catalogue, so the OpenAPI document
lists every code (an enum on FieldError.code) and an answer with an undeclared code fails the
tests. Pydantic's own error types are codes too (`missing`, `string_too_long`...); custom
validators raise `FieldCode.refusal(...)` (a PydanticCustomError) instead of a ValueError,
which pydantic would answer as the anonymous `value_error`."""

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, get_args

from pydantic import EmailStr, ValidationError, ValidatorFunctionWrapHandler
from pydantic import WrapValidator as _WrapValidator
from pydantic_core import PydanticCustomError
from pydantic_core.core_schema import ErrorType

type Param = str | int | float | bool


@dataclass
class FieldError:
    field: str
    message: str
    code: str
    params: Mapping[str, Param] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class FieldCode:
    """One kind of field error: its code and its English message, a template of its params
    (`{min}`) as str.format and pydantic read it."""

    code: str
    message: str

    def error(self, field_name: str, **params: Param) -> FieldError:
        return FieldError(field_name, self.message.format(**params), self.code, params)

    def refusal(self, **params: Param) -> PydanticCustomError:
        """What a pydantic validator raises: pydantic answers it with this code."""
        return PydanticCustomError(self.code, self.message, params)


# Pydantic's error types the models can answer, translated by clients like any other code
# (their params are pydantic's ctx); any other pydantic type answers INVALID.
MISSING = FieldCode("missing", "Field required")
PYDANTIC_CODES = (
    MISSING,
    FieldCode("string_type", "Input should be a valid string"),
    FieldCode("string_too_short", "String should have at least {min_length} characters"),
    FieldCode("string_too_long", "String should have at most {max_length} characters"),
    FieldCode("too_long", "Value should have at most {max_length} items, not {actual_length}"),
    FieldCode("string_pattern_mismatch", "String should match pattern '{pattern}'"),
    FieldCode("bool_type", "Input should be a valid boolean"),
    FieldCode("bool_parsing", "Input should be a valid boolean"),
    FieldCode("int_type", "Input should be a valid integer"),
    FieldCode("int_parsing", "Input should be a valid integer"),
    FieldCode("greater_than_equal", "Input should be greater than or equal to {ge}"),
    FieldCode("less_than_equal", "Input should be less than or equal to {le}"),
    FieldCode("literal_error", "Input should be {expected}"),
    FieldCode("enum", "Input should be {expected}"),
    FieldCode("url_parsing", "Input should be a valid URL, {error}"),
    FieldCode("url_scheme", "URL scheme should be {expected_schemes}"),
    FieldCode("url_too_long", "URL should have at most {max_length} characters"),
    FieldCode("datetime_from_date_parsing", "Input should be a valid datetime or date"),
    FieldCode("datetime_parsing", "Input should be a valid datetime"),
    FieldCode("uuid_parsing", "Input should be a valid UUID"),
    FieldCode("list_type", "Input should be a valid list"),
    FieldCode("model_type", "Input should be an object"),
    FieldCode("dict_type", "Input should be a valid dictionary"),
    FieldCode("extra_forbidden", "Extra inputs are not permitted"),
)
INVALID = FieldCode("invalid", "is invalid")
# The platform's own codes every service can answer (text, email, query and body rules).
CONTROL_CHARACTERS = FieldCode("control_characters", "must not contain control characters")
BLANK = FieldCode("blank", "must not be empty")
EMAIL_FORMAT = FieldCode("email_format", "is not a valid email address: {reason}")
NOT_A_QUERY_PARAMETER = FieldCode(
    "not_a_query_parameter", "is not a query parameter of this operation"
)
GIVEN_TWICE = FieldCode("given_twice", "must be given once")
NOT_AN_OBJECT = FieldCode("not_an_object", "must be a JSON object")
UNKNOWN_CURSOR = FieldCode("unknown_cursor", "is not a cursor this API returned")
# A logo (workspaces' application and miniprograms' mini programs take the same).
LOGO_EMPTY = FieldCode("logo_empty", "is empty")
LOGO_TOO_LARGE = FieldCode("logo_too_large", "must be at most {max_bytes} bytes, got {size}")
LOGO_TYPE = FieldCode("logo_type", "must be a JPEG or PNG image")
LOGO_UNREADABLE = FieldCode("logo_unreadable", "is not a readable JPEG or PNG image")
LOGO_NOT_SQUARE = FieldCode("logo_not_square", "must be square, got {width}x{height}")
LOGO_TOO_MANY_PIXELS = FieldCode("logo_too_many_pixels", "has too many pixels")
SHARED_CODES = (
    *PYDANTIC_CODES,
    INVALID,
    CONTROL_CHARACTERS,
    BLANK,
    EMAIL_FORMAT,
    NOT_A_QUERY_PARAMETER,
    GIVEN_TWICE,
    NOT_AN_OBJECT,
    UNKNOWN_CURSOR,
    LOGO_EMPTY,
    LOGO_TOO_LARGE,
    LOGO_TYPE,
    LOGO_UNREADABLE,
    LOGO_NOT_SQUARE,
    LOGO_TOO_MANY_PIXELS,
)
_PYDANTIC_TYPES = frozenset(get_args(ErrorType))
_TRANSLATED = frozenset(c.code for c in PYDANTIC_CODES)


def errors_from_pydantic(error: ValidationError) -> list[FieldError]:
    found = []
    for item in error.errors(include_url=False):
        name = ".".join(str(part) for part in item["loc"]) or "body"
        message = item["msg"].removeprefix("Value error, ")
        code = item["type"]
        if code in _PYDANTIC_TYPES and code not in _TRANSLATED:
            found.append(FieldError(name, message, INVALID.code))  # the message says it
        else:
            found.append(FieldError(name, message, code, _params(item.get("ctx", {}))))
    return found


def _params(context: Mapping[str, Any]) -> dict[str, Param]:
    # Pydantic's ctx may hold the exception itself; only plain values are params.
    return {k: v for k, v in context.items() if isinstance(v, str | int | float | bool)}


def _email(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    try:
        return handler(value)
    except ValidationError as exc:
        item = exc.errors(include_url=False)[0]
        if item["type"] != "value_error":  # not a string, too long...: pydantic's own code
            raise
        reason = str(item.get("ctx", {}).get("reason", ""))
        raise EMAIL_FORMAT.refusal(reason=reason) from exc


# An email address as EmailStr takes it, refused with the code `email_format`.
Email = Annotated[EmailStr, _WrapValidator(_email)]


def problem_schemas(codes: Sequence[FieldCode]) -> dict[str, Any]:
    """The OpenAPI schemas of every problem answer's body and of its field errors, with the
    codes they may have."""
    meanings = "\n".join(f"- `{c.code}`: {c.message}" for c in codes)
    return {
        "Problem": {
            "type": "object",
            "required": ["type", "title", "status"],
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
                "request_id": {"type": "string"},
                "errors": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}},
            },
        },
        "FieldError": {
            "type": "object",
            "description": "One bad field: translate `code` with `params`; `message` is "
            "English, for people reading the raw answer",
            "required": ["field", "code", "message", "params"],
            "properties": {
                "field": {"type": "string", "description": "Dotted path (`body` for the body)"},
                "code": {
                    "type": "string",
                    "enum": [c.code for c in codes],
                    "description": "What is wrong, stable (the message's {params}):\n" + meanings,
                },
                "params": {
                    "type": "object",
                    "description": "Values the code's text names (e.g. `min`, `max`)",
                    "additionalProperties": {"type": ["string", "integer", "number", "boolean"]},
                },
                "message": {"type": "string", "description": "The same in English"},
            },
        },
    }
