"""Checking a second factor: a TOTP code (its time step remembered, so never accepted twice)
or a recovery code (used up)."""

from datetime import datetime

from accounts.domain import Account, InvalidSecondFactorError
from accounts.domain.two_factor import hash_recovery_code
from accounts.store import AccountStore


async def check_second_factor(
    store: AccountStore,
    account: Account,
    *,
    code: str | None,
    recovery_code: str | None,
    now: datetime,
) -> None:
    """Accept the code or the recovery code, once; InvalidSecondFactorError otherwise (a wrong
    one, one used before, or the same one twice at once: one of them loses the write)."""
    if code is not None:
        accepted = await store.accept_code(account.accept_code(code, now=now))
    elif recovery_code is not None:
        used = account.use_recovery_code(hash_recovery_code(recovery_code))
        accepted = await store.use_recovery_code(used)
    else:
        accepted = False
    if not accepted:
        raise InvalidSecondFactorError("code used already")
