"""Invitations by email: the owner invites, lists, resends and revokes; the invitee accepts
with the token of the mail's link (the console's /invitations/accept?token=...)."""

from datetime import datetime
from typing import Literal

from aiohttp import web
from pydantic import BaseModel, Field

from shared.auth import authenticate
from shared.field_errors import Email
from shared.http import ProblemError, ProblemMap, json_response, read_json
from shared.openapi import Routes, with_examples
from workspaces.api import examples
from workspaces.api.context import INVITATIONS_KEY
from workspaces.api.models import WorkspaceRead
from workspaces.domain import Invitation, InvitationStatus, MemberRole, errors
from workspaces.domain.invitation import InvitationPreview, LinkStatus

routes = Routes()


def _gone(title: str, *, slug: str, detail: str) -> ProblemError:
    return ProblemError(410, title, type_slug=slug, detail=detail)


INVITATION_PROBLEMS: ProblemMap = {
    errors.InvitationNotFoundError: ProblemError(
        404,
        "Invitation not found",
        type_slug="invitation-not-found",
        detail="No such invitation: check the link, or ask for a new one",
    ),
    errors.InvitationPendingError: ProblemError(
        409,
        "Invitation pending",
        type_slug="invitation-pending",
        detail="This email has a pending invitation already; resend it instead",
    ),
    errors.TooManyInvitationsError: ProblemError(
        409,
        "Too many invitations",
        type_slug="too-many-invitations",
        detail="At most 20 invitations may be pending; revoke some or wait for answers",
    ),
    errors.InvitationAcceptedError: ProblemError(
        409,
        "Invitation already accepted",
        type_slug="invitation-already-accepted",
        detail="This invitation was accepted already; its link works once",
    ),
    errors.InvitationRevokedError: _gone(
        "Invitation revoked", slug="invitation-revoked", detail="The owner revoked this invitation"
    ),
    errors.InvitationExpiredError: _gone(
        "Invitation expired",
        slug="invitation-expired",
        detail="This invitation expired (after 3 days); ask the owner to send it again",
    ),
    errors.InvitationTokenReplacedError: _gone(
        "Invitation link replaced",
        slug="invitation-link-replaced",
        detail="The invitation was sent again: use the link of the newest mail",
    ),
    errors.InvitationEmailMismatchError: ProblemError(
        403,
        "Invitation for another email",
        type_slug="invitation-email-mismatch",
        detail="This invitation is for another email address: sign in (or sign up) with "
        "the invited one",
    ),
}


class InvitationCreate(BaseModel):
    model_config = with_examples(examples.INVITATION_CREATE)

    email: Email
    role: Literal["master", "developer"]


class InvitationRead(BaseModel):
    model_config = with_examples(examples.INVITATION)

    id: str
    workspace_id: str
    email: str = Field(json_schema_extra={"format": "email"})  # as invited: validated
    role: Literal["master", "developer"]
    status: InvitationStatus = Field(description="expired: pending past expires_at")
    invited_by: str = Field(description="The owner's account id")
    created_at: datetime
    last_sent_at: datetime | None = Field(description="When the newest mail was sent")
    sent_count: int = Field(description="Mails sent: 1, and one more per resend")
    expires_at: datetime = Field(description="3 days after the newest mail")
    accepted_by: str | None
    accepted_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, invitation: Invitation, *, now: datetime) -> "InvitationRead":
        i = invitation
        return cls(
            id=i.id,
            workspace_id=i.workspace_id,
            email=i.email,
            role="master" if i.role == MemberRole.MASTER else "developer",
            status=i.status(now),
            invited_by=i.invited_by,
            created_at=i.created_at,
            last_sent_at=i.last_sent_at,
            sent_count=i.sent_count,
            expires_at=i.expires_at,
            accepted_by=i.accepted_by,
            accepted_at=i.accepted_at,
            revoked_at=i.revoked_at,
        )


class InvitationList(BaseModel):
    model_config = with_examples(examples.INVITATIONS)

    items: list[InvitationRead]


class InvitationAccept(BaseModel):
    model_config = with_examples(examples.INVITATION_ACCEPT)

    token: str = Field(min_length=1, max_length=200, description="The token of the mail's link")


class InvitationPreviewRead(BaseModel):
    model_config = with_examples(examples.INVITATION_PREVIEW)

    workspace_name: str
    inviter_name: str = Field(description="The full name of the owner who invited")
    email: str = Field(
        json_schema_extra={"format": "email"},
        description="The invited address, in full: the one to sign up or log in with",
    )
    role: Literal["master", "developer"]
    expires_at: datetime = Field(description="When the newest link of the invitation expires")
    status: LinkStatus = Field(
        description="pending: it can be accepted; expired, revoked, accepted; replaced: a "
        "newer mail's link replaced this one (the invitation is still open)"
    )

    @classmethod
    def of(cls, preview: InvitationPreview) -> "InvitationPreviewRead":
        return cls(
            workspace_name=preview.workspace_name,
            inviter_name=preview.inviter_name,
            email=preview.email,
            role="master" if preview.role == MemberRole.MASTER else "developer",
            expires_at=preview.expires_at,
            status=preview.status,
        )


