"""What can go wrong in the workspaces domain; the API says how each one answers."""

from collections.abc import Sequence
from datetime import datetime

from shared.field_errors import FieldError


class ApplicationNotFoundError(Exception):
    pass


class ApplicationUnderReviewError(Exception):
    pass


class AlreadyApprovedError(Exception):
    pass


class DraftAlreadyOpenError(Exception):
    """A new draft was started while the account has one open (the open one is edited)."""


class NoDraftError(Exception):
    pass


class IncompleteApplicationError(Exception):
    """The draft lacks what a submission needs: each field error says what."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("the application is incomplete")
        self.errors = tuple(errors)


class ApplicationAlreadyDecidedError(Exception):
    pass


class ApplicationWithdrawnError(Exception):
    """The applicant withdrew the application: nothing is decided on it any more."""


class NotUnderReviewError(Exception):
    """Only an application under review can be withdrawn (a draft is just left)."""


class ClaimedByAnotherError(Exception):
    """Another reviewer's claim on the application is active."""

    def __init__(self, reviewer_id: str, expires_at: datetime) -> None:
        super().__init__(f"claimed by {reviewer_id} until {expires_at.isoformat()}")
        self.reviewer_id = reviewer_id
        self.expires_at = expires_at


class TakeOverForbiddenError(Exception):
    """Only an admin takes over another reviewer's active claim."""


class WorkspaceNotFoundError(Exception):
    pass


class WorkspaceAlreadyActiveError(Exception):
    """Provisioning ran again (a redelivered approval) for a workspace that is active."""


class NotOwnerError(Exception):
    pass


class UnknownAccountError(Exception):
    pass


class AlreadyMemberError(Exception):
    pass


class MemberNotFoundError(Exception):
    pass


class OwnerIsFixedError(Exception):
    pass


class InvitationNotFoundError(Exception):
    """No invitation has this id in this workspace, or this token (it never existed)."""


class InvitationPendingError(Exception):
    """This email has a pending invitation already: resend it instead."""


class TooManyInvitationsError(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"at most {limit} invitations may be pending")
        self.limit = limit


class InvitationAcceptedError(Exception):
    """The invitation was accepted already: its token is used."""


class InvitationRevokedError(Exception):
    pass


class InvitationExpiredError(Exception):
    pass


class InvitationTokenReplacedError(Exception):
    """The link's token was replaced by a resend: the newer mail's link works."""


class InvitationEmailMismatchError(Exception):
    """The signed-in account's email is not the invited one."""
