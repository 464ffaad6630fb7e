"""HTTP API of the accounts service: the routes of each part, assembled with how the domain
errors answer."""

from accounts.api import accounts, identity, sessions, two_factor
from accounts.api.context import IDENTITY_KEY, SERVICE_KEY, SETTINGS_KEY, SIGNING_KEY
from accounts.api.models import REFRESH_COOKIE
from accounts.api.problems import PROBLEMS
from accounts.api.sessions import REFRESH_COOKIE_PATH
from accounts.field_codes import FIELD_CODES
from shared.openapi import Api

api = Api(
    title="Mini Program Platform: accounts",
    description="Merchants sign up (accepting the Terms of Service) and log in. Every service "
    "verifies the short-lived EdDSA access tokens against the keys published here, and refuses "
    "those of a session that was logged out or revoked within seconds; the refresh token, "
    "rotated on every use, also travels as an HttpOnly cookie that a browser's scripts never "
    "see. Failed logins are throttled per account and per client address (429 with "
    "Retry-After). Emails are verified by a mailed link, forgotten passwords reset by one; "
    "two-factor sign-in (TOTP) is open to every account and required of reviewers and admins "
    "before their tokens carry the staff role.",
    tags={
        "accounts": "Signup and the caller's own account, with the next step to show",
        "sessions": "Login (with its second factor), token refresh, logout, the session list",
        "identity": "Email verification, password reset and change",
        "two-factor": "Two-factor sign-in with an authenticator app (TOTP) and recovery codes",
        "keys": "The public keys (JWKS) that access tokens are verified with",
    },
    problems=PROBLEMS,
    field_codes=FIELD_CODES,
    include=[accounts.routes, sessions.routes, identity.routes, two_factor.routes],
)

__all__ = [
    "IDENTITY_KEY",
    "PROBLEMS",
    "REFRESH_COOKIE",
    "REFRESH_COOKIE_PATH",
    "SERVICE_KEY",
    "SETTINGS_KEY",
    "SIGNING_KEY",
    "api",
]
