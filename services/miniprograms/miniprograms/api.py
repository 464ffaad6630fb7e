"""HTTP handlers of the miniprograms service and their request/response models."""

from dataclasses import asdict
from datetime import datetime
from typing import Literal

from aiohttp import web
from aiohttp.web_request import FileField
from pydantic import BaseModel, Field, ValidationError

from miniprograms import access_api, examples
from miniprograms.access import DeveloperNotFoundError, NotAllowedToSeeGrantsError
from miniprograms.domain import (
    MINI_PROGRAM_LIMIT,
    SERVICE_PHONE_PATTERN,
    ForbiddenError,
    LimitReachedError,
    MiniProgram,
    MiniProgramForm,
    MiniProgramNotFoundError,
    NameTakenError,
    NotAllowedToCreateError,
    NotAMemberError,
    NotFoundError,
)
from miniprograms.field_codes import FIELD_CODES, NAME_TAKEN, UNKNOWN_INDUSTRY
from miniprograms.industries import industry, search_industries
from miniprograms.service import MiniProgramsService
from shared.auth import authenticate
from shared.field_errors import MISSING, FieldError, errors_from_pydantic
from shared.http import (
    ProblemError,
    ProblemMap,
    json_response,
    read_query,
    validation_problem,
)
from shared.images import Logo, LogoError, logo_response, validate_logo
from shared.openapi import Api, with_examples

# How each domain error answers (handlers let them propagate; the problem middleware maps them).
PROBLEMS: ProblemMap = {
    NotFoundError: ProblemError(404, "Not found", detail="No such mini program or workspace"),
    ForbiddenError: ProblemError(
        403, "Forbidden", detail="Only the workspace's owner and masters create mini programs"
    ),
    LimitReachedError: ProblemError(
        409,
        "Mini program limit reached",
        type_slug="mini-program-limit-reached",
        detail=f"A workspace may have at most {MINI_PROGRAM_LIMIT} mini programs for Alipay China",
    ),
    NameTakenError: ProblemError(
        409,
        "Name taken",
        type_slug="name-taken",
        detail="This workspace has a mini program with this name",
        errors=[NAME_TAKEN.error("name")],
    ),
}

api = Api(
    title="Mini Program Platform: mini programs",
    description="The mini programs of a workspace, for release to Alipay China: created and "
    "modified by the workspace's owner and masters (at most 10 per workspace, names unique "
    "in it, lengths weighed with a Chinese character counting as two), worked on by the "
    "developers granted each one; the industry catalogue they are filed under.",
    tags={
        "mini programs": "Create, modify, list and read mini programs, with the quota",
        "access": "Which developers are granted a mini program (the owner and masters grant)",
        "industries": "The industry catalogue, in Chinese and English",
    },
    problems={**PROBLEMS, **access_api.ACCESS_PROBLEMS},
    field_codes=FIELD_CODES,
    include=[access_api.routes],
)
SERVICE_KEY = web.AppKey("miniprograms_service", MiniProgramsService)
MULTIPART = "multipart/form-data"


class MiniProgramFormFields(BaseModel):
    """The multipart form of create and modify (documentation of the body: MiniProgramForm
    and the logo checks validate it). Each text field shows an example; no JSON Schema
    keyword weighs a Chinese character as two, so the lengths are in the descriptions."""

    workspace_id: str = Field(examples=[examples.FORM["workspace_id"]])
    target: Literal["alipay_cn"]
    name: str = Field(
        description="3..30 (trimmed), a Chinese character counting as two; unique in the "
        "workspace regardless of case and width",
        examples=[examples.FORM["name"]],
    )
    tagline: str = Field(
        description="10..30 (trimmed), a Chinese character counting as two",
        examples=[examples.FORM["tagline"]],
    )
    description: str = Field(
        description="20..200 (trimmed), a Chinese character counting as two",
        examples=[examples.FORM["description"]],
    )
    industry: str = Field(
        description="A code from GET /v1/industries", examples=[examples.FORM["industry"]]
    )
    # Anchored as JSON Schema reads a pattern (ECMA-262: `$` is the end, newline or not).
    service_phone: str = Field(
        pattern=f"^{SERVICE_PHONE_PATTERN}$", examples=[examples.FORM["service_phone"]]
    )
    service_email: str = Field(
        json_schema_extra={"format": "email"}, examples=[examples.FORM["service_email"]]
    )
    logo: bytes = Field(
        description="A JPEG or PNG image, square, at most 256 KB",
        json_schema_extra={"format": "binary"},
    )


