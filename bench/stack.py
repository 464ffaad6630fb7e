"""The platform as the benchmarks run it: a fresh RabbitMQ vhost (deleted afterwards), the Mongo
wire server in memory, an SMTP sink and the four services, each its own process, plus the bare
floor app. Every log goes to bench/results/last-run/<process>.log.

Leaner than tests.support.stack.Stack on purpose: no TCP proxy in front of RabbitMQ (it would
run on the load generator's event loop) and the SMTP server in its own process, so the bench
process does nothing but generate load and take times.

BENCH_PROFILE=miniprograms,mongo,floor (any process names) runs those under cProfile; the
profiles land in bench/results/profiles/<name>.prof when they stop. The profiler inflates their
CPU time: use such a run for the profile only.
"""

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import aiohttp
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from accounts.tokens import SigningKey, generate_private_key_pem, issue_access_token
from tests.support.infra import MONGO_WIRE, ROOT, free_port, rabbitmq_vhost

SERVICES = ("accounts", "workspaces", "miniprograms", "notifier")
ISSUER = "mpp-accounts"  # the services' default JWT_ISSUER / JWT_AUDIENCE
AUDIENCE = "mpp"
RESULTS = ROOT / "bench" / "results"


async def _exited(process: subprocess.Popen[bytes], *, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while process.poll() is None:
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


class BenchStack:
    def __init__(self, workdir: Path, *, profile: set[str]) -> None:
        self.workdir = workdir
        self.profile = profile
        self.ports: dict[str, int] = {}
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.mails: dict[str, float] = {}  # recipient -> when the SMTP sink had the message
        self.smtp_port = free_port()
        self.mongo_url = ""
        self.rabbitmq_url = ""
        self._vhost = contextlib.ExitStack()
        self._smtp: asyncio.subprocess.Process | None = None
        self._smtp_reader: asyncio.Task[None] | None = None
        pem = generate_private_key_pem()
        (workdir / "jwt.pem").write_bytes(pem)
        private_key = serialization.load_pem_private_key(pem, password=None)
        assert isinstance(private_key, Ed25519PrivateKey)
        self.key = SigningKey(private_key)

    def url(self, name: str, path: str = "") -> str:
        return f"http://127.0.0.1:{self.ports[name]}{path}"

    def pid(self, name: str) -> int:
        return self.processes[name].pid

    @property
    def mongo_pid(self) -> int:
        return self.pid("mongo")

    def token(self, *, account_id: str, email: str, roles: list[str]) -> str:
        """A real access token, signed with the key accounts signs with."""
        token: str = issue_access_token(
            self.key,
            account_id=account_id,
            email=email,
            roles=roles,
            issuer=ISSUER,
            audience=AUDIENCE,
            ttl=timedelta(hours=1),
        )
        return token

    # --- start and stop -----------------------------------------------------------------

    async def start(self) -> None:
        self.rabbitmq_url = self._vhost.enter_context(rabbitmq_vhost())
        mongo_port = free_port()
        await self.spawn(
            "mongo",
            [*self.python("mongo"), str(MONGO_WIRE), "--port", str(mongo_port)],
            dict(os.environ),
            ready_marker="mongodb://",
        )
        self.mongo_url = f"mongodb://127.0.0.1:{mongo_port}/?directConnection=true"
        await self._start_smtp_sink()
        for name in (*SERVICES, "floor"):
            self.ports[name] = free_port()
        for service in SERVICES:
            await self.spawn(service, [*self.python(service), "-m", service], self._env(service))
        floor = ["-m", "bench.floor_http", "--port", str(self.ports["floor"])]
        await self.spawn("floor", [*self.python("floor"), *floor], self.floor_env())
        await asyncio.gather(
            *(self._wait_ready(s, "/readyz") for s in SERVICES),
            self._wait_ready("floor", "/healthz"),
        )

    async def stop(self) -> None:
        mongo = self.processes.pop("mongo", None)
        for name in list(self.processes):
            await self.stop_process(name)
        if mongo is not None:  # last: the services close their connections to it first
            self.processes["mongo"] = mongo
            await self.stop_process("mongo")
        if self._smtp is not None and self._smtp.returncode is None:
            self._smtp.terminate()
            await self._smtp.wait()
        if self._smtp_reader is not None:
            self._smtp_reader.cancel()
        self._vhost.close()

    async def stop_process(self, name: str) -> None:
        process = self.processes.pop(name)
        process.terminate()
        if not await _exited(process, timeout=15):
            print(f"bench: {name} did not stop; killing it", file=sys.stderr)
            process.kill()
            process.wait()

    def python(self, name: str) -> list[str]:
        """The interpreter, under cProfile when BENCH_PROFILE names this process."""
        if name not in self.profile:
            return [sys.executable]
        (RESULTS / "profiles").mkdir(parents=True, exist_ok=True)
        return [sys.executable, "-m", "cProfile", "-o", str(RESULTS / "profiles" / f"{name}.prof")]

    def _env(self, service: str) -> dict[str, str]:
        return {
            **os.environ,
            "HTTP_PORT": str(self.ports[service]),
            "MONGO_URL": self.mongo_url,
            "MONGO_DATABASE": service,
            "RABBITMQ_URL": self.rabbitmq_url,
            "JWKS_URL": self.url("accounts", "/.well-known/jwks.json"),
            "JWT_PRIVATE_KEY_FILE": str(self.workdir / "jwt.pem"),
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(self.smtp_port),
            "PYTHONUNBUFFERED": "1",
        }

    def floor_env(self) -> dict[str, str]:
        return {
            **os.environ,
            "MONGO_URL": self.mongo_url,
            "RABBITMQ_URL": self.rabbitmq_url,
            "JWT_PRIVATE_KEY_FILE": str(self.workdir / "jwt.pem"),
            "PYTHONUNBUFFERED": "1",
        }

    async def spawn(
        self,
        name: str,
        command: list[str],
        env: dict[str, str],
        *,
        ready_marker: str | None = None,
        timeout: float = 30,
    ) -> None:
        """Start a process logging to <name>.log; with a marker, wait until it logs it."""
        self._popen(name, command, env)
        deadline = time.monotonic() + timeout
        while ready_marker is not None and ready_marker not in self.log_tail(name):
            if self.processes[name].poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start:\n{self.log_tail(name)}")
            await asyncio.sleep(0.1)

    def _popen(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log = (self.workdir / f"{name}.log").open("ab")
        # Our own interpreter and modules, with arguments we built: nothing untrusted.
        self.processes[name] = subprocess.Popen(  # noqa: S603
            command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )

    def log_tail(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    async def _wait_ready(self, name: str, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession() as http:
            while True:
                if self.processes[name].poll() is not None:
                    raise RuntimeError(f"{name} exited:\n{self.log_tail(name)}")
                with contextlib.suppress(aiohttp.ClientError):
                    async with http.get(self.url(name, path)) as response:
                        if response.status == 200:
                            return
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{name} not ready:\n{self.log_tail(name)}")
                await asyncio.sleep(0.1)

    # --- mail ---------------------------------------------------------------------------

    async def _start_smtp_sink(self) -> None:
        self._smtp = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.smtp_sink",
            "--port",
            str(self.smtp_port),
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
        )
        assert self._smtp.stdout is not None
        line = await asyncio.wait_for(self._smtp.stdout.readline(), 20)
        if line.strip() != b"ready":
            raise RuntimeError("the SMTP sink did not start")
        self._smtp_reader = asyncio.create_task(self._read_mails(self._smtp.stdout))

    async def _read_mails(self, stdout: asyncio.StreamReader) -> None:
        async for line in stdout:
            at, recipient = line.decode().split()
            self.mails[recipient] = float(at)

    async def wait_for_mails(self, recipients: list[str], *, timeout: float) -> int:
        """Wait until every recipient has a mail (or the timeout); returns how many do."""
        deadline = time.monotonic() + timeout
        while True:
            arrived = sum(r in self.mails for r in recipients)
            if arrived == len(recipients) or time.monotonic() > deadline:
                return arrived
            await asyncio.sleep(0.05)
