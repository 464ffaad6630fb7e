"""What can go wrong in the workspaces domain; the API says how each one answers."""

from collections.abc import Sequence


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
    """The draft lacks what a submission needs: each (field, message) says what."""

    def __init__(self, errors: Sequence[tuple[str, str]]) -> None:
        super().__init__("the application is incomplete")
        self.errors = tuple(errors)


class ApplicationAlreadyDecidedError(Exception):
    pass


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
