"""A typed client generated from each service's OpenAPI document by a real generator
(openapi-python-client) calls the running service: the documents are complete enough for it."""

import importlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from accounts.api import api as accounts_api
from miniprograms.api import api as miniprograms_api
from notifier.api import api as notifier_api
from notifier.app import create_app as create_notifier_app
from notifier.settings import NotifierSettings
from shared.openapi import Api
from tests.support.accounts import STRONG_PASSWORD, new_email, staff_token
from tests.support.images import image_bytes
from tests.support.infra import free_port
from workspaces.api import api as workspaces_api

VENV_BIN = Path(sys.executable).parent
DOCUMENTS: dict[str, Api] = {
    "accounts": accounts_api,
    "workspaces": workspaces_api,
    "miniprograms": miniprograms_api,
    "notifier": notifier_api,
}


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Each service's generated client package, imported."""
    root = tmp_path_factory.mktemp("generated")
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}"}
    for name, api in DOCUMENTS.items():
        document = root / f"{name}.json"
        document.write_text(json.dumps(api.openapi()))
        subprocess.run(
            [
                str(VENV_BIN / "openapi-python-client"),
                "generate",
                "--path",
                str(document),
                "--output-path",
                str(root / f"{name}_client"),
                "--meta",
                "none",
            ],
            check=True,
            env=env,
            capture_output=True,
            timeout=120,
        )
    sys.path.insert(0, str(root))
    try:
        yield {name: importlib.import_module(f"{name}_client") for name in DOCUMENTS}
    finally:
        sys.path.remove(str(root))
        for module in [m for m in sys.modules if m.split(".")[0].endswith("_client")]:
            del sys.modules[module]


def _module(clients: dict[str, Any], service: str, path: str) -> Any:
    return importlib.import_module(f"{service}_client.{path}")


def _base(client: TestClient[Any, Any]) -> str:
    return str(client.make_url("")).rstrip("/")


async def test_generated_clients_sign_up_apply_and_are_reviewed(
    clients: dict[str, Any],
    accounts: TestClient[Any, Any],
    workspaces: TestClient[Any, Any],
    miniprograms: TestClient[Any, Any],
) -> None:
    accounts_client = clients["accounts"]
    models = _module(clients, "accounts", "models")
    create_account = _module(clients, "accounts", "api.accounts.create_account")
    email = new_email()
    anonymous = accounts_client.Client(base_url=_base(accounts))

    signed_up = await create_account.asyncio(
        client=anonymous,
        body=models.AccountCreate(
            email=email, password=STRONG_PASSWORD, full_name="Ada 李", accept_terms=True
        ),
    )

    assert isinstance(signed_up, models.SessionRead)
    assert signed_up.account.email == email
    token = signed_up.tokens.access_token
    ws = clients["workspaces"]
    ws_models = _module(clients, "workspaces", "models")
    merchant = ws.AuthenticatedClient(base_url=_base(workspaces), token=token)
    save_draft = _module(clients, "workspaces", "api.applications.save_draft")
    put_logo = _module(clients, "workspaces", "api.applications.put_draft_logo")
    submit = _module(clients, "workspaces", "api.applications.submit_application")

    draft = await save_draft.asyncio(
        client=merchant,
        body=ws_models.DraftUpdate(
            role="technical_merchant", company_name="杭州小程序科技有限公司"
        ),
    )
    with_logo = await put_logo.asyncio_detailed(
        client=merchant,
        body=ws.types.File(payload=image_bytes("PNG", 64, 64), mime_type="image/png"),
    )
    submitted = await submit.asyncio(client=merchant)

    assert isinstance(draft, ws_models.ApplicationRead)
    assert draft.company_name == "杭州小程序科技有限公司"
    assert with_logo.status_code == 200
    assert isinstance(submitted, ws_models.ApplicationRead)
    assert str(submitted.status) == "under_review"

    reviewer = ws.AuthenticatedClient(
        base_url=_base(workspaces), token=await staff_token(accounts, "reviewer")
    )
    decide = _module(clients, "workspaces", "api.review.decide_application")
    decided = await decide.asyncio(
        id=submitted.id,
        client=reviewer,
        body=ws_models.DecisionCreate(decision=ws_models.DecisionCreateDecision("approve")),
    )
    assert isinstance(decided, ws_models.ApplicationRead)
    assert str(decided.status) == "approved"

    mp = clients["miniprograms"]
    industries = _module(clients, "miniprograms", "api.industries.list_industries")
    found = await industries.asyncio(client=mp.Client(base_url=_base(miniprograms)), q="游戏")
    assert found is not None
    assert found.items


async def test_the_generated_notifier_client_lists_failed_mails_as_admin(
    clients: dict[str, Any],
    accounts: TestClient[Any, Any],
    make_settings: Callable[..., Any],
    serve: Callable[..., Any],
) -> None:
    settings = make_settings(
        NotifierSettings,
        jwks_url=str(accounts.make_url("/.well-known/jwks.json")),
        smtp_port=free_port(),
    )
    notifier: TestClient[Any, Any] = await serve(create_notifier_app(settings))
    nt = clients["notifier"]
    admin = nt.AuthenticatedClient(
        base_url=_base(notifier), token=await staff_token(accounts, "admin")
    )
    list_notifications = _module(clients, "notifier", "api.notifications.list_notifications")
    models = _module(clients, "notifier", "models")

    listed = await list_notifications.asyncio(
        client=admin, status=models.NotificationStatus("failed")
    )

    assert listed is not None
    assert listed.items == []
