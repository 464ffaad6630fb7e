from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from miniprograms.domain import (
    LANGUAGE,
    MINI_PROGRAM_LIMIT,
    SERVICE_PHONE_PATTERN,
    ForbiddenError,
    LimitReachedError,
    MemberRoleSet,
    Membership,
    MiniProgram,
    MiniProgramFields,
    MiniProgramForm,
    MiniProgramModified,
    MiniProgramNotFoundError,
    NotAllowedToCreateError,
    NotAMemberError,
    NotFoundError,
    WorkspaceChangeError,
    WorkspaceRole,
    can_create,
    can_see,
    first_free_slot,
    member_role_set,
    name_key,
    weighted_length,
)
from shared.contracts.miniprograms import FieldChange, MiniProgramCreatedV1, MiniProgramUpdatedV1
from shared.contracts.workspaces import (
    WorkspaceCreatedV1,
    WorkspaceMemberAddedV1,
    WorkspaceMemberRemovedV1,
    WorkspaceMemberRoleChangedV1,
)
from shared.events import Envelope, EventPayload, new_event

cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
ascii_printable = st.characters(min_codepoint=0x20, max_codepoint=0x7E)


@given(st.text(), st.text())
def test_weighted_length_adds_up(a: str, b: str) -> None:
    assert weighted_length(a + b) == weighted_length(a) + weighted_length(b)


@given(st.text())
def test_each_character_weighs_one_or_two(text: str) -> None:
    assert len(text) <= weighted_length(text) <= 2 * len(text)


@given(st.text(ascii_printable))
def test_latin_text_weighs_its_length(text: str) -> None:
    assert weighted_length(text) == len(text)


@given(st.text(cjk))
def test_chinese_text_weighs_twice_its_length(text: str) -> None:
    assert weighted_length(text) == 2 * len(text)


def test_full_width_cjk_punctuation_weighs_two_and_ascii_punctuation_one() -> None:
    assert weighted_length("，。！？：；（）【】「」、") == 26
    assert weighted_length(",.!?:;()[]") == 10
    assert weighted_length("中" * 15) == 30
    assert weighted_length("中" * 15 + "a") == 31


def test_only_owners_and_masters_create_and_developers_see_what_they_are_assigned() -> None:
    assert can_create("owner")
    assert can_create("master")
    assert not can_create("developer")
    assert not can_create(None)
    assert can_see("developer", account_id="d", developer_ids=["d"])
    assert not can_see("developer", account_id="d", developer_ids=[])
    assert not can_see(None, account_id="x", developer_ids=["x"])


def test_names_compare_regardless_of_case_and_width() -> None:
    assert name_key("Lunch Box") == name_key("LUNCH BOX")
    assert name_key("Ａｃｍｅ") == name_key("acme")


# --- the typed domain: transitions without a database -----------------------------------

NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
LATER = NOW + timedelta(hours=2)
FORM = {
    "workspace_id": "ws-1",
    "target": "alipay_cn",
    "name": "  Acme 点餐 ",
    "tagline": "Order lunch in two taps",
    "description": "Acme lets office workers order lunch from nearby restaurants.",
    "industry": "food.restaurant",
    "service_phone": "0571-8888888",
    "service_email": "service@acme.example.com",
}


def _form(**changes: str) -> MiniProgramForm:
    return MiniProgramForm.model_validate({**FORM, **changes})


def _created(**changes: str) -> MiniProgram:
    mini_program, _ = MiniProgram.create(
        form=_form(**changes), created_by="acc-owner", logo_id="logo-1", now=NOW
    )
    return mini_program


def test_create_makes_a_chinese_mini_program_in_the_forms_workspace_and_says_so() -> None:
    mini_program, created = MiniProgram.create(
        form=_form(), created_by="acc-owner", logo_id="logo-1", now=NOW
    )

    assert mini_program.workspace_id == "ws-1"
    assert mini_program.language == LANGUAGE == "zh-CN"
    assert mini_program.fields == MiniProgramFields(
        target="alipay_cn",
        name="Acme 点餐",
        name_key="acme 点餐",
        tagline="Order lunch in two taps",
        description="Acme lets office workers order lunch from nearby restaurants.",
        industry="food.restaurant",
        service_phone="0571-8888888",
        service_email="service@acme.example.com",
        logo_id="logo-1",
    )
    assert (mini_program.created_by, mini_program.created_at, mini_program.updated_at) == (
        "acc-owner",
        NOW,
        NOW,
    )
    assert mini_program.developer_ids == ()
    assert created == MiniProgramCreatedV1(
        mini_program_id=mini_program.id,
        workspace_id="ws-1",
        target="alipay_cn",
        name="Acme 点餐",
        industry="food.restaurant",
        created_by="acc-owner",
        created_at=NOW,
    )