class Quota(BaseModel):
    model_config = with_examples(examples.QUOTA)

    used: int
    limit: int


class MiniProgramRead(BaseModel):
    model_config = with_examples(examples.MINI_PROGRAM)

    id: str
    workspace_id: str
    target: str
    language: Literal["zh-CN"]
    name: str
    tagline: str
    description: str
    industry: str
    service_phone: str
    service_email: str = Field(json_schema_extra={"format": "email"})
    logo_url: str
    created_by: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, mini_program: MiniProgram) -> "MiniProgramRead":
        # The form's fields, and the mini program's own (name_key and logo_id stay inside).
        return cls.model_validate(
            {
                **asdict(mini_program.fields),
                "id": mini_program.id,
                "workspace_id": mini_program.workspace_id,
                "language": mini_program.language,
                "logo_url": f"/v1/mini-programs/{mini_program.id}/logo",
                "created_by": mini_program.created_by,
                "created_at": mini_program.created_at,
                "updated_at": mini_program.updated_at,
            }
        )


class MiniProgramWithQuota(MiniProgramRead):
    model_config = with_examples(examples.MINI_PROGRAM_WITH_QUOTA)

    quota: Quota


class MiniProgramPage(BaseModel):
    model_config = with_examples(examples.PAGE)

    items: list[MiniProgramRead]
    quota: Quota


class MiniProgramQuery(BaseModel):
    workspace_id: str = Field(min_length=1, examples=[examples.WORKSPACE_ID])
    developer_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="Only the mini programs this member of the workspace is granted: my own, "
        "or (owner and masters) another member's; the owner and masters hold no grants",
        examples=[examples.DEVELOPER_ID],
    )


class IndustryRead(BaseModel):
    model_config = with_examples(examples.INDUSTRY)

    code: str
    name_zh: str
    name_en: str


class IndustryList(BaseModel):
    model_config = with_examples(examples.INDUSTRIES)

    items: list[IndustryRead]


class IndustryQuery(BaseModel):
    q: str | None = Field(
        default=None,
        max_length=100,
        description="Part of a code or of a name in either language",
        examples=["餐饮"],
    )


def _service(request: web.Request) -> MiniProgramsService:
    return request.app[SERVICE_KEY]


async def read_form(request: web.Request) -> tuple[MiniProgramForm, Logo]:
    """The multipart form, validated in full: every bad field is reported at once."""
    if request.content_type != MULTIPART:
        raise ProblemError(415, "Unsupported media type", detail=f"Send {MULTIPART}")
    try:
        form = await request.post()
    except (ValueError, LookupError, RuntimeError) as exc:  # bad charset, encoding, framing
        raise ProblemError(400, "Malformed form", detail=str(exc)[:200]) from exc
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    errors: list[FieldError] = []
    parsed = None
    try:
        parsed = MiniProgramForm.model_validate(fields)
    except ValidationError as exc:
        errors += errors_from_pydantic(exc)
    code = fields.get("industry")
    if code is not None and industry(code) is None:
        errors.append(UNKNOWN_INDUSTRY.error("industry"))
    logo = None
    upload = form.get("logo")
    if not isinstance(upload, FileField):
        errors.append(MISSING.error("logo"))  # a file part
    else:
        try:
            logo = validate_logo(upload.file.read())
        except LogoError as exc:
            errors.append(exc.field_error("logo"))
    if errors or parsed is None or logo is None:
        raise validation_problem(errors)
    return parsed, logo


