"""One `make dev` stack and one Chromium for every browser test; a fresh context (own cookies
and storage) for each person in a test.

The stack is started by `deploy/local/dev.sh` exactly as a developer starts it, on its own
ports, data directory and queues, and stopped with Ctrl-C (SIGINT to its process group). The
console is the production build the gateway serves: `make console` (run by `make test`) builds
it in console/dist.
"""

import asyncio
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, expect, sync_playwright

from shared.settings import ServiceSettings
from tests.browser.support import (
    ADMIN,
    ARTIFACTS,
    CONSOLE,
    RECORD_ANNOUNCEMENTS,
    REVIEWER,
    TIMEZONE,
    Api,
    Browsing,
    Mailbox,
    Words,
)
from tests.support.bus import delete_queues
from tests.support.infra import ROOT, free_port
from tests.support.stack import QUEUES

pytestmark = pytest.mark.slow

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
STACK_START_TIMEOUT_S = 120  # two cold cores: four services, Mongo wire server, staff accounts
# The stack and the browser share two cores: a step may take longer than Playwright's 5 s.
EXPECT_TIMEOUT_MS = 15_000
VIEWPORT = {"width": 1280, "height": 800}

expect.set_options(timeout=EXPECT_TIMEOUT_MS)


@dataclass(frozen=True)
class DevStack:
    url: str
    data_dir: Path
    api: Api
    mailbox: Mailbox
    mongo_url: str  # the stack's Mongo wire server, for what only time could do (expiry)


def _consecutive_free_ports(count: int) -> int:
    while True:
        base = free_port()
        if base + count < 65000 and all(_is_free(base + i) for i in range(count)):
            return base


def _is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _wait_for_banner(process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STACK_START_TIMEOUT_S
    while "Ctrl-C stops it all" not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-6000:]
            pytest.fail(f"`make dev` did not come up (see {log}):\n{tail}", pytrace=False)
        time.sleep(0.2)


def _stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C, as a developer stops it
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _delete_queues(rabbitmq_url: str, suffix: str) -> None:
    retry_delays = ServiceSettings.model_fields["bus_retry_delays_ms"]
    delays = retry_delays.get_default(call_default_factory=True)
    names = [
        f"{queue}{suffix}{variant}"
        for queue in QUEUES
        for variant in ("", ".dead", *(f".retry.{ms}ms" for ms in delays))
    ]
    # Its own thread and loop: this thread's belongs to Playwright's sync API.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, delete_queues(rabbitmq_url, names)).result()


@pytest.fixture(scope="package")
def dev_stack(rabbitmq_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevStack]:
    """`make dev` on its own ports: the gateway (console and every API, one origin) on the
    port below the four services'."""
    if not (CONSOLE / "dist" / "index.html").exists():
        pytest.fail(
            "console/dist/index.html is missing: build the console first (`make console`; "
            "`make test` does it before pytest).",
            pytrace=False,
        )
    base = _consecutive_free_ports(5) + 1
    mongo_port = free_port()
    data_dir = tmp_path_factory.mktemp("browser-stack") / "data"
    suffix = f".browser-{base}"
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "DEV_PORT_BASE": str(base),
        "DEV_MONGO_PORT": str(mongo_port),
        "SMTP_PORT": str(free_port()),
        "RABBITMQ_URL": rabbitmq_url,
        "BUS_QUEUE_SUFFIX": suffix,
        # As in production (make dev turns it off): staff need two-factor sign-in.
        "STAFF_TWO_FACTOR_REQUIRED": "true",
    }
    env.pop("MONGO_URL", None)
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "dev-stack.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            ["bash", "deploy/local/dev.sh"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_banner(process, log)
        url = f"http://127.0.0.1:{base - 1}"
        api = Api(url)
        # The dev reviewer and admin enrol once; their authenticators sign them in later.
        for staff in (REVIEWER, ADMIN):
            api.enrol_two_factor(*staff)
        yield DevStack(
            url=url,
            data_dir=data_dir,
            api=api,
            mailbox=Mailbox(data_dir / "mail"),
            mongo_url=f"mongodb://127.0.0.1:{mongo_port}/?directConnection=true",
        )
    finally:
        _stop(process)
        _delete_queues(rabbitmq_url, suffix)


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(executable).exists():
        pytest.fail(f"no Chromium at {executable}: `make chromium` installs it", pytrace=False)
    browser = playwright.chromium.launch(
        executable_path=executable, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def grant_staff_role(dev_stack: DevStack) -> Callable[[str, str], None]:
    """`grant_staff_role(email, role)`: the operator command (`python -m accounts create-staff`)
    run against the stack, as `make dev` runs it for its reviewer and admin."""

    def grant(email_address: str, role: str) -> None:
        env = {
            **os.environ,
            "MONGO_URL": dev_stack.mongo_url,
            "MONGO_DATABASE": "accounts",
            "JWT_PRIVATE_KEY_FILE": str(dev_stack.data_dir / "jwt-ed25519.pem"),
            # The key make dev seals the TOTP secrets with (the command refuses to run without).
            "TOTP_SECRET_KEY": (dev_stack.data_dir / "totp-secret.key").read_text().strip(),
            "LOG_LEVEL": "WARNING",
        }
        command = [str(ROOT / ".venv" / "bin" / "python"), "-m", "accounts", "create-staff"]
        command += ["--email", email_address, "--role", role, "--password-stdin"]
        done = subprocess.run(
            command,
            input="unused-for-an-existing-account\n",
            env=env,
            text=True,
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr

    return grant


@pytest.fixture
def api(dev_stack: DevStack) -> Api:
    return dev_stack.api


@pytest.fixture
def mailbox(dev_stack: DevStack) -> Mailbox:
    return dev_stack.mailbox


@pytest.fixture
def person(browser: Browser, dev_stack: DevStack) -> Iterator[Callable[[str], Browsing]]:
    """`person(language)`: someone new at the browser, with their own context, in the console
    of the dev stack; every live region of their pages recorded (see `announced`)."""
    opened: list[Browsing] = []

    def open_browser(language: str) -> Browsing:
        context = browser.new_context(
            base_url=dev_stack.url, viewport=VIEWPORT, timezone_id=TIMEZONE, locale=language
        )
        context.set_default_timeout(EXPECT_TIMEOUT_MS)
        context.add_init_script(RECORD_ANNOUNCEMENTS)
        browsing = Browsing(
            context=context,
            page=context.new_page(),
            words=Words(language),
            authenticators=dev_stack.api.authenticators,
        )
        opened.append(browsing)
        return browsing

    yield open_browser
    for browsing in opened:
        browsing.context.close()
