"""Run mongoeco's MongoDB-compatible wire server: the database of `make dev` and the tests
when MONGO_URL is not set. Services still talk real MongoDB wire protocol through PyMongo.

    python deploy/local/mongo_wire.py --port 27017 --sqlite .data/mongo.sqlite3
    python deploy/local/mongo_wire.py --port 0          # in memory, any free port
"""

import argparse
import asyncio
import signal
from pathlib import Path

from mongoeco.engines import SQLiteEngine
from mongoeco.wire import AsyncMongoEcoProxyServer


async def serve(*, host: str, port: int, sqlite: Path | None) -> None:
    if sqlite is not None:
        sqlite.parent.mkdir(parents=True, exist_ok=True)
    engine = SQLiteEngine(str(sqlite)) if sqlite is not None else None
    server = AsyncMongoEcoProxyServer(engine=engine, host=host, port=port)
    address = await server.start()
    # The first line on stdout is the URL: the test fixtures read it to find a free port.
    print(address.uri, flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=27017)
    parser.add_argument("--sqlite", type=Path, help="keep data in this file (default: memory)")
    args = parser.parse_args()
    asyncio.run(serve(host=args.host, port=args.port, sqlite=args.sqlite))


if __name__ == "__main__":
    main()
