"""The workspaces service's collections, their indexes and the stores over them."""

from shared.mongo import Indexes
from workspaces.store import activity, applications, directory, invitations, notes, workspaces
from workspaces.store.activity import ACTIVITY, ActivityStore
from workspaces.store.applications import APPLICATIONS, ApplicationStore
from workspaces.store.directory import DIRECTORY, AccountsDirectory
from workspaces.store.invitations import InvitationStore
from workspaces.store.notes import REVIEW_NOTES, ReviewNoteStore
from workspaces.store.workspaces import WORKSPACES, WorkspaceStore

LOGOS = "logos"  # kept by shared.images.LogoStore

INDEXES: Indexes = {
    APPLICATIONS: applications.INDEXES,
    WORKSPACES: [*workspaces.INDEXES, *invitations.INDEXES],
    DIRECTORY: directory.INDEXES,
    ACTIVITY: activity.INDEXES,
    REVIEW_NOTES: notes.INDEXES,
}
# The collections whose documents carry events for the outbox relay.
EVENT_SOURCES = [APPLICATIONS, WORKSPACES]


__all__ = [
    "ACTIVITY",
    "APPLICATIONS",
    "DIRECTORY",
    "EVENT_SOURCES",
    "INDEXES",
    "LOGOS",
    "REVIEW_NOTES",
    "WORKSPACES",
    "AccountsDirectory",
    "ActivityStore",
    "ApplicationStore",
    "InvitationStore",
    "ReviewNoteStore",
    "WorkspaceStore",
]
