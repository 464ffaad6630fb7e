"""Signing key ids, the published JWKS and refresh token hashing."""

import base64
import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from accounts.tokens import SigningKey, hash_refresh_token, new_refresh_token

# RFC 8037 appendix A.1 (private key) and A.3 (its RFC 7638 thumbprint).
_RFC8037_D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
_RFC8037_THUMBPRINT = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def test_kid_is_the_rfc7638_thumbprint_of_the_rfc8037_example_key() -> None:
    raw = base64.urlsafe_b64decode(_RFC8037_D + "=")

    key = SigningKey(Ed25519PrivateKey.from_private_bytes(raw))

    assert key.kid == _RFC8037_THUMBPRINT


def test_kid_is_stable_for_the_same_key() -> None:
    private_key = Ed25519PrivateKey.generate()

    assert SigningKey(private_key).kid == SigningKey(private_key).kid


def test_kid_differs_for_different_keys() -> None:
    first = SigningKey(Ed25519PrivateKey.generate())
    second = SigningKey(Ed25519PrivateKey.generate())

    assert first.kid != second.kid


def test_jwks_publishes_the_public_ed25519_key_for_signatures() -> None:
    key = SigningKey(Ed25519PrivateKey.generate())

    (jwk,) = key.jwks()["keys"]

    assert jwk["kty"] == "OKP"
    assert jwk["crv"] == "Ed25519"
    assert jwk["alg"] == "EdDSA"
    assert jwk["use"] == "sig"
    assert jwk["kid"] == key.kid
    assert "d" not in jwk  # the private part never leaves the service


def test_hash_refresh_token_is_deterministic_and_hides_the_token() -> None:
    token = new_refresh_token()

    hashed = hash_refresh_token(token)

    assert hashed == hash_refresh_token(token)
    assert hashed != token
    assert token not in hashed
    assert hashed == hashlib.sha256(token.encode()).hexdigest()


def test_different_refresh_tokens_hash_differently() -> None:
    assert hash_refresh_token(new_refresh_token()) != hash_refresh_token(new_refresh_token())
