"""The activity log's entries, made from events without a database: who, what, the before and
after; never a token; and an exported CSV cell is never a formula."""

from datetime import UTC, datetime

from shared.contracts.miniprograms import FieldChange, MiniProgramUpdatedV1
from shared.contracts.workspaces import (
    ApplicationReviewedV1,
    InvitationCreatedV1,
    WorkspaceCreatedV1,
    WorkspaceMemberAddedV1,
    WorkspaceMemberRoleChangedV1,
)
from shared.events import new_event
from workspaces.api.activity import _defused
from workspaces.domain import DirectoryAccount
from workspaces.domain.activity import RECORDED, ActivityKind, Change, activity_entry

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_a_role_change_records_who_changed_it_and_the_role_before_and_after() -> None:
    event = new_event(
        WorkspaceMemberRoleChangedV1(
            workspace_id="ws-1",
            account_id="dev-1",
            role="master",
            changed_at=NOW,
            changed_by="owner-1",
            previous_role="developer",
            email="dev@example.com",
        ),
        producer="workspaces",
    )

    entry = activity_entry(event)

    assert entry is not None
    assert (entry.id, entry.kind, entry.actor_id) == (
        event.id,
        ActivityKind.MEMBER_ROLE_CHANGED,
        "owner-1",
    )
    assert entry.changes == (Change("role", "developer", "master"),)
    assert entry.subject == {"account_id": "dev-1", "email": "dev@example.com"}


def test_a_modify_records_each_changed_field_and_older_events_record_none() -> None:
    fields = {
        "mini_program_id": "mp-1",
        "workspace_id": "ws-1",
        "target": "alipay_cn",
        "name": "Acme",
        "industry": "food.restaurant",
        "updated_by": "dev-1",
        "updated_at": NOW,
    }
    change = FieldChange(field="name", before="Old", after="Acme")
    newer = activity_entry(
        new_event(MiniProgramUpdatedV1(**fields, changes=[change]), producer="miniprograms")
    )
    older = activity_entry(new_event(MiniProgramUpdatedV1(**fields), producer="miniprograms"))

    assert newer is not None
    assert older is not None
    assert (newer.mini_program_id, newer.actor_id) == ("mp-1", "dev-1")
    assert newer.changes == (Change("name", "Old", "Acme"),)
    assert older.changes == ()


def test_an_invitation_entry_names_the_email_and_role_but_never_the_sealed_token() -> None:
    event = new_event(
        InvitationCreatedV1(
            invitation_id="inv-1",
            workspace_id="ws-1",
            workspace_name="Acme",
            email="new@example.com",
            role="developer",
            invited_by="owner-1",
            inviter_name="Olivia",
            sealed_token="gAAAA-secret",
            expires_at=NOW,
            created_at=NOW,
        ),
        producer="workspaces",
    )

    entry = activity_entry(event)

    assert entry is not None
    assert entry.kind == ActivityKind.MEMBER_INVITED
    assert entry.subject["email"] == "new@example.com"
    assert "gAAAA-secret" not in str(entry)


def test_the_workspace_created_entry_belongs_to_the_workspace_and_its_application() -> None:
    entry = activity_entry(
        new_event(
            WorkspaceCreatedV1(
                workspace_id="ws-1",
                name="Acme",
                owner_account_id="owner-1",
                owner_email="o@example.com",
                application_id="app-1",
                created_at=NOW,
            ),
            producer="workspaces",
        )
    )

    assert entry is not None
    assert (entry.workspace_id, entry.application_id, entry.actor_id) == ("ws-1", "app-1", None)


def test_events_the_log_does_not_record_make_no_entry_and_every_kind_is_made_by_one() -> None:
    unrecorded = new_event(WorkspaceCreatedV1.model_construct(), producer="workspaces")
    assert activity_entry(unrecorded.model_copy(update={"type": "account.registered.v1"})) is None
    assert len(RECORDED) == 13


def test_a_csv_cell_that_a_spreadsheet_would_run_is_defused() -> None:
    for formula in ("=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert _defused(formula) == f"'{formula}"
    assert _defused("Acme 点餐") == "Acme 点餐"
    assert _defused("") == ""


OWNER = DirectoryAccount(account_id="owner-1", email="ada@example.com", full_name="Ada Owner")
DEV = DirectoryAccount(account_id="dev-1", email="dev@example.com", full_name="Dev Eloper")


def _role_change() -> WorkspaceMemberRoleChangedV1:
    return WorkspaceMemberRoleChangedV1(
        workspace_id="ws-1", account_id="dev-1", role="master", changed_at=NOW, changed_by="owner-1"
    )


def test_an_entry_names_its_actor_and_its_member_as_the_directory_knows_them() -> None:
    entry = activity_entry(new_event(_role_change(), producer="workspaces"))
    assert entry is not None
    assert entry.people() == {"owner-1", "dev-1"}

    named = entry.named({"owner-1": OWNER, "dev-1": DEV})

    assert (named.actor_kind, named.actor_name, named.actor_email) == (
        "person",
        "Ada Owner",
        "ada@example.com",
    )
    assert named.subject == {
        "account_id": "dev-1",
        "full_name": "Dev Eloper",
        "email": "dev@example.com",
    }
    # Unknown to the directory: nothing is made up.
    unknown = entry.named({})
    assert (unknown.actor_name, unknown.subject) == (None, {"account_id": "dev-1"})


def test_a_joiner_too_fresh_for_the_directory_is_named_by_the_event_else_by_the_directory() -> None:
    joined = WorkspaceMemberAddedV1(
        workspace_id="ws-1",
        account_id="new-1",
        email="new@example.com",
        role="developer",
        added_at=NOW,
        added_by="new-1",
        invitation_id="inv-1",
        full_name="new",  # the accept's guess from the email: the directory did not know them
    )
    entry = activity_entry(new_event(joined, producer="workspaces"))
    assert entry is not None
    known = DirectoryAccount(account_id="new-1", email="new@example.com", full_name="New Comer")

    unknown = entry.named({})
    named = entry.named({"new-1": known})

    assert (unknown.actor_name, unknown.actor_email) == ("new", "new@example.com")
    assert (named.actor_name, named.subject["full_name"]) == ("New Comer", "New Comer")


def test_a_reviewer_is_recorded_as_the_reviewer_and_never_named() -> None:
    decided = ApplicationReviewedV1(
        application_id="app-1",
        account_id="owner-1",
        email="ada@example.com",
        full_name="Ada Owner",
        company_name="Acme",
        decision="approve",
        reviewed_at=NOW,
        reviewer_id="staff-1",
    )
    entry = activity_entry(new_event(decided, producer="workspaces"))
    assert entry is not None
    staff = DirectoryAccount(account_id="staff-1", email="rev@mpp.local", full_name="Rev Iewer")

    named = entry.named({"staff-1": staff})

    assert "staff-1" not in entry.people()
    assert (named.actor_kind, named.actor_id, named.actor_name, named.actor_email) == (
        "reviewer",
        "staff-1",
        None,
        None,
    )
