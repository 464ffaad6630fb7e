from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.support.smtp import SmtpServer, smtp_server
from tests.support.stack import Stack


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
async def stack(tmp_path: Path, rabbitmq_url: str, smtp: SmtpServer) -> AsyncIterator[Stack]:
    """The four services as separate processes, as `make dev` runs them."""
    platform = Stack(workdir=tmp_path, rabbitmq_url=rabbitmq_url, smtp_port=smtp.port)
    try:
        await platform.start()
        yield platform
    finally:
        await platform.stop()
