"""Sealing the secrets that travel in events to the notifier (the token of a link in a mail).

A producer seals the raw secret into the event; the notifier, holding the same key
(`MAIL_LINK_KEY`), opens it only to compose the mail. So the secret is in clear nowhere
durable: not in the producer's outbox, the broker's queues and dead letters, or the
notifier's delivery log, which keeps the sealed form to render a resend. Fernet (AES-128-CBC
with HMAC-SHA256, from `cryptography`) authenticates as well as encrypts, so a forged or
altered value fails to open. Several keys, comma-separated, allow rotation: the first seals,
any opens.

The same sealer keeps other secrets at rest under their own setting (accounts seals each TOTP
secret with `TOTP_SECRET_KEY`): `Sealer.from_setting` names the setting in its warning or error.
"""

import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from pydantic import SecretStr

log = logging.getLogger(__name__)


class UnsealError(ValueError):
    """The value was not sealed with any of our keys, or was altered."""


class KeySettingError(ValueError):
    """A setting that must hold keys is unset, empty or malformed (the message names it)."""


class Sealer:
    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise ValueError("a sealer needs at least one key")
        self._fernet = MultiFernet([Fernet(key) for key in keys])

    @classmethod
    def from_setting(
        cls,
        value: SecretStr | None,
        *,
        service: str,
        setting: str = "MAIL_LINK_KEY",
        unset: str = "links in mails cannot be opened by another process",
        throwaway: bool = True,
    ) -> "Sealer":
        """From the setting named `setting` (comma-separated Fernet keys). Unset: a throwaway
        key with a warning saying what it costs (`unset`), so what this process seals no other
        process can open (fail closed, never a known key); or, where a throwaway would lose
        data (`throwaway` False), KeySettingError naming the setting."""
        if value is None:
            if not throwaway:
                raise KeySettingError(f"{service}: {setting} is not set")
            log.warning("%s: %s is not set; using a throwaway key, so %s", service, setting, unset)
            return cls([generate_key()])
        keys = [key.strip() for key in value.get_secret_value().split(",") if key.strip()]
        if not keys:
            raise KeySettingError(f"{service}: {setting} holds no key")
        try:
            return cls(keys)
        except ValueError as exc:  # not 32 url-safe base64-encoded bytes
            raise KeySettingError(f"{service}: {setting} holds a malformed key") from exc

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode("ascii")

    def unseal(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode()
        except (InvalidToken, UnicodeError) as exc:
            raise UnsealError("the sealed value does not open with our keys") from exc


def generate_key() -> str:
    """A new key (MAIL_LINK_KEY, TOTP_SECRET_KEY): 32 random bytes, url-safe base64."""
    return Fernet.generate_key().decode("ascii")


if __name__ == "__main__":
    print(generate_key())
