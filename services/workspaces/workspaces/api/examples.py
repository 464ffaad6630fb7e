"""Examples of the workspaces API's requests and answers, as the OpenAPI document shows them
(tests check that each one is valid for its model)."""

from pydantic.config import JsonDict, JsonValue

ACCOUNT_ID = "3f2b8c1e-9a4d-4e7b-b6a2-5c0d8e1f7a93"
APPLICATION_ID = "8d1c4f0a-2b7e-4c39-9e5d-71a6b3f09c24"
WORKSPACE_ID = "b5e2a7d4-6c1f-5a83-8e0b-4d9c2f7a1e65"
DEVELOPER_ID = "c7a9e3b1-5d2f-4e68-a0c4-9b8d6e2f1a37"
COMPANY = "杭州小橙科技有限公司"

_FORM: JsonDict = {
    "role": "technical_merchant",
    "company_name": COMPANY,
    "website": "https://www.xiaocheng-tech.cn",
    "contact_number": "+86 138 0571 2468",
    "contact_email": "bd@xiaocheng-tech.cn",
}
# The first step saved, then the business details (any subset of the form, each time).
DRAFT_UPDATES: list[JsonValue] = [
    {"role": "technical_merchant", "step": "business_details"},
    {**{k: v for k, v in _FORM.items() if k != "role"}, "step": "review"},
]
APPLICATION: JsonDict = {
    "id": APPLICATION_ID,
    "status": "under_review",
    "step": "review",
    **_FORM,
    "logo_url": "/v1/workspace-applications/current/logo",
    "logo_color": "#1677FF",
    "previous_application_id": None,
    "submitted_at": "2026-11-03T10:15:00Z",
    "expected_decision_by": "2026-11-05T10:15:00Z",
    "rejection_reason": None,
    "decision": None,
    "workspace_id": None,
    "applicant": {
        "account_id": ACCOUNT_ID,
        "email": "li.wei@xiaocheng-tech.cn",
        "full_name": "李伟",
    },
    "created_at": "2026-11-03T09:40:00Z",
    "updated_at": "2026-11-03T10:15:00Z",
}
APPLICATIONS: JsonDict = {"items": [APPLICATION]}
REVIEW_PAGE: JsonDict = {
    "items": [{**APPLICATION, "logo_url": f"/v1/review/applications/{APPLICATION_ID}/logo"}],
    "next_cursor": "eyJhdCI6IjIwMjYtMTEtMDNUMTA6MTU6MDBaIiwiaWQiOiI4ZDFjNGYwYSJ9",
}
DECISIONS: list[JsonValue] = [
    {"decision": "approve"},
    {"decision": "reject", "reason": "营业执照上的公司名称与申请不一致，请核对后重新提交。"},
]
DECISION: JsonDict = {"decision": "approve", "reason": None, "reviewed_at": "2026-11-04T14:02:00Z"}

WORKSPACE: JsonDict = {
    "id": WORKSPACE_ID,
    "name": COMPANY,
    "status": "active",
    "my_role": "owner",
    "owner_account_id": ACCOUNT_ID,
    "logo_url": f"/v1/workspaces/{WORKSPACE_ID}/logo",
    "created_at": "2026-11-04T14:02:01Z",
}
WORKSPACES: JsonDict = {"items": [WORKSPACE]}

MEMBER_CREATE: JsonDict = {"email": "zhang.min@xiaocheng-tech.cn", "role": "developer"}
MEMBER_UPDATE: JsonDict = {"role": "master"}
MEMBER: JsonDict = {
    "account_id": DEVELOPER_ID,
    "email": "zhang.min@xiaocheng-tech.cn",
    "full_name": "张敏",
    "role": "developer",
    "added_at": "2026-11-06T08:20:00Z",
}
MEMBERS: JsonDict = {
    "items": [
        {
            "account_id": ACCOUNT_ID,
            "email": "li.wei@xiaocheng-tech.cn",
            "full_name": "李伟",
            "role": "owner",
            "added_at": "2026-11-04T14:02:01Z",
        },
        MEMBER,
    ]
}

INVITATION_CREATE: JsonDict = {"email": "wang.fang@xiaocheng-tech.cn", "role": "master"}
INVITATION: JsonDict = {
    "id": "e41f7b2c-0a9d-4b6e-8c35-2d7f1a9e6b08",
    "workspace_id": WORKSPACE_ID,
    "email": "wang.fang@xiaocheng-tech.cn",
    "role": "master",
    "status": "pending",
    "invited_by": ACCOUNT_ID,
    "created_at": "2026-11-06T09:00:00Z",
    "last_sent_at": "2026-11-06T09:00:00Z",
    "sent_count": 1,
    "expires_at": "2026-11-09T09:00:00Z",
    "accepted_by": None,
    "accepted_at": None,
    "revoked_at": None,
}
INVITATIONS: JsonDict = {"items": [INVITATION]}
INVITATION_ACCEPT: JsonDict = {"token": "k3Jd9Qx-Vb2nLr8TfWc5Hy1ZpA7sMeUo4GiN0tKqXv6"}
INVITATION_PREVIEW: JsonDict = {
    "workspace_name": COMPANY,
    "inviter_name": "李伟",
    "email": "wang.fang@xiaocheng-tech.cn",
    "role": "master",
    "expires_at": "2026-11-09T09:00:00Z",
    "status": "pending",
}
INVITATION_ACCEPTED: JsonDict = {
    "invitation": {
        **INVITATION,
        "status": "accepted",
        "accepted_by": "f2d8b6a4-3e1c-4f97-b5a0-8c6e4d2b9f13",
        "accepted_at": "2026-11-06T11:30:00Z",
    },
    "workspace": {**WORKSPACE, "my_role": "master"},
}

ACTIVITY_ENTRY: JsonDict = {
    "id": "2c8f4a6e-1b3d-4f70-9a5c-7e0d2b4f6a18",
    "kind": "member.role_changed",
    "occurred_at": "2026-11-08T10:05:00Z",
    "actor_id": ACCOUNT_ID,
    "actor_kind": "person",
    "actor_name": "李伟",
    "actor_email": "li.wei@xiaocheng-tech.cn",
    "workspace_id": WORKSPACE_ID,
    "application_id": None,
    "mini_program_id": None,
    "subject": {
        "account_id": DEVELOPER_ID,
        "email": "zhang.min@xiaocheng-tech.cn",
        "full_name": "张敏",
    },
    "changes": [{"field": "role", "before": "developer", "after": "master"}],
}
ACTIVITY: JsonDict = {
    "items": [ACTIVITY_ENTRY],
    "next_cursor": "eyJhdCI6IjIwMjYtMTEtMDhUMTA6MDU6MDBaIiwiaWQiOiIyYzhmNGE2ZSJ9",
}
