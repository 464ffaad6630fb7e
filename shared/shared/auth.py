"""Access tokens verified offline against the accounts service's JWKS."""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiohttp
import jwt
from aiohttp import web

from shared.http import ProblemError
from shared.mongo import Clock, utc_now

log = logging.getLogger(__name__)

# Only the algorithm accounts signs with: never "none", never an HMAC with a public key.
ALGORITHMS = ["EdDSA"]
# An unknown kid triggers a JWKS fetch at most this often, so forged kids cannot flood accounts.
_MIN_REFETCH_S = 10.0
# Keys are refreshed this often even when known, so a revoked key disappears.
_MAX_KEY_AGE_S = 300.0


# Revoked sessions are forgotten at most this often (a sweep of the expired entries).
_REVOCATION_SWEEP = timedelta(seconds=60)


@dataclass(frozen=True)
class Principal:
    account_id: str
    email: str
    roles: frozenset[str]
    # The login (refresh session) the token was issued in; None for tokens issued before
    # access tokens carried it (they expire within their lifetime).
    session_id: str | None = None


class RevokedSessions:
    """The sessions revoked lately, as this process heard of them from the bus: a token
    issued in one of them is refused. An entry is kept until every access token of that
    session has expired (revoked at + the tokens' lifetime), then dropped."""

    def __init__(self, *, clock: Clock = utc_now) -> None:
        self._clock = clock
        self._until: dict[str, datetime] = {}
        self._swept_at: datetime | None = None

    def revoke(self, session_id: str, *, until: datetime) -> None:
        self._until[session_id] = max(until, self._until.get(session_id, until))
        self._sweep()

    def __contains__(self, session_id: object) -> bool:
        until = self._until.get(str(session_id))
        return until is not None and until > self._clock()

    def __len__(self) -> int:
        return len(self._until)

    def _sweep(self) -> None:
        now = self._clock()
        if self._swept_at is not None and now - self._swept_at < _REVOCATION_SWEEP:
            return
        self._swept_at = now
        for session_id in [s for s, until in self._until.items() if until <= now]:
            del self._until[session_id]


type JwksLoader = Callable[[], Awaitable[dict[str, Any]]]


def unauthorized(detail: str) -> ProblemError:
    return ProblemError(
        401, "Unauthorized", detail=detail, headers={"WWW-Authenticate": 'Bearer realm="mpp"'}
    )


class TokenVerifier:
    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        load_jwks: JwksLoader,
        on_refresh_failure: Callable[[], None] = lambda: None,
        revoked: RevokedSessions | None = None,
    ) -> None:
        self._issuer = issuer
        self.revoked = revoked or RevokedSessions()
        self._on_refresh_failure = on_refresh_failure
        self._audience = audience
        self._load_jwks = load_jwks
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = float("-inf")  # last attempt to fetch the keys
        self._refreshed_at = float("-inf")  # last successful fetch
        self._lock = asyncio.Lock()

    async def verify(self, token: str) -> Principal:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError as exc:
            raise unauthorized("The access token is malformed") from exc
        key = await self._key(str(kid))
        if key is None:
            raise unauthorized("The access token was signed by an unknown key")
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=ALGORITHMS,
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["sub", "exp", "iat", "jti", "email", "roles"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise unauthorized("The access token has expired") from exc
        except jwt.PyJWTError as exc:
            raise unauthorized("The access token is invalid") from exc
        session_id = claims.get("sid")
        if session_id is not None and session_id in self.revoked:
            raise unauthorized("The access token's session was ended (logout or revocation)")
        return Principal(
            account_id=claims["sub"],
            email=claims["email"],
            roles=frozenset(claims["roles"]),
            session_id=None if session_id is None else str(session_id),
        )

    async def _key(self, kid: str) -> jwt.PyJWK | None:
        if self._wants_refresh(kid):
            async with self._lock:  # also waits for a fetch already in flight
                if (
                    self._wants_refresh(kid)
                    and time.monotonic() - self._fetched_at > _MIN_REFETCH_S
                ):
                    await self._refresh()
        if not self._keys:
            raise ProblemError(
                503,
                "Service unavailable",
                detail="Token keys cannot be fetched",
                # The keys are fetched again at most this often: asking sooner finds none.
                headers={"Retry-After": str(int(_MIN_REFETCH_S))},
            )
        return self._keys.get(kid)

    def _wants_refresh(self, kid: str) -> bool:
        return kid not in self._keys or time.monotonic() - self._refreshed_at > _MAX_KEY_AGE_S

    async def _refresh(self) -> None:
        # Counted as a fetch even when it fails: a down accounts service is asked at most
        # every _MIN_REFETCH_S, not once per request.
        self._fetched_at = time.monotonic()
        try:
            keys = jwt.PyJWKSet.from_dict(await self._load_jwks()).keys
        except (aiohttp.ClientError, TimeoutError, jwt.PyJWKSetError, ValueError) as exc:
            log.warning("could not refresh the token keys: %r", exc)
            self._on_refresh_failure()
            return  # keep the keys we have
        self._keys = {k.key_id: k for k in keys if k.key_id}
        self._refreshed_at = time.monotonic()


class HttpJwksLoader:
    """Fetches the JWKS over HTTP; close() it with the app."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._session: aiohttp.ClientSession | None = None

    async def __call__(self) -> dict[str, Any]:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=3))
        async with self._session.get(self._url) as response:
            response.raise_for_status()
            body: dict[str, Any] = await response.json()
            return body

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


VERIFIER_KEY = web.AppKey("token_verifier", TokenVerifier)
PRINCIPAL_KEY = web.RequestKey("principal", Principal)


async def authenticate(request: web.Request) -> Principal:
    """The caller from the Bearer token, or 401 (verified once per request)."""
    if PRINCIPAL_KEY in request:
        return request[PRINCIPAL_KEY]
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized("A Bearer access token is required")
    principal = await request.app[VERIFIER_KEY].verify(token.strip())
    request[PRINCIPAL_KEY] = principal
    return principal


def require_role(principal: Principal, role: str) -> None:
    if role not in principal.roles:
        raise ProblemError(403, "Forbidden", detail=f"This needs the {role} role")
