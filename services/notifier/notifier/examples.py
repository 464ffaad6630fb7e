"""Examples of the notifier API's answers, as the OpenAPI document shows them (tests check
that each one is valid for its model)."""

from pydantic.config import JsonDict

ACCOUNT_ID = "3f2b8c1e-9a4d-4e7b-b6a2-5c0d8e1f7a93"
APPLICATION_ID = "8d1c4f0a-2b7e-4c39-9e5d-71a6b3f09c24"

# A review mail that failed (the SMTP server refused the recipient), as an admin finds it.
FAILED: JsonDict = {
    "id": "0c6f2d9e-7b1a-4e53-a8d4-3f5b9e1c7a26",
    "kind": "review_approved",
    "subject": "Your workspace application is approved / 您的工作空间申请已通过",
    "account_id": ACCOUNT_ID,
    "email": "li.wei@xiaocheng-tech.cn",
    "about": {"application_id": APPLICATION_ID, "decision": "approve"},
    "application_id": APPLICATION_ID,
    "decision": "approve",
    "status": "failed",
    "attempts": 5,
    "last_error": "550 5.1.1 mailbox unavailable",
    "created_at": "2026-11-04T14:02:01Z",
    "updated_at": "2026-11-04T14:09:30Z",
    "sent_at": None,
    "resend_of": None,
    "resent_as": None,
}
# Its resend, just recorded (202): the resender sends it in the background.
RESEND: JsonDict = {
    **FAILED,
    "id": "9a3e5c1b-2d7f-4a68-b0e4-6c8d1f3a5b97",
    "status": "pending",
    "attempts": 0,
    "last_error": None,
    "created_at": "2026-11-05T08:30:00Z",
    "updated_at": "2026-11-05T08:30:00Z",
    "resend_of": FAILED["id"],
}
PAGE: JsonDict = {
    "items": [{**FAILED, "resent_as": RESEND["id"]}],
    "next_cursor": "eyJhdCI6IjIwMjYtMTEtMDRUMTQ6MDI6MDFaIiwiaWQiOiIwYzZmMmQ5ZSJ9",
}
