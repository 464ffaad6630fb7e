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
