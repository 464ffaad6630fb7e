from collections.abc import Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from accounts.app import create_app as create_accounts_app
from accounts.settings import AccountsSettings


@pytest.fixture
def accounts_settings(make_settings: Callable[..., Any]) -> AccountsSettings:
    settings: AccountsSettings = make_settings(AccountsSettings)
    return settings


@pytest.fixture
async def accounts(
    accounts_settings: AccountsSettings, serve: Callable[..., Any]
) -> TestClient[Any, Any]:
    client: TestClient[Any, Any] = await serve(create_accounts_app(accounts_settings))
    return client