async def _with_quota(request: web.Request, mini_program: MiniProgram) -> MiniProgramWithQuota:
    """The mini program as read, with its workspace's quota as it is now."""
    used = await _service(request).used(mini_program.workspace_id)
    return MiniProgramWithQuota(
        **MiniProgramRead.of(mini_program).model_dump(),
        quota=Quota(used=used, limit=MINI_PROGRAM_LIMIT),
    )


@api.route(
    "POST",
    "/v1/mini-programs",
    summary="Create a mini program for Alipay China",
    body=MiniProgramFormFields,
    body_media=MULTIPART,
    responses={201: MiniProgramWithQuota},
    raises=[NotAMemberError, NotAllowedToCreateError, LimitReachedError, NameTakenError],
    secured=True,
    tags=["mini programs"],
)
async def create_mini_program(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    form, logo = await read_form(request)
    created = await _service(request).create(principal, form=form, logo=logo)
    return json_response(await _with_quota(request, created), status=201)


@api.route(
    "PUT",
    "/v1/mini-programs/{id}",
    summary="Modify a mini program (every field again)",
    body=MiniProgramFormFields,
    body_media=MULTIPART,
    responses={200: MiniProgramWithQuota},
    # NotFoundError: another workspace than the mini program's is named (it does not move).
    raises=[NotFoundError, NameTakenError],
    secured=True,
    tags=["mini programs"],
)
async def update_mini_program(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    form, logo = await read_form(request)
    updated = await _service(request).update(
        principal, mini_program_id=request.match_info["id"], form=form, logo=logo
    )
    return json_response(await _with_quota(request, updated))


@api.route(
    "GET",
    "/v1/mini-programs",
    summary="A workspace's mini programs, newest first (a developer's: those granted); with "
    "developer_id, those one member is granted",
    query=MiniProgramQuery,
    responses={200: MiniProgramPage},
    raises=[NotAMemberError, NotAllowedToSeeGrantsError, DeveloperNotFoundError],
    secured=True,
    tags=["mini programs"],
)
async def list_mini_programs(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    query = read_query(request, MiniProgramQuery)
    items, used = await _service(request).list(
        principal, query.workspace_id, developer_id=query.developer_id
    )
    return json_response(
        MiniProgramPage(
            items=[MiniProgramRead.of(d) for d in items],
            quota=Quota(used=used, limit=MINI_PROGRAM_LIMIT),
        )
    )


@api.route(
    "GET",
    "/v1/mini-programs/{id}",
    summary="A mini program",
    responses={200: MiniProgramWithQuota},
    raises=[MiniProgramNotFoundError],
    secured=True,
    tags=["mini programs"],
)
async def get_mini_program(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    found = await _service(request).get(principal, request.match_info["id"])
    return json_response(await _with_quota(request, found))


@api.route(
    "GET",
    "/v1/mini-programs/{id}/logo",
    summary="A mini program's logo (with ETag)",
    binary_response=["image/png", "image/jpeg"],
    raises=[MiniProgramNotFoundError],
    secured=True,
    tags=["mini programs"],
)
async def get_mini_program_logo(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    logo = await _service(request).logo(principal, request.match_info["id"])
    return logo_response(request, logo)


@api.route(
    "GET",
    "/v1/industries",
    summary="The industry catalogue, searchable in both languages",
    query=IndustryQuery,
    responses={200: IndustryList},
    tags=["industries"],
)
async def list_industries(request: web.Request) -> web.Response:
    query = read_query(request, IndustryQuery)
    items = [
        IndustryRead(code=i.code, name_zh=i.name_zh, name_en=i.name_en)
        for i in search_industries(query.q)
    ]
    return json_response(IndustryList(items=items))
