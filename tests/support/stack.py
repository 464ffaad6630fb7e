"""The platform as `make dev` runs it: every service its own process, on real infrastructure.

For end-to-end and failure tests: a Mongo wire server process that can be restarted, a TCP
proxy in front of RabbitMQ that can be cut, service processes that can be killed and started
again.
"""

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pyotp

from accounts.tokens import generate_private_key_pem
from shared.sealing import generate_key
from tests.support.accounts import STRONG_PASSWORD
from tests.support.bus import delete_queues
from tests.support.images import image_bytes
from tests.support.infra import ROOT, free_port, mongo_wire_server
from tests.support.miniprograms import VALID
from tests.support.tcp_proxy import TcpProxy

SERVICES = ("accounts", "workspaces", "miniprograms", "notifier")
# Every queue a service declares (before the per-run suffix), to clean up after a run.
QUEUES = (
    "accounts.workspace-events",
    "workspaces.account-events",
    "workspaces.provisioning",
    "miniprograms.workspace-events",
    "workspaces.activity",
    "notifier.mail-events",
)
RETRY_DELAYS_MS = [200, 500, 1000]


async def _exited(process: subprocess.Popen[bytes], *, timeout: float) -> bool:
    deadline = asyncio.get_running_loop().time() + timeout
    while process.poll() is None:
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