def test_each_create_gives_a_new_id() -> None:
    assert _created().id != _created().id


def test_modify_in_the_same_workspace_sets_every_field_again_and_says_so() -> None:
    mini_program = _created()

    change, updated = mini_program.modify(
        form=_form(name="Acme 午餐", tagline="午餐两下就点好"),
        logo_id="logo-2",
        updated_by="acc-master",
        now=LATER,
    )

    assert change == MiniProgramModified(
        mini_program_id=mini_program.id,
        workspace_id="ws-1",
        fields=replace(
            mini_program.fields,
            name="Acme 午餐",
            name_key="acme 午餐",
            tagline="午餐两下就点好",
            logo_id="logo-2",
        ),
        updated_at=LATER,
    )
    assert updated == MiniProgramUpdatedV1(
        mini_program_id=mini_program.id,
        workspace_id="ws-1",
        target="alipay_cn",
        name="Acme 午餐",
        industry="food.restaurant",
        updated_by="acc-master",
        updated_at=LATER,
        # The fields that changed, before and after, for the activity log.
        changes=[
            FieldChange(field="name", before=mini_program.fields.name, after="Acme 午餐"),
            FieldChange(
                field="tagline", before=mini_program.fields.tagline, after="午餐两下就点好"
            ),
        ],
    )


def test_modify_naming_another_workspace_is_refused_as_not_found() -> None:
    mini_program = _created()

    with pytest.raises(WorkspaceChangeError):
        mini_program.modify(
            form=_form(workspace_id="ws-2"), logo_id="logo-2", updated_by="acc-owner", now=LATER
        )
    with pytest.raises(WorkspaceChangeError):
        mini_program.check_stays_in("ws-2")
    mini_program.check_stays_in("ws-1")
    assert issubclass(WorkspaceChangeError, NotFoundError)  # answered 404, like any unknown


def test_a_free_slot_is_the_lowest_unused_until_the_limit() -> None:
    assert first_free_slot(set()) == 0
    assert first_free_slot({0, 1, 3}) == 2
    assert first_free_slot(set(range(MINI_PROGRAM_LIMIT - 1))) == MINI_PROGRAM_LIMIT - 1
    with pytest.raises(LimitReachedError):
        first_free_slot(set(range(MINI_PROGRAM_LIMIT)))


def _membership(**roles: WorkspaceRole) -> Membership:
    return Membership(workspace_id="ws-1", roles=roles)


def test_the_membership_tells_each_members_role_and_nobody_elses() -> None:
    membership = _membership(o=WorkspaceRole.OWNER, d=WorkspaceRole.DEVELOPER)
    assert membership.role_of("o") is WorkspaceRole.OWNER
    assert membership.role_of("d") is WorkspaceRole.DEVELOPER
    assert membership.role_of("x") is None
    assert membership.member_role("o") is WorkspaceRole.OWNER
    with pytest.raises(NotAMemberError):
        membership.member_role("x")


@pytest.mark.parametrize(
    ("role", "refused"),
    [
        (WorkspaceRole.OWNER, None),
        (WorkspaceRole.MASTER, None),
        (WorkspaceRole.DEVELOPER, NotAllowedToCreateError),
        (None, NotAMemberError),
    ],
)
def test_owners_and_masters_may_create_developers_are_forbidden_outsiders_not_found(
    role: WorkspaceRole | None, refused: type[Exception] | None
) -> None:
    membership = _membership(**({"a": role} if role else {}))
    if refused is None:
        membership.check_may_create("a")
        return
    with pytest.raises(refused):
        membership.check_may_create("a")
    assert issubclass(NotAllowedToCreateError, ForbiddenError)
    assert issubclass(NotAMemberError, NotFoundError)


