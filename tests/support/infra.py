"""Real infrastructure for the tests: the Mongo wire server, a RabbitMQ vhost, a free port."""

import os
import shutil
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MONGO_WIRE = ROOT / "deploy" / "local" / "mongo_wire.py"
DEFAULT_RABBITMQ = "amqp://guest:guest@127.0.0.1:5672/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def mongo_wire_server(
    port: int = 0, sqlite: Path | None = None
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """A mongoeco wire server in its own process, in memory or in a SQLite file (which
    survives a restart); yields (url, process)."""
    storage = ["--sqlite", str(sqlite)] if sqlite else []
    process = subprocess.Popen(
        [sys.executable, str(MONGO_WIRE), "--port", str(port), *storage],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        if not url.startswith("mongodb://"):
            raise RuntimeError(f"the Mongo wire server did not start (exit {process.poll()})")
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def rabbitmq_vhost() -> Iterator[str]:
    """An AMQP URL to a fresh vhost on the machine's RabbitMQ (removed afterwards), so the
    tests never meet the queues of a running `make dev`. RABBITMQ_URL overrides it."""
    if url := os.environ.get("RABBITMQ_URL"):
        yield url
        return
    ctl = shutil.which("rabbitmqctl")
    if ctl is None:
        yield DEFAULT_RABBITMQ
        return
    vhost = f"mpp-test-{uuid.uuid4().hex[:8]}"
    subprocess.run([ctl, "-q", "add_vhost", vhost], check=True)
    subprocess.run(
        [ctl, "-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"], check=True
    )
    try:
        yield f"{DEFAULT_RABBITMQ}{vhost}"
    finally:
        subprocess.run([ctl, "-q", "delete_vhost", vhost], check=False)
