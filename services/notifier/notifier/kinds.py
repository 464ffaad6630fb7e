"""The kinds of mail the notifier sends, and the one registry from event type to mail.

Adding a kind is one template pair (templates/<kind>.txt and .html, English then Chinese)
and one entry in MAIL_EVENTS: the event's payload model and a function turning the payload
into a Letter (the kind, the recipient, what the mail is about, what the templates show).
The notifier subscribes to every event type listed there, and each event becomes one
notification whose id is the event's, so its Message-ID is derived from the event and it is
sent exactly once in effect through the same claim, lease and resend machinery as every
other mail.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from shared.contracts.accounts import (
    EmailVerificationRequestedV1,
    PasswordChangedV1,
    PasswordResetRequestedV1,
)
from shared.contracts.workspaces import ApplicationReviewedV1, InvitationCreatedV1
from shared.events import Envelope, EventPayload

# What a template shows: strings (or None for "not given"), kept with the notification so an
# admin's resend renders the same mail. Secrets (a link's token) are kept sealed, never in
# clear; the kind's `reveal` turns them into what the template shows when it is composed.
type Content = Mapping[str, str | None]


@dataclass(frozen=True)
class Links:
    """What composing a mail may use beyond its stored content: the console's origin (links
    in mails point there) and the opener of sealed values (see shared.sealing)."""

    console_url: str
    unseal: Callable[[str], str]


@dataclass(frozen=True)
class MailKind:
    """One kind of mail: its template pair and its subject, English / Chinese."""

    name: str  # templates/<name>.txt and templates/<name>.html
    subject: str
    # Template values computed at composition from the stored content (e.g. a link with the
    # unsealed token); none by default.
    reveal: Callable[[Content, Links], Mapping[str, str]] | None = None


@dataclass(frozen=True)
class Letter:
    """What one event asks to mail: of which kind, to whom, about what, saying what."""

    kind: MailKind
    to: str
    account_id: str | None  # the recipient's account, when they have one (an invitee may not)
    # The ids the delivery log shows the mail is about (application_id, invitation_id, ...).
    about: Mapping[str, str] = field(default_factory=dict)
    content: Content = field(default_factory=dict)


@dataclass(frozen=True)
class MailEvent[P: EventPayload]:
    """A registry entry: the payload model of an event type and the letter it makes."""

    payload: type[P]
    letter: Callable[[P], Letter]

    def letter_of(self, event: Envelope) -> Letter:
        return self.letter(event.payload(self.payload))


# Every kind by name: a notification records its kind's name, and is rendered again from it.
KINDS: dict[str, MailKind] = {}


def _kind(
    name: str,
    subject: str,
    *,
    reveal: Callable[[Content, Links], Mapping[str, str]] | None = None,
) -> MailKind:
    kind = MailKind(name=name, subject=subject, reveal=reveal)
    KINDS[name] = kind
    return kind


# --- the kinds ----------------------------------------------------------------------------

REVIEW_APPROVED = _kind(
    "review_approved", "Your workspace application is approved / 您的工作空间申请已通过"
)
REVIEW_REJECTED = _kind(
    "review_rejected", "Your workspace application was not approved / 您的工作空间申请未通过"
)


# The application form's fields as the mail names them (a finding points at one).
_FIELD_NAMES = {
    "role": ("Role", "角色"),
    "company_name": ("Company name", "公司名称"),
    "website": ("Website", "网站"),
    "contact_number": ("Contact number", "联系电话"),
    "contact_email": ("Contact email", "联系邮箱"),
    "logo": ("Logo", "标志"),
}


def _findings_lines(review: ApplicationReviewedV1, language: str) -> str | None:
    """A rejection's findings, one line each in one language (None: there are none). Kept
    as text in the content, so a resend renders the same list."""
    english = language == "en"
    lines = []
    for finding in review.findings:
        names = _FIELD_NAMES.get(finding.field, (finding.field, finding.field))
        text = finding.texts.get(language) or finding.code
        separator = ": " if english else "："
        line = f"{names[0] if english else names[1]}{separator}{text}"
        if finding.message:
            line += f" ({finding.message})" if english else f"（{finding.message}）"
        lines.append(line)
    return "\n".join(lines) or None


def _review_letter(review: ApplicationReviewedV1) -> Letter:
    return Letter(
        kind=REVIEW_APPROVED if review.decision == "approve" else REVIEW_REJECTED,
        to=review.email,
        account_id=review.account_id,
        about={"application_id": review.application_id, "decision": review.decision},
        content={
            "full_name": review.full_name,
            "company_name": review.company_name,
            "reason": review.reason,  # on an approval: the reviewer's note, if any
            "findings_en": _findings_lines(review, "en"),
            "findings_zh": _findings_lines(review, "zh-CN"),
        },
    )


# The console's page that accepts an invitation (console/src/routes.ts).
ACCEPT_INVITATION_PATH = "/invitations/accept"
_ROLE_NAMES = {"master": ("master", "管理员"), "developer": ("developer", "开发者")}


def _accept_link(content: Content, links: Links) -> Mapping[str, str]:
    """The accept link, with the token unsealed only now (the log keeps it sealed)."""
    token = links.unseal(str(content["sealed_token"]))
    return {"accept_url": f"{links.console_url}{ACCEPT_INVITATION_PATH}?token={quote(token)}"}


WORKSPACE_INVITATION = _kind(
    "workspace_invitation",
    "You are invited to join a workspace / 您受邀加入工作空间",
    reveal=_accept_link,
)


def _invitation_letter(invitation: InvitationCreatedV1) -> Letter:
    role_en, role_zh = _ROLE_NAMES.get(invitation.role, (invitation.role, invitation.role))
    return Letter(
        kind=WORKSPACE_INVITATION,
        to=invitation.email,
        account_id=None,  # the invitee may have no account yet
        about={"invitation_id": invitation.invitation_id, "workspace_id": invitation.workspace_id},
        content={
            "workspace_name": invitation.workspace_name,
            "inviter_name": invitation.inviter_name,
            "role_en": role_en,
            "role_zh": role_zh,
            "expires_at": invitation.expires_at.strftime("%Y-%m-%d %H:%M UTC"),
            "sealed_token": invitation.sealed_token,
        },
    )


# The console's pages that take an account's link tokens (console/src/routes.ts).
VERIFY_EMAIL_PATH = "/verify-email"
RESET_PASSWORD_PATH = "/reset-password"  # noqa: S105 (a path, not a secret)
_TIME = "%Y-%m-%d %H:%M UTC"


def _console_link(path: str) -> Callable[[Content, Links], Mapping[str, str]]:
    def reveal(content: Content, links: Links) -> Mapping[str, str]:
        """The link, with the token unsealed only now (the log keeps it sealed)."""
        token = links.unseal(str(content["sealed_token"]))
        return {"link_url": f"{links.console_url}{path}?token={quote(token)}"}

    return reveal


EMAIL_VERIFICATION = _kind(
    "email_verification",
    "Verify your email address / 验证您的邮箱地址",
    reveal=_console_link(VERIFY_EMAIL_PATH),
)
PASSWORD_RESET = _kind(
    "password_reset",
    "Reset your password / 重置您的密码",
    reveal=_console_link(RESET_PASSWORD_PATH),
)
PASSWORD_CHANGED = _kind("password_changed", "Your password was changed / 您的密码已更改")


def _link_letter(
    kind: MailKind,
) -> Callable[[EmailVerificationRequestedV1 | PasswordResetRequestedV1], Letter]:
    def letter(request: EmailVerificationRequestedV1 | PasswordResetRequestedV1) -> Letter:
        return Letter(
            kind=kind,
            to=request.email,
            account_id=request.account_id,
            about={"account_id": request.account_id},
            content={
                "full_name": request.full_name,
                "expires_at": request.expires_at.strftime(_TIME),
                "sealed_token": request.sealed_token,
            },
        )

    return letter


def _password_changed_letter(changed: PasswordChangedV1) -> Letter:
    return Letter(
        kind=PASSWORD_CHANGED,
        to=changed.email,
        account_id=changed.account_id,
        about={"account_id": changed.account_id, "how": changed.how},
        content={
            "full_name": changed.full_name,
            "how": changed.how,
            "changed_at": changed.changed_at.strftime(_TIME),
        },
    )


# --- the registry: event type -> the letter it makes ---------------------------------------

MAIL_EVENTS: dict[str, MailEvent[Any]] = {
    ApplicationReviewedV1.TYPE: MailEvent(ApplicationReviewedV1, _review_letter),
    InvitationCreatedV1.TYPE: MailEvent(InvitationCreatedV1, _invitation_letter),
    EmailVerificationRequestedV1.TYPE: MailEvent(
        EmailVerificationRequestedV1, _link_letter(EMAIL_VERIFICATION)
    ),
    PasswordResetRequestedV1.TYPE: MailEvent(
        PasswordResetRequestedV1, _link_letter(PASSWORD_RESET)
    ),
    PasswordChangedV1.TYPE: MailEvent(PasswordChangedV1, _password_changed_letter),
}