def test_owners_and_masters_see_every_mini_program_developers_only_their_assigned_ones() -> None:
    mini_program = _created()
    assigned = replace(mini_program, developer_ids=("d",))
    membership = _membership(
        o=WorkspaceRole.OWNER, m=WorkspaceRole.MASTER, d=WorkspaceRole.DEVELOPER
    )

    for account in ("o", "m"):
        membership.check_may_see(account, mini_program)
    membership.check_may_see("d", assigned)
    for account, program in (("d", mini_program), ("x", assigned)):
        with pytest.raises(MiniProgramNotFoundError):
            membership.check_may_see(account, program)
    elsewhere = Membership(workspace_id="ws-2", roles={"o": WorkspaceRole.OWNER})
    with pytest.raises(MiniProgramNotFoundError):
        elsewhere.check_may_see("o", mini_program)


def test_only_a_developers_list_is_narrowed_to_their_assigned_mini_programs() -> None:
    membership = _membership(
        o=WorkspaceRole.OWNER, m=WorkspaceRole.MASTER, d=WorkspaceRole.DEVELOPER
    )
    assert not membership.sees_only_assigned("o")
    assert not membership.sees_only_assigned("m")
    assert membership.sees_only_assigned("d")
    with pytest.raises(NotAMemberError):
        membership.sees_only_assigned("x")


def _event(payload: EventPayload) -> Envelope:
    return new_event(payload, producer="workspaces")


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (
            WorkspaceCreatedV1(
                workspace_id="ws-1",
                name="Acme",
                owner_account_id="o",
                owner_email="o@acme.example",
                application_id="app-1",
                created_at=NOW,
            ),
            MemberRoleSet("ws-1", "o", WorkspaceRole.OWNER),
        ),
        (
            WorkspaceMemberAddedV1(
                workspace_id="ws-1",
                account_id="m",
                email="m@x.example",
                role="master",
                added_at=NOW,
            ),
            MemberRoleSet("ws-1", "m", WorkspaceRole.MASTER),
        ),
        (
            WorkspaceMemberRoleChangedV1(
                workspace_id="ws-1", account_id="m", role="developer", changed_at=NOW
            ),
            MemberRoleSet("ws-1", "m", WorkspaceRole.DEVELOPER),
        ),
        (
            WorkspaceMemberRemovedV1(workspace_id="ws-1", account_id="m", removed_at=NOW),
            MemberRoleSet("ws-1", "m", None),
        ),
    ],
    ids=["created", "added", "role-changed", "removed"],
)
def test_each_workspace_event_sets_one_members_role(
    payload: EventPayload, expected: MemberRoleSet
) -> None:
    assert member_role_set(_event(payload)) == expected


def test_other_events_change_no_membership() -> None:
    other = MiniProgramCreatedV1(
        mini_program_id="mp",
        workspace_id="ws-1",
        target="alipay_cn",
        name="x",
        industry="food.restaurant",
        created_by="o",
        created_at=NOW,
    )
    assert member_role_set(_event(other)) is None


# --- field rules the form applies -------------------------------------------------------


@pytest.mark.parametrize("field", ["name", "tagline", "description"])
@pytest.mark.parametrize(
    "character",
    ["\u202e", "\u200b", "\u200d", "\ufeff", "\u0007", "\u007f"],
    ids=["rtl-override", "zero-width-space", "zwj", "bom-inside", "bell", "delete"],
)
def test_text_fields_refuse_control_and_format_characters(field: str, character: str) -> None:
    value = FORM[field].strip()
    with pytest.raises(ValidationError) as refused:
        _form(**{field: value[:4] + character + value[4:]})
    assert [e["loc"] for e in refused.value.errors()] == [(field,)]
    assert "control characters" in str(refused.value)


@pytest.mark.parametrize(
    "phone", ["0571-1234567\n", "0571-1234567\r\n", "\n0571-1234567", "0571-1234567 "]
)
def test_a_service_phone_must_be_the_whole_value(phone: str) -> None:
    with pytest.raises(ValidationError) as refused:
        _form(service_phone=phone)
    assert [e["loc"] for e in refused.value.errors()] == [("service_phone",)]
    assert SERVICE_PHONE_PATTERN == "[0-9]{4}-[0-9]{7}"
    assert _form(service_phone="0571-1234567").service_phone == "0571-1234567"