class InvitationAcceptedRead(BaseModel):
    model_config = with_examples(examples.INVITATION_ACCEPTED)

    invitation: InvitationRead
    workspace: WorkspaceRead = Field(description="The workspace joined, with my role in it")


# Every invitation of a workspace is the owner's to manage (404 for those not in it).
_OWNER_ONLY = [errors.WorkspaceNotFoundError, errors.NotOwnerError]


@routes.route(
    "GET",
    "/v1/workspaces/{id}/invitations",
    summary="The workspace's invitations, newest first, with their status (owner)",
    responses={200: InvitationList},
    raises=_OWNER_ONLY,
    secured=True,
    tags=["invitations"],
)
async def list_invitations(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    service = request.app[INVITATIONS_KEY]
    found = await service.invitations(principal, request.match_info["id"])
    now = service.now()
    return json_response(InvitationList(items=[InvitationRead.of(i, now=now) for i in found]))


@routes.route(
    "POST",
    "/v1/workspaces/{id}/invitations",
    summary="Invite an email as master or developer: a mail with a link valid for 3 days (owner)",
    body=InvitationCreate,
    responses={201: InvitationRead},
    raises=[
        *_OWNER_ONLY,
        errors.AlreadyMemberError,
        errors.InvitationPendingError,
        errors.TooManyInvitationsError,
    ],
    secured=True,
    tags=["invitations"],
)
async def create_invitation(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    body = await read_json(request, InvitationCreate)
    service = request.app[INVITATIONS_KEY]
    invitation = await service.invite(
        principal, request.match_info["id"], email=str(body.email), role=MemberRole(body.role)
    )
    return json_response(InvitationRead.of(invitation, now=service.now()), status=201)


@routes.route(
    "POST",
    "/v1/workspaces/{id}/invitations/{invitation_id}/resend",
    summary="Send a pending or expired invitation again: a new link, valid 3 days from now; "
    "the old link stops working (owner)",
    responses={200: InvitationRead},
    raises=[
        *_OWNER_ONLY,
        errors.InvitationNotFoundError,
        errors.InvitationAcceptedError,
        errors.InvitationRevokedError,
    ],
    secured=True,
    tags=["invitations"],
)
async def resend_invitation(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    service = request.app[INVITATIONS_KEY]
    invitation = await service.resend(
        principal,
        workspace_id=request.match_info["id"],
        invitation_id=request.match_info["invitation_id"],
    )
    return json_response(InvitationRead.of(invitation, now=service.now()))


@routes.route(
    "DELETE",
    "/v1/workspaces/{id}/invitations/{invitation_id}",
    summary="Revoke an invitation: its link stops working; revoking again changes nothing (owner)",
    responses={204: None},
    raises=[*_OWNER_ONLY, errors.InvitationNotFoundError, errors.InvitationAcceptedError],
    secured=True,
    tags=["invitations"],
)
async def revoke_invitation(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    await request.app[INVITATIONS_KEY].revoke(
        principal,
        workspace_id=request.match_info["id"],
        invitation_id=request.match_info["invitation_id"],
    )
    return web.Response(status=204)


@routes.route(
    "POST",
    "/v1/invitations/preview",
    summary="What an invitation's link offers (workspace, role, who invited, the invited "
    "email, expiry) and whether it still works; no sign-in needed",
    description="The token goes in the body, not the URL, so it stays out of access logs and "
    "Referer headers. Anyone holding the link learns what its mail said, nothing more; an "
    "unknown token is 404 whatever exists. Not throttled: a token has 256 random bits, so no "
    "rate of guessing finds one, and each lookup is one indexed read.",
    body=InvitationAccept,
    responses={200: InvitationPreviewRead},
    raises=[errors.InvitationNotFoundError],
    tags=["invitations"],
)
async def preview_invitation(request: web.Request) -> web.Response:
    body = await read_json(request, InvitationAccept)
    preview = await request.app[INVITATIONS_KEY].preview(body.token)
    response = json_response(InvitationPreviewRead.of(preview))
    response.headers["Cache-Control"] = "no-store"  # names and an email: no shared cache
    return response


@routes.route(
    "POST",
    "/v1/invitations/accept",
    summary="Accept an invitation with the token of its link, signed in with the invited "
    "email (sign up first if needed): I become a member with the invited role",
    body=InvitationAccept,
    responses={200: InvitationAcceptedRead},
    raises=[
        errors.InvitationEmailMismatchError,
        errors.InvitationNotFoundError,
        errors.InvitationAcceptedError,
        errors.AlreadyMemberError,
        errors.InvitationExpiredError,
        errors.InvitationRevokedError,
        errors.InvitationTokenReplacedError,
    ],
    secured=True,
    tags=["invitations"],
)
async def accept_invitation(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    body = await read_json(request, InvitationAccept)
    service = request.app[INVITATIONS_KEY]
    workspace, invitation = await service.accept(principal, body.token)
    role = workspace.role_of(principal.account_id)
    assert role is not None, "the accepting write made them a member"
    return json_response(
        InvitationAcceptedRead(
            invitation=InvitationRead.of(invitation, now=service.now()),
            workspace=WorkspaceRead.of(workspace, my_role=role),
        )
    )
