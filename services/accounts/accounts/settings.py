from pathlib import Path

from pydantic import SecretStr

from shared.settings import ServiceSettings


class AccountsSettings(ServiceSettings):
    service_name: str = "accounts"
    http_port: int = 8001
    mongo_database: str = "accounts"

    # Ed25519 signing key (PEM), given inline or as a file; several replicas must share it.
    jwt_private_key: SecretStr | None = None
    jwt_private_key_file: Path | None = None
    # (ACCESS_TOKEN_TTL_S is shared: the verifiers keep revoked sessions that long.)
    refresh_token_ttl_s: int = 30 * 24 * 3600

    # The refresh token also travels as an HttpOnly cookie, sent only over HTTPS. Plain-http
    # set-ups on 127.0.0.1 (`make dev`, tests) turn this off, or browsers never send it back.
    refresh_cookie_secure: bool = True

    terms_version: str = "2026-11-01"

    # Failed logins allowed per window before 429, per account and per client address.
    login_window_s: int = 900
    login_max_failures_per_account: int = 5
    login_max_failures_per_ip: int = 50
    # Behind a reverse proxy every request comes from the proxy: take the client address it
    # appended to X-Forwarded-For instead. Only enable when a trusted proxy sets the header.
    trust_forwarded_for: bool = False

    # argon2id cost, OWASP's minimum profile (about 20-30 ms here).
    argon2_memory_kib: int = 19 * 1024
    argon2_iterations: int = 2
    # Hashes run in this many threads: bounds CPU and memory a signup burst can take.
    argon2_threads: int = 2

    # Links mailed to the account: verifying the email (a resend at most once a minute) and
    # resetting the password (requests per window, per email and per client address).
    email_verification_ttl_s: int = 24 * 3600
    email_verification_resend_cooldown_s: int = 60
    password_reset_ttl_s: int = 30 * 60
    password_reset_window_s: int = 3600
    password_reset_max_per_email: int = 3
    password_reset_max_per_ip: int = 20

    # Two-factor sign-in: how long the password step's MFA token lasts, and the issuer name
    # authenticator apps show.
    mfa_token_ttl_s: int = 300
    totp_issuer: str = "Mini Program Platform"
    # Reviewers and admins get their staff role in tokens only once two-factor sign-in is on.
    # Only a developer's machine (make dev, until its console signs in with a code) turns
    # this off; never in production.
    staff_two_factor_required: bool = True

    # Seals each account's TOTP secret in its document (shared.sealing; accounts/totp_secrets.py):
    # comma-separated Fernet keys, the first seals, any opens (`python -m shared.sealing` makes
    # one). Losing it locks every enrolled account out of its codes, so it is required: the
    # service refuses to start without it, except where REFRESH_COOKIE_SECURE is off (plain
    # http on a developer's machine or in tests), which gets a throwaway key and a warning.
    totp_secret_key: SecretStr | None = None
