"""Examples of the review workflow's requests and answers, for the OpenAPI document."""

from pydantic import JsonValue
from pydantic.config import JsonDict

from workspaces.domain import REASON_CODES

APPLICATION_ID = "8d1c4f0a-5b2e-4c7d-9a61-2f3e4d5c6b7a"
REVIEWER_ID = "5e8a2c41-7d3b-4f9e-a0c6-1b2d3e4f5a6b"

FINDING_CREATE: JsonDict = {
    "code": "company_name.mismatch",
    "field": "company_name",
    "message": "营业执照上为「杭州小程科技有限公司」",
}
FINDING: JsonDict = {
    **FINDING_CREATE,
    "texts": dict(REASON_CODES["company_name.mismatch"].texts),
}
PREVIOUS_FINDING: JsonDict = {**FINDING, "changed": True}
REASON_CODE_LIST: JsonDict = {
    "items": [
        {"code": r.code, "fields": list(r.fields), "texts": dict(r.texts)}
        for r in list(REASON_CODES.values())[:2]
    ]
}
CLAIM: JsonDict = {
    "reviewer_id": REVIEWER_ID,
    "claimed_at": "2026-11-04T13:40:00Z",
    "expires_at": "2026-11-04T14:10:00Z",
    "mine": True,
}
CLAIM_CREATES: list[JsonValue] = [{}, {"take_over": True}]
NOTE_CREATE: JsonDict = {"text": "已电话联系申请人，营业执照正在变更中。"}
NOTE: JsonDict = {
    "id": "0b7e3f5a-2c4d-4e6f-8a9b-1c2d3e4f5a6b",
    "application_id": APPLICATION_ID,
    "author_id": REVIEWER_ID,
    **NOTE_CREATE,
    "created_at": "2026-11-04T13:45:00Z",
}
NOTES: JsonDict = {"items": [NOTE]}
