"""TOTP secrets sealed for one account (its id sealed with the secret), the key rotation, and
the start-up rule: no throwaway key but on a developer's machine, never for an operator command."""

import pytest
from pydantic import SecretStr

from accounts.settings import AccountsSettings
from accounts.store.totp_secrets import TotpSecrets
from shared.sealing import KeySettingError, Sealer, UnsealError, generate_key

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_a_sealed_secret_opens_for_its_account_only_and_does_not_show_it() -> None:
    secrets = TotpSecrets(Sealer([generate_key()]))

    sealed = secrets.seal("account-1", SECRET)

    assert SECRET not in sealed
    assert secrets.open("account-1", sealed) == SECRET
    with pytest.raises(UnsealError, match="another account"):
        secrets.open("account-2", sealed)
    with pytest.raises(UnsealError):
        secrets.open("account-1", sealed[:-4] + "AAAA")


def test_after_a_rotation_the_old_key_still_opens_and_the_new_one_seals() -> None:
    old, new = generate_key(), generate_key()
    sealed_before = TotpSecrets(Sealer([old])).seal("account-1", SECRET)
    rotated = TotpSecrets.from_settings(AccountsSettings(totp_secret_key=SecretStr(f"{new},{old}")))

    sealed_after = rotated.seal("account-1", SECRET)

    assert rotated.open("account-1", sealed_before) == SECRET
    assert TotpSecrets(Sealer([new])).open("account-1", sealed_after) == SECRET
    with pytest.raises(UnsealError):
        TotpSecrets(Sealer([old])).open("account-1", sealed_after)


def test_an_unset_key_is_refused_but_on_a_developer_machine() -> None:
    with pytest.raises(KeySettingError, match="accounts: TOTP_SECRET_KEY is not set"):
        TotpSecrets.from_settings(AccountsSettings(totp_secret_key=None))
    throwaway = TotpSecrets.from_settings(
        AccountsSettings(totp_secret_key=None, refresh_cookie_secure=False)
    )
    assert throwaway.open("a", throwaway.seal("a", SECRET)) == SECRET


def test_an_operator_command_never_seals_with_a_throwaway_key() -> None:
    with pytest.raises(KeySettingError, match="TOTP_SECRET_KEY is not set"):
        TotpSecrets.from_settings(
            AccountsSettings(totp_secret_key=None, refresh_cookie_secure=False), command=True
        )
