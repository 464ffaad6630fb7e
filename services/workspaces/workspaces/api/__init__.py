"""HTTP API of the workspaces service: the routes of each side, assembled with how the domain
errors answer."""

from typing import Any

from shared.openapi import Api
from workspaces.api import activity, applications, invitations, members, review
from workspaces.api.problems import PROBLEMS
from workspaces.field_codes import FIELD_CODES


class _Api(Api):
    def openapi(self) -> dict[str, Any]:
        return activity.document_exports(super().openapi())


api = _Api(
    title="Mini Program Platform: workspaces",
    description="A technical merchant applies for a workspace (a draft saved step by step, "
    "then submitted); a reviewer approves it within two business days, or rejects it with a "
    "reason, after which a new application starts prefilled. An approved application becomes "
    "the merchant's workspace, which its owner shares with masters and developers, added by "
    "email or invited.",
    tags={
        "applications": "My workspace application: the draft, its logo, submission, history",
        "review": "The reviewers' queue and decisions (reviewer role)",
        "workspaces": "The workspaces I belong to, with my role and the logo",
        "members": "Who works in a workspace, with which role (the owner manages them)",
        "invitations": "Invitations by email, managed by the owner and accepted by the invitee",
        "activity": "Who changed what and when, before and after: a workspace's log (members) "
        "and an application's history (the applicant); JSON pages or JSON Lines / CSV exports",
    },
    problems={**PROBLEMS, **invitations.INVITATION_PROBLEMS},
    field_codes=FIELD_CODES,
    include=[
        applications.routes,
        members.routes,
        review.routes,
        invitations.routes,
        activity.routes,
    ],
)
