"""Offline verification of access tokens against a JWKS, and the Bearer authenticate step."""

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

from shared.auth import VERIFIER_KEY, Principal, RevokedSessions, TokenVerifier, authenticate
from shared.http import PROBLEM_JSON, ProblemError, create_base_app, json_response

ISSUER = "https://accounts.test"
AUDIENCE = "mpp"
KID = "test-key-1"


class CountingLoader:
    """A JWKS loader that serves one key and counts how often it is asked."""

    def __init__(self, private_key: Ed25519PrivateKey, kid: str) -> None:
        public_jwk = json.loads(OKPAlgorithm.to_jwk(private_key.public_key()))
        self.jwks = {"keys": [{**public_jwk, "kid": kid}]}
        self.calls = 0

    async def __call__(self) -> dict[str, Any]:
        self.calls += 1
        return self.jwks


@pytest.fixture
def private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def loader(private_key: Ed25519PrivateKey) -> CountingLoader:
    return CountingLoader(private_key, KID)


@pytest.fixture
def verifier(loader: CountingLoader) -> TokenVerifier:
    return TokenVerifier(issuer=ISSUER, audience=AUDIENCE, load_jwks=loader)


def _claims(**overrides: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "acc-1",
        "email": "ana@example.com",
        "roles": ["merchant", "reviewer"],
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "jti": "jti-1",
    }
    claims.update(overrides)
    return claims


def _sign(private_key: Ed25519PrivateKey, claims: dict[str, Any], *, kid: str = KID) -> str:
    return jwt.encode(claims, private_key, algorithm="EdDSA", headers={"kid": kid})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64_json(value: dict[str, Any]) -> str:
    return _b64(json.dumps(value).encode())


def _unix_claims() -> dict[str, Any]:
    """Claims with numeric dates, for tokens assembled by hand."""
    claims = _claims()
    claims["iat"] = int(claims["iat"].timestamp())
    claims["exp"] = int(claims["exp"].timestamp())
    return claims


async def _rejected(verifier: TokenVerifier, token: str) -> ProblemError:
    with pytest.raises(ProblemError) as caught:
        await verifier.verify(token)
    assert caught.value.status == 401
    assert caught.value.headers["WWW-Authenticate"].startswith("Bearer")
    return caught.value


async def test_valid_token_gives_the_principal_with_its_roles(
    verifier: TokenVerifier, private_key: Ed25519PrivateKey
) -> None:
    principal = await verifier.verify(_sign(private_key, _claims()))

    assert principal == Principal(
        account_id="acc-1",
        email="ana@example.com",
        roles=frozenset({"merchant", "reviewer"}),
    )


async def test_token_with_tampered_payload_is_rejected_with_401(
    verifier: TokenVerifier, private_key: Ed25519PrivateKey
) -> None:
    header, _, signature = _sign(private_key, _claims()).split(".")
    forged_payload = _b64_json(_claims(roles=["admin"]) | {"iat": 0, "exp": 4102444800})

    await _rejected(verifier, f"{header}.{forged_payload}.{signature}")


async def test_token_with_tampered_signature_is_rejected_with_401(
    verifier: TokenVerifier, private_key: Ed25519PrivateKey
) -> None:
    header, payload, signature = _sign(private_key, _claims()).split(".")
    flipped = _b64(bytes(b ^ 0x01 for b in base64.urlsafe_b64decode(signature + "==")))

    await _rejected(verifier, f"{header}.{payload}.{flipped}")


async def test_token_signed_by_another_key_with_the_same_kid_is_rejected_with_401(
    verifier: TokenVerifier,
) -> None:
    await _rejected(verifier, _sign(Ed25519PrivateKey.generate(), _claims()))


async def test_expired_token_is_rejected_with_401(
    verifier: TokenVerifier, private_key: Ed25519PrivateKey
) -> None:
    past = datetime.now(UTC) - timedelta(hours=1)
    token = _sign(private_key, _claims(iat=past, exp=past + timedelta(minutes=5)))

    problem = await _rejected(verifier, token)

    assert problem.detail is not None
    assert "expired" in problem.detail


async def test_unsigned_alg_none_token_is_rejected_with_401(verifier: TokenVerifier) -> None:
    header = _b64_json({"alg": "none", "typ": "JWT", "kid": KID})

    await _rejected(verifier, f"{header}.{_b64_json(_unix_claims())}.")


async def test_hs256_token_keyed_with_the_public_key_is_rejected_with_401(
    verifier: TokenVerifier, private_key: Ed25519PrivateKey
) -> None:
    # The classic key-confusion attack: HMAC "signed" with the key anyone can download.
    public_pem = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = f"{_b64_json({'alg': 'HS256', 'kid': KID})}.{_b64_json(_unix_claims())}"
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()

    await _rejected(verifier, f"{signing_input}.{_b64(mac)}")


async def test_token_with_unknown_kid_is_rejected_with_401(
    verifier: TokenVerifier, private_key: Ed25519PrivateKey
) -> None:
    problem = await _rejected(verifier, _sign(private_key, _claims(), kid="someone-else"))

    assert problem.detail is not None
    assert "unknown key" in problem.detail