@dataclass
class Stack:
    workdir: Path
    rabbitmq_url: str
    smtp_port: int
    run: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    ports: dict[str, int] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    mongo_port: int = 0
    rabbit_proxy: TcpProxy | None = None
    # The TOTP secret of each staff account create_staff made.
    totp_secrets: dict[str, str] = field(default_factory=dict)
    # Shared by every service process: what workspaces seals the notifier opens.
    mail_link_key: str = field(default_factory=generate_key)
    # Accounts' TOTP_SECRET_KEY: the service and its create-staff command seal with it.
    totp_secret_key: str = field(default_factory=generate_key)
    _mongo: Any = None

    def url(self, service: str, path: str = "") -> str:
        return f"http://127.0.0.1:{self.ports[service]}{path}"

    def env(self, service: str) -> dict[str, str]:
        assert self.rabbit_proxy is not None
        vhost = self.rabbitmq_url.rsplit("/", 1)[1]
        return {
            **os.environ,
            "HTTP_PORT": str(self.ports[service]),
            "MONGO_URL": f"mongodb://127.0.0.1:{self.mongo_port}/?directConnection=true",
            "MONGO_DATABASE": f"{service}_{self.run}",
            "MONGO_TIMEOUT_MS": "1000",
            "RABBITMQ_URL": f"amqp://guest:guest@127.0.0.1:{self.rabbit_proxy.port}/{vhost}",
            "BUS_QUEUE_SUFFIX": f".{self.run}",
            "BUS_RETRY_DELAYS_MS": str(RETRY_DELAYS_MS),
            "BUS_PUBLISH_TIMEOUT_S": "2",
            "OUTBOX_POLL_INTERVAL_S": "0.2",
            # Below the sum of the retry delays, so a dead sender's claim expires in time.
            "CLAIM_LEASE_S": "1.2",
            "JWKS_URL": self.url("accounts", "/.well-known/jwks.json"),
            "JWT_PRIVATE_KEY_FILE": str(self.workdir / "jwt.pem"),
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(self.smtp_port),
            "LOG_JSON": "false",
            "REFRESH_COOKIE_SECURE": "false",  # plain http on loopback
            "MAIL_LINK_KEY": self.mail_link_key,
            "TOTP_SECRET_KEY": self.totp_secret_key,
            "PYTHONUNBUFFERED": "1",
        }

    async def start(self) -> None:
        (self.workdir / "jwt.pem").write_bytes(generate_private_key_pem())
        self.mongo_port = free_port()
        self._mongo = mongo_wire_server(self.mongo_port, sqlite=self.workdir / "mongo.sqlite3")
        self._mongo.__enter__()
        self.rabbit_proxy = TcpProxy("127.0.0.1", 5672)
        await self.rabbit_proxy.start()
        for service in SERVICES:
            self.ports[service] = free_port()
        for service in SERVICES:
            self.start_service(service)
        await asyncio.gather(*(self.wait_ready(s) for s in SERVICES))

    def start_service(self, service: str) -> None:
        log = (self.workdir / f"{service}.log").open("ab")
        self.processes[service] = subprocess.Popen(
            [sys.executable, "-m", service],
            env=self.env(service),
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def kill(self, service: str) -> None:
        """SIGKILL: no cleanup, no goodbye, as a crash or an OOM kill."""
        process = self.processes.pop(service)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    async def wait_ready(self, service: str, timeout: float = 30) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        async with aiohttp.ClientSession() as session:
            while True:
                process = self.processes.get(service)
                if process is not None and process.poll() is not None:
                    raise RuntimeError(f"{service} exited:\n{self.log(service)}")
                try:
                    async with session.get(self.url(service, "/readyz")) as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                if asyncio.get_running_loop().time() > deadline:
                    raise TimeoutError(f"{service} not ready:\n{self.log(service)}")
                await asyncio.sleep(0.1)

    def stop_mongo(self) -> None:
        self._mongo.__exit__(None, None, None)
        self._mongo = None

    def start_mongo(self) -> None:
        self._mongo = mongo_wire_server(self.mongo_port, sqlite=self.workdir / "mongo.sqlite3")
        self._mongo.__enter__()

    def log(self, service: str) -> str:
        path = self.workdir / f"{service}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    async def create_staff(self, email: str, role: str, password: str) -> None:
        """With two-factor sign-in on (staff tokens carry the role only then): the secret is
        kept, and PlatformClient.log_in answers the code."""
        secret = pyotp.random_base32()
        self.totp_secrets[email] = secret
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "accounts",
            "create-staff",
            "--email",
            email,
            "--role",
            role,
            "--totp-secret",
            secret,
            "--password-stdin",
            env=self.env("accounts"),
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await process.communicate(f"{password}\n".encode())
        assert process.returncode == 0, out.decode()

    async def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            # Waited for without blocking the loop: the RabbitMQ proxy runs on it, and the
            # services close their AMQP connections through it while they shut down.
            if not await _exited(process, timeout=10):
                process.kill()
        self.processes.clear()
        if self._mongo is not None:
            self._mongo.__exit__(None, None, None)
        if self.rabbit_proxy is not None:
            await self.rabbit_proxy.cut()
        suffix = f".{self.run}"
        names = [
            f"{q}{suffix}{variant}"
            for q in QUEUES
            for variant in ("", ".dead", *(f".retry.{ms}ms" for ms in RETRY_DELAYS_MS))
        ]
        await delete_queues(self.rabbitmq_url, names)


class PlatformClient:
    """One user's HTTP session against the platform."""

    def __init__(self, stack: Stack, http: aiohttp.ClientSession) -> None:
        self.stack = stack
        self.http = http
        self.token = ""

    async def call(self, service: str, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        async with self.http.request(
            method, self.stack.url(service, path), headers=headers, **kwargs
        ) as response:
            body = await response.json() if response.content_type.endswith("json") else None
            return response.status, body

    async def log_in(self, email: str, password: str = STRONG_PASSWORD) -> dict[str, Any]:
        """Both steps when two-factor sign-in is on (staff): the code from the stack's secret."""
        status, session = await self.call(
            "accounts", "POST", "/v1/sessions", json={"email": email, "password": password}
        )
        if status == 202:
            status, session = await self._second_factor(email, session["mfa_token"])
        assert status == 200, session
        self.token = session["tokens"]["access_token"]
        return session

    async def _second_factor(self, email: str, mfa_token: str) -> tuple[int, Any]:
        totp = pyotp.TOTP(self.stack.totp_secrets[email])
        for _ in range(2):  # a code is taken once: the second try waits for the next one
            status, session = await self.call(
                "accounts",
                "POST",
                "/v1/sessions/mfa",
                json={"mfa_token": mfa_token, "code": totp.now()},
            )
            if status != 422:
                break
            await asyncio.sleep(totp.interval - time.time() % totp.interval + 0.1)
        return status, session

    async def create_mini_program(self, workspace_id: str, name: str) -> tuple[int, Any]:
        form = aiohttp.FormData()
        for key, value in {**VALID, "workspace_id": workspace_id, "name": name}.items():
            form.add_field(key, value)
        form.add_field(
            "logo", image_bytes("PNG", 96, 96), filename="logo.png", content_type="image/png"
        )
        return await self.call("miniprograms", "POST", "/v1/mini-programs", data=form)
