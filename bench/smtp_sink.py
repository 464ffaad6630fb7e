"""An SMTP server for the benchmarks, in its own process: accepts every message and prints
one line per message, `<CLOCK_MONOTONIC seconds> <first recipient>`, when DATA completes.

    python -m bench.smtp_sink --port 2525

CLOCK_MONOTONIC is system-wide on Linux, so the bench process compares these times with its
own time.monotonic(). The first line printed is `ready`.
"""

import argparse
import asyncio
import signal
import sys
import time
from typing import Any

from aiosmtpd.smtp import SMTP


class Recorder:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        sys.stdout.write(f"{time.monotonic():.6f} {envelope.rcpt_tos[0]}\n")
        sys.stdout.flush()
        return "250 2.0.0 OK: queued"


async def serve(port: int) -> None:
    loop = asyncio.get_running_loop()
    recorder = Recorder()
    # hostname given: aiosmtpd would otherwise look up the machine's FQDN (slow without DNS).
    server = await loop.create_server(
        lambda: SMTP(recorder, hostname="bench.smtp"), "127.0.0.1", port
    )
    print("ready", flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.close()
    await server.wait_closed()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    asyncio.run(serve(parser.parse_args().port))


if __name__ == "__main__":
    main()
