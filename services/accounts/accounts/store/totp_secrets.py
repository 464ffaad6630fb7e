"""TOTP secrets sealed at rest, so a copy of the database (a backup, a dump shared for
debugging) mints no codes: each account's secret is stored only sealed (shared.sealing, with
`TOTP_SECRET_KEY`, which only accounts holds).

Fernet has no associated data, so the account's id is sealed with the secret and checked on
opening: a sealed secret copied into another account's document does not open there.
"""

import hashlib
import json

from accounts.settings import AccountsSettings
from shared.sealing import Sealer, UnsealError


class TotpSecrets:
    def __init__(self, sealer: Sealer) -> None:
        self._sealer = sealer

    @classmethod
    def from_settings(cls, settings: AccountsSettings, *, command: bool = False) -> "TotpSecrets":
        """From TOTP_SECRET_KEY; unset, the service refuses to start (KeySettingError), since
        every enrolment sealed with a throwaway key is lost with the process. Only where the
        refresh cookie travels over plain http (a developer's machine, tests) a throwaway; never
        for an operator `command`, which seals for the running service."""
        return cls(
            Sealer.from_setting(
                settings.totp_secret_key,
                service=settings.service_name,
                setting="TOTP_SECRET_KEY",
                unset="two-factor enrolments made now stop working when this process ends",
                throwaway=not (command or settings.refresh_cookie_secure),
            )
        )

    def seal(self, account_id: str, secret: str) -> str:
        return self._sealer.seal(json.dumps({"account_id": account_id, "secret": secret}))

    def open(self, account_id: str, sealed: str) -> str:
        """The secret; UnsealError when it was sealed with none of our keys, altered, or
        sealed for another account."""
        opened = json.loads(self._sealer.unseal(sealed))
        if opened.get("account_id") != account_id:
            raise UnsealError("the secret was sealed for another account")
        secret: str = opened["secret"]
        return secret


def secret_hash(secret: str) -> str:
    """Stored beside the sealed secret, so confirming an enrolment can check in its write that
    it is still the pending one (a sealed value differs at each sealing). The secret is random
    (160 bits from pyotp), so a fast hash reveals nothing of it, as for refresh tokens."""
    return hashlib.sha256(secret.encode()).hexdigest()
