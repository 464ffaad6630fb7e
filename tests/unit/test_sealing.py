"""Sealed secrets: what a producer seals only a holder of the key opens, unaltered; a key
setting that is unset or bad is named in the warning or the error."""

import pytest
from pydantic import SecretStr

from shared.sealing import KeySettingError, Sealer, UnsealError, generate_key


def test_a_sealed_token_opens_with_the_same_key_and_does_not_show_the_token() -> None:
    key = generate_key()
    sealed = Sealer([key]).seal("raw-token-Ωmega")

    assert "raw-token" not in sealed
    assert Sealer.from_setting(SecretStr(key), service="test").unseal(sealed) == "raw-token-Ωmega"


def test_another_key_or_an_altered_value_does_not_open() -> None:
    sealed = Sealer([generate_key()]).seal("raw-token")

    with pytest.raises(UnsealError):
        Sealer([generate_key()]).unseal(sealed)
    with pytest.raises(UnsealError):
        Sealer([generate_key()]).unseal(sealed[:-4] + "AAAA")
    with pytest.raises(UnsealError):
        Sealer([generate_key()]).unseal("not sealed at all")


def test_after_a_rotation_the_new_key_seals_and_the_old_one_still_opens() -> None:
    old, new = generate_key(), generate_key()
    sealed_before = Sealer([old]).seal("before")
    rotated = Sealer.from_setting(SecretStr(f"{new}, {old}"), service="test")

    assert rotated.unseal(sealed_before) == "before"
    assert Sealer([new]).unseal(rotated.seal("after")) == "after"


def test_without_a_key_a_throwaway_one_opens_nothing_sealed_elsewhere() -> None:
    one = Sealer.from_setting(None, service="test")
    other = Sealer.from_setting(None, service="test")

    assert one.unseal(one.seal("x")) == "x"
    with pytest.raises(UnsealError):
        other.unseal(one.seal("x"))


def test_the_warning_for_an_unset_key_names_the_setting_and_what_it_costs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    Sealer.from_setting(None, service="test")
    Sealer.from_setting(None, service="test", setting="OTHER_KEY", unset="nothing survives")

    assert "MAIL_LINK_KEY is not set" in caplog.records[0].getMessage()
    assert "OTHER_KEY is not set" in caplog.records[1].getMessage()
    assert "nothing survives" in caplog.records[1].getMessage()


def test_where_a_throwaway_key_would_lose_data_an_unset_or_bad_key_is_refused() -> None:
    with pytest.raises(KeySettingError, match="test: OTHER_KEY is not set"):
        Sealer.from_setting(None, service="test", setting="OTHER_KEY", throwaway=False)
    with pytest.raises(KeySettingError, match="OTHER_KEY holds no key"):
        Sealer.from_setting(SecretStr(" , "), service="test", setting="OTHER_KEY")
    with pytest.raises(KeySettingError, match="OTHER_KEY holds a malformed key"):
        Sealer.from_setting(SecretStr("short"), service="test", setting="OTHER_KEY")
