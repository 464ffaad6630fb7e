"""Access tokens (EdDSA JWTs), the JWKS that publishes their key, and opaque refresh tokens."""

import base64
import hashlib
import json
import logging
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

from accounts.settings import AccountsSettings

log = logging.getLogger(__name__)


class SigningKey:
    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self.private_key = private_key
        public_jwk: dict[str, Any] = json.loads(OKPAlgorithm.to_jwk(private_key.public_key()))
        self.kid = _thumbprint(public_jwk)
        self.public_jwk = {**public_jwk, "kid": self.kid, "use": "sig", "alg": "EdDSA"}

    @classmethod
    def from_settings(cls, settings: AccountsSettings) -> "SigningKey":
        pem: bytes | None = None
        if settings.jwt_private_key is not None:
            pem = settings.jwt_private_key.get_secret_value().encode()
        elif settings.jwt_private_key_file is not None:
            pem = settings.jwt_private_key_file.read_bytes()
        if pem is None:
            log.warning("no JWT_PRIVATE_KEY(_FILE) set: using a throwaway signing key")
            return cls(Ed25519PrivateKey.generate())
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the JWT signing key must be an Ed25519 private key")
        return cls(key)

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.public_jwk]}


def generate_private_key_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 key thumbprint: a kid that changes exactly when the key does."""
    members = {k: jwk[k] for k in ("crv", "kty", "x")}
    digest = hashlib.sha256(json.dumps(members, separators=(",", ":"), sort_keys=True).encode())
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


def issue_access_token(
    key: SigningKey,
    *,
    account_id: str,
    email: str,
    roles: list[str],
    issuer: str,
    audience: str,
    ttl: timedelta,
    session_id: str | None = None,
    now: datetime | None = None,
) -> str:
    """A signed access token issued `now` (by default the current time) in the session
    `session_id` (its `sid`: every service refuses it once that session is revoked)."""
    now = now or datetime.now(UTC)
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": account_id,
        "email": email,
        "roles": roles,
        "iat": now,
        "exp": now + ttl,
        "jti": str(uuid.uuid4()),
    }
    if session_id is not None:
        claims["sid"] = session_id
    return jwt.encode(claims, key.private_key, algorithm="EdDSA", headers={"kid": key.kid})


class InvalidMfaTokenError(Exception):
    """Not an MFA token of ours, or past its few minutes: log in again."""


def mfa_audience(audience: str) -> str:
    """The audience of the token between the password and the second factor: no service
    takes it for an access token (they require `audience` itself)."""
    return f"{audience}:mfa"


def issue_mfa_token(
    key: SigningKey, *, account_id: str, issuer: str, audience: str, ttl: timedelta, now: datetime
) -> str:
    """Proof that the password was right, good for `ttl`, to be completed by a code."""
    claims = {
        "iss": issuer,
        "aud": mfa_audience(audience),
        "sub": account_id,
        "iat": now,
        "exp": now + ttl,
        "jti": str(uuid.uuid4()),
    }
    return jwt.encode(claims, key.private_key, algorithm="EdDSA", headers={"kid": key.kid})


def read_mfa_token(
    key: SigningKey, token: str, *, issuer: str, audience: str, now: datetime
) -> str:
    """The account an MFA token was issued to; its expiry is checked against `now` (the
    service's clock)."""
    try:
        claims = jwt.decode(
            token,
            key=key.private_key.public_key(),
            algorithms=["EdDSA"],
            audience=mfa_audience(audience),
            issuer=issuer,
            options={"require": ["sub", "exp"], "verify_exp": False, "verify_iat": False},
        )
    except jwt.PyJWTError as exc:
        raise InvalidMfaTokenError("invalid MFA token") from exc
    if claims["exp"] <= now.timestamp():
        raise InvalidMfaTokenError("the MFA token has expired: log in again")
    return str(claims["sub"])


def new_link_token() -> str:
    """The token of a link in a mail (email verification, password reset)."""
    return secrets.token_urlsafe(32)


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Stored instead of a refresh or link token: a database leak hands out no session and
    no link (the tokens are random, so a fast hash suffices)."""
    return hashlib.sha256(token.encode()).hexdigest()


hash_refresh_token = hash_token