@pytest.mark.parametrize(
    "overrides", [{"aud": "another-audience"}, {"iss": "https://evil.test"}], ids=["aud", "iss"]
)
async def test_token_for_another_audience_or_issuer_is_rejected_with_401(
    verifier: TokenVerifier, private_key: Ed25519PrivateKey, overrides: dict[str, Any]
) -> None:
    await _rejected(verifier, _sign(private_key, _claims(**overrides)))


@pytest.mark.parametrize("missing", ["sub", "exp", "iat", "jti", "email", "roles"])
async def test_token_missing_a_required_claim_is_rejected_with_401(
    verifier: TokenVerifier, private_key: Ed25519PrivateKey, missing: str
) -> None:
    claims = _claims()
    del claims[missing]

    await _rejected(verifier, _sign(private_key, claims))


@pytest.mark.parametrize("token", ["garbage", "a.b.c", ""])
async def test_malformed_token_is_rejected_with_401(verifier: TokenVerifier, token: str) -> None:
    await _rejected(verifier, token)


async def test_with_no_keys_to_be_had_a_token_gets_503_saying_when_to_retry(
    private_key: Ed25519PrivateKey,
) -> None:
    async def accounts_down() -> dict[str, Any]:
        raise aiohttp.ClientConnectionError("connection refused")

    verifier = TokenVerifier(issuer=ISSUER, audience=AUDIENCE, load_jwks=accounts_down)

    with pytest.raises(ProblemError) as caught:
        await verifier.verify(_sign(private_key, _claims()))

    assert caught.value.status == 503
    assert caught.value.headers["Retry-After"] == "10"  # when the keys are fetched again


async def test_known_kid_is_served_from_cache(
    verifier: TokenVerifier, loader: CountingLoader, private_key: Ed25519PrivateKey
) -> None:
    for _ in range(3):
        await verifier.verify(_sign(private_key, _claims()))

    assert loader.calls == 1


async def test_repeated_unknown_kids_fetch_the_jwks_at_most_once_in_ten_seconds(
    verifier: TokenVerifier, loader: CountingLoader, private_key: Ed25519PrivateKey
) -> None:
    for attempt in range(5):
        await _rejected(verifier, _sign(private_key, _claims(), kid=f"forged-{attempt}"))

    assert loader.calls == 1


# --- authenticate() through a tiny app ---------------------------------------------------------


@pytest.fixture
async def client(
    serve: Callable[[web.Application], Any], verifier: TokenVerifier
) -> TestClient[Any, Any]:
    async def whoami(request: web.Request) -> web.Response:
        principal = await authenticate(request)
        return json_response({"account_id": principal.account_id})

    app = create_base_app(max_body_bytes=1024)
    app[VERIFIER_KEY] = verifier
    app.router.add_get("/me", whoami)
    started: TestClient[Any, Any] = await serve(app)
    return started


async def test_authenticate_accepts_a_valid_bearer_token(
    client: TestClient[Any, Any], private_key: Ed25519PrivateKey
) -> None:
    token = _sign(private_key, _claims())

    response = await client.get("/me", headers={"Authorization": f"Bearer {token}"})

    assert response.status == 200
    assert await response.json() == {"account_id": "acc-1"}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic YW5hOnNlY3JldA=="},
        {"Authorization": "Bearer not-a-jwt"},
    ],
    ids=["absent", "empty", "bearer-without-token", "basic", "garbage-token"],
)
async def test_authenticate_without_a_usable_bearer_token_is_401_with_www_authenticate(
    client: TestClient[Any, Any], headers: dict[str, str]
) -> None:
    response = await client.get("/me", headers=headers)

    assert response.status == 401
    assert response.content_type == PROBLEM_JSON
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="mpp"'


async def test_a_token_of_a_revoked_session_is_refused_and_one_of_another_session_is_not(
    verifier: TokenVerifier, private_key: Ed25519PrivateKey
) -> None:
    until = datetime.now(UTC) + timedelta(minutes=15)
    verifier.revoked.revoke("session-1", until=until)

    problem = await _rejected(verifier, _sign(private_key, _claims(sid="session-1")))
    principal = await verifier.verify(_sign(private_key, _claims(sid="session-2")))

    assert "session" in str(problem.detail)
    assert principal.session_id == "session-2"


def test_a_revoked_session_is_forgotten_once_its_tokens_have_expired() -> None:
    now = [datetime(2026, 12, 1, 12, 0, tzinfo=UTC)]
    revoked = RevokedSessions(clock=lambda: now[0])
    revoked.revoke("old", until=now[0] + timedelta(minutes=15))
    revoked.revoke("later", until=now[0] + timedelta(minutes=20))

    now[0] += timedelta(minutes=16)
    revoked.revoke("new", until=now[0] + timedelta(minutes=15))  # sweeps the expired

    assert "old" not in revoked
    assert "later" in revoked
    assert "new" in revoked
    assert len(revoked) == 2


def test_revoking_a_session_again_never_shortens_how_long_it_is_refused() -> None:
    now = datetime.now(UTC)
    revoked = RevokedSessions()
    revoked.revoke("s", until=now + timedelta(minutes=15))
    revoked.revoke("s", until=now - timedelta(minutes=1))  # an old event replayed

    assert "s" in revoked
