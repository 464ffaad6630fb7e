"""Examples of the accounts API's requests and answers, as the OpenAPI document shows them
(tests check that each one is valid for its model)."""

from pydantic.config import JsonDict, JsonValue

ACCOUNT_ID = "3f2b8c1e-9a4d-4e7b-b6a2-5c0d8e1f7a93"
EMAIL = "li.wei@xiaocheng-tech.cn"
PASSWORD = "longjing-tea-by-the-west-lake"  # noqa: S105 (an example, not a secret)

ACCOUNT_CREATE: JsonDict = {
    "email": EMAIL,
    "password": PASSWORD,
    "full_name": "李伟",
    "accept_terms": True,
}
CREDENTIALS: JsonDict = {"email": EMAIL, "password": PASSWORD}
REFRESH_TOKEN = "YR0w-Ct33XvoGWZ6ArV81ovPc_H5x-F0Ourmbhk8XHo"  # noqa: S105 (an example)
# The token in the body; an empty body lets the refresh cookie stand in.
REFRESH_REQUESTS: list[JsonValue] = [{"refresh_token": REFRESH_TOKEN}, {}]

ACCOUNT: JsonDict = {
    "id": ACCOUNT_ID,
    "email": EMAIL,
    "full_name": "李伟",
    "roles": ["merchant"],
    "created_at": "2026-11-03T09:30:00Z",
    "terms_version": "2026-11-01",
    "terms_accepted_at": "2026-11-03T09:30:00Z",
    "email_verified": False,
    "two_factor_enabled": False,
    "roles_awaiting_two_factor": [],
}
TOKENS: JsonDict = {
    "access_token": (
        "eyJhbGciOiJFZERTQSIsImtpZCI6IlRYUGIyeWJMaGgxcTlGc1NreTItWHUwVjVCaUM5NGx2LVVnMHhfY2o3OG"
        "ciLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJtcHAtYWNjb3VudHMiLCJhdWQiOiJtcHAiLCJzdWIiOiIzZjJiOGMxZS"
        "05YTRkLTRlN2ItYjZhMi01YzBkOGUxZjdhOTMiLCJlbWFpbCI6ImxpLndlaUB4aWFvY2hlbmctdGVjaC5jbiIsIn"
        "JvbGVzIjpbIm1lcmNoYW50Il0sImlhdCI6MTc5MzY5ODIwMCwiZXhwIjoxNzkzNjk5MTAwLCJqdGkiOiJhNjc4Mz"
        "EwNS1jOTc2LTQzNjMtODc4OS0zYWU1ZjViZGUxNDYifQ.Lc0MtGUiXFxLrRGt52KbUoHZk0olciOrnDZd6ulbyv"
        "o-jfR2B7SzQ5IDHbQRHmemJZ6Jx0IitF6eNa7jRf32Bw"
    ),
    "refresh_token": REFRESH_TOKEN,
    "token_type": "Bearer",
    "expires_in": 900,
}
SESSION: JsonDict = {
    "account": ACCOUNT,
    "tokens": TOKENS,
    "next_step": "apply_workspace",
    "session_id": "b1d8a6c2-4e1f-4c9a-9b7e-2f6d3a8c5e10",
}
ME: JsonDict = {"account": ACCOUNT, "next_step": "application_under_review"}
JWKS: JsonDict = {
    "keys": [
        {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": "CgaIldSeF0FN5kWM2URZ5vAz7KCSw8ke7_COniCrRy0",
            "kid": "TXPb2ybLhh1q9FsSky2-Xu0V5BiC94lv-Ug0x_cj78g",
            "use": "sig",
            "alg": "EdDSA",
        }
    ]
}

MFA_CHALLENGE: JsonDict = {
    "mfa_required": True,
    "mfa_token": "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIzZjJiOGMxZSJ9.c2lnbmF0dXJl",
    "expires_in": 300,
    "methods": ["totp", "recovery_code"],
}
MFA_VERIFICATIONS: list[JsonValue] = [
    {"mfa_token": MFA_CHALLENGE["mfa_token"], "code": "492039"},
    {"mfa_token": MFA_CHALLENGE["mfa_token"], "recovery_code": "K7M2P-9QXRT"},
]
SESSIONS: JsonDict = {
    "items": [
        {
            "id": "b1d8a6c2-4e1f-4c9a-9b7e-2f6d3a8c5e10",
            "created_at": "2026-11-03T09:30:00Z",
            "last_used_at": "2026-11-03T10:05:00Z",
            "client_address": "203.0.113.7",
            "user_agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) Safari/605.1.15",
            "current": True,
        }
    ]
}
TOTP_ENROLMENT: JsonDict = {
    "secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    "otpauth_uri": "otpauth://totp/Mini%20Program%20Platform:li.wei%40xiaocheng-tech.cn"
    "?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Mini%20Program%20Platform",
    "qr_code": "data:image/svg+xml;charset=utf-8,%3Csvg%20xmlns%3D...%3C%2Fsvg%3E",
}
SESSIONS_ENDED: JsonDict = {"ended_sessions": 2}
LINK_TOKEN = "Zk3rT9vQ2mXpL7sWc4NbYh8J-1dGfA6uEoR0iKqVtS5"  # noqa: S105 (an example)
EMAIL_VERIFICATION: JsonDict = {"token": LINK_TOKEN}
VERIFICATION_MAIL: JsonDict = {"expires_at": "2026-11-04T09:30:00Z"}
PASSWORD_RESET: JsonDict = {"email": EMAIL}
PASSWORD_RESET_ACCEPTED: JsonDict = {
    "detail": "If an account has this email, a link to set a new password is on its way; it "
    "works once, for 30 minutes."
}
PASSWORD_RESET_CONFIRM: JsonDict = {"token": LINK_TOKEN, "password": "jasmine-tea-on-the-bund"}
PASSWORD_CHANGE: JsonDict = {
    "current_password": PASSWORD,
    "new_password": "jasmine-tea-on-the-bund",
}
TOTP_CONFIRM: JsonDict = {"code": "492039"}
RECOVERY_CODES: JsonDict = {
    "recovery_codes": [f"K7M2P-9QXR{digit}" for digit in "ABCDEFGHJK"],
}
# A current code, or one of the recovery codes instead.
SECOND_FACTORS: list[JsonValue] = [{"code": "492039"}, {"recovery_code": "K7M2P-9QXRT"}]
