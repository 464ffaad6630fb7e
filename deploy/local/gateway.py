"""One origin for `make dev` and the browser tests: the API prefixes to their services, every
other path to the console's static files.

    python deploy/local/gateway.py --port 8000 --accounts http://127.0.0.1:8001 \\
        --workspaces http://127.0.0.1:8002 --miniprograms http://127.0.0.1:8003 \\
        --notifier http://127.0.0.1:8004 --static console/dist

ROUTES is the one route table: docker-compose.yml's gateway and the Kubernetes Ingress are
tested against it. Paths and queries pass unchanged (no rewriting); request and response
bodies stream both ways, so Server-Sent Events arrive as the service writes them.
"""

import argparse
import asyncio
import json
import logging
import signal
import sys
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

# (path prefix, service): the one-origin table. A prefix matches itself and what lies below
# it (`/v1/accounts`, `/v1/accounts/me`), not a longer name (`/v1/accountsx`): the Kubernetes
# Ingress's pathType Prefix matches the same way. Every other path is the console's.
ROUTES: tuple[tuple[str, str], ...] = (
    ("/v1/accounts", "accounts"),
    ("/v1/sessions", "accounts"),
    ("/.well-known/", "accounts"),
    ("/v1/email-verifications", "accounts"),
    ("/v1/password-resets", "accounts"),
    ("/v1/workspace-applications", "workspaces"),
    ("/v1/workspaces", "workspaces"),
    ("/v1/review", "workspaces"),
    ("/v1/invitations", "workspaces"),
    ("/v1/activity", "workspaces"),
    ("/v1/mini-programs", "miniprograms"),
    ("/v1/industries", "miniprograms"),
    ("/v1/notifications", "notifier"),
    ("/v1/webhooks", "notifier"),
)
SERVICES = tuple(dict.fromkeys(service for _, service in ROUTES))

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_STATIC = ROOT / "console" / "dist"
PROBLEM_JSON = "application/problem+json"

# RFC 9110 section 7.6.1: meaningful for one connection only, never forwarded. Expect is
# answered here (aiohttp sends the 100 Continue), so it is not passed on either.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "expect",
    }
)
# Headers aiohttp's client would add on its own; a proxied request carries the client's only.
NO_AUTO_HEADERS = ("User-Agent", "Accept", "Accept-Encoding", "Content-Type")
# A service that does not accept the connection within this is reported down (502). Reading
# has no timeout: an event stream may stay quiet for as long as it likes.
CONNECT_TIMEOUT_S = 5.0
# On Ctrl-C, open responses (event streams) get this long before they are cut.
SHUTDOWN_TIMEOUT_S = 2.0

log = logging.getLogger("gateway")


@dataclass(frozen=True)
class GatewayConfig:
    upstreams: Mapping[str, URL]  # service -> origin, e.g. http://127.0.0.1:8001
    static: Path


CONFIG_KEY = web.AppKey("config", GatewayConfig)
SESSION_KEY = web.AppKey("session", aiohttp.ClientSession)


def service_for(path: str) -> str | None:
    """The service whose prefix matches the path, or None for the console."""
    for prefix, service in ROUTES:
        base = prefix.rstrip("/")
        if path == base or path.startswith(base + "/"):
            return service
    return None


def create_app(config: GatewayConfig) -> web.Application:
    missing = set(SERVICES) - set(config.upstreams)
    if missing:
        raise ValueError(f"no upstream for {', '.join(sorted(missing))}")
    app = web.Application()
    app[CONFIG_KEY] = config
    app.cleanup_ctx.append(_client_session)
    app.router.add_route("*", "/{path:.*}", handle)
    return app


async def _client_session(app: web.Application) -> AsyncIterator[None]:
    session = aiohttp.ClientSession(
        # Bodies pass through as the service encoded them (gzip stays gzip).
        auto_decompress=False,
        # Cookies belong to the browser, not to the gateway.
        cookie_jar=aiohttp.DummyCookieJar(),
        timeout=aiohttp.ClientTimeout(total=None, sock_connect=CONNECT_TIMEOUT_S),
    )
    app[SESSION_KEY] = session
    yield
    await session.close()


async def handle(request: web.Request) -> web.StreamResponse:
    service = service_for(request.path)
    if service is not None:
        return await proxy(request, service)
    return await serve_console(request)


async def proxy(request: web.Request, service: str) -> web.StreamResponse:
    origin = request.app[CONFIG_KEY].upstreams[service]
    if not request.raw_path.startswith("/"):
        return problem(400, "Bad request", "The request target must be a path.")
    # raw_path is the request target as sent (path and query, still percent-encoded).
    target = URL(str(origin) + request.raw_path, encoded=True)
    session = request.app[SESSION_KEY]
    try:
        upstream = await session.request(
            request.method,
            target,
            headers=forwarded_headers(request),
            data=request.content if request.body_exists else None,
            allow_redirects=False,
            skip_auto_headers=NO_AUTO_HEADERS,
        )
    except (aiohttp.ClientConnectionError, TimeoutError) as exc:
        log.warning("%s (%s) unreachable: %s", service, origin, exc)
        return problem(
            502,
            "Bad gateway",
            f"The {service} service at {origin} is not reachable: is it running?",
        )
    async with upstream:
        response = web.StreamResponse(status=upstream.status, reason=upstream.reason)
        for name, value in end_to_end(upstream.headers):
            response.headers.add(name, value)
        await response.prepare(request)
        try:
            # iter_any hands over what has arrived, at once: event streams are not held back.
            async for chunk in upstream.content.iter_any():
                await response.write(chunk)
        except ConnectionResetError:
            # The client went away (a closed tab ends its event stream): so does the upstream
            # request, when `async with` releases it.
            return response
        except (aiohttp.ClientError, TimeoutError) as exc:
            # The status line is gone already: all that is left is to cut the connection.
            log.warning("%s broke off its response to %s: %r", service, request.path, exc)
            response.force_close()
            return response
        await response.write_eof()
    return response


def forwarded_headers(request: web.Request) -> CIMultiDict[str]:
    headers = CIMultiDict(end_to_end(request.headers))
    # Appended, as nginx's $proxy_add_x_forwarded_for does: the rightmost entry is the peer
    # this gateway saw, the one accounts trusts (TRUST_FORWARDED_FOR).
    earlier = ", ".join(headers.popall("X-Forwarded-For", []))
    peer = request.remote or "unknown"
    headers["X-Forwarded-For"] = f"{earlier}, {peer}" if earlier else peer
    headers["X-Forwarded-Proto"] = request.scheme
    return headers


def end_to_end(headers: CIMultiDictProxy[str]) -> Iterable[tuple[str, str]]:
    """The headers without the hop-by-hop ones, including those the Connection header names."""
    named = {
        token.strip().lower()
        for value in headers.getall("Connection", [])
        for token in value.split(",")
    }
    for name, value in headers.items():
        if name.lower() not in HOP_BY_HOP and name.lower() not in named:
            yield name, value


async def serve_console(request: web.Request) -> web.StreamResponse:
    static = request.app[CONFIG_KEY].static
    index = static / "index.html"
    if request.method not in ("GET", "HEAD"):
        return problem(
            405,
            "Method not allowed",
            f"{request.path} is no API path; the console's files are read with GET.",
            headers={"Allow": "GET, HEAD"},
        )
    if not index.is_file():
        return console_not_built(static)
    if (file := static_file(static, request.path)) is not None:
        return web.FileResponse(file)
    # The console routes in the browser: any other path is one of its pages.
    return web.FileResponse(index, headers={"Cache-Control": "no-cache"})


def static_file(static: Path, path: str) -> Path | None:
    """The file under the static directory that the path names, if there is one."""
    if "\x00" in path:
        return None
    root = static.resolve()
    candidate = (root / path.lstrip("/")).resolve()
    if candidate != root and candidate.is_relative_to(root) and candidate.is_file():
        return candidate
    return None


def console_not_built(static: Path) -> web.Response:
    html = (
        "<!doctype html><meta charset=utf-8><title>Console not built</title>"
        "<h1>The console is not built</h1>"
        f"<p>No <code>index.html</code> in <code>{static}</code>. Build it with "
        "<code>cd console &amp;&amp; npm ci &amp;&amp; npm run build</code> "
        "(the gateway picks the files up without a restart).</p>"
        "<p>The API paths (<code>/v1/...</code>) work meanwhile.</p>"
    )
    return web.Response(status=503, text=html, content_type="text/html")


def problem(
    status: int, title: str, detail: str, *, headers: Mapping[str, str] | None = None
) -> web.Response:
    slug = title.lower().replace(" ", "-")
    body = {
        "type": f"https://errors.mpp.example/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    return web.Response(
        status=status, text=json.dumps(body), content_type=PROBLEM_JSON, headers=headers
    )


def parse_upstream(value: str) -> URL:
    url = URL(value)
    if url.scheme not in ("http", "https") or not url.host:
        raise argparse.ArgumentTypeError(f"not an http(s) URL: {value}")
    if url.path not in ("", "/") or url.query_string or url.fragment:
        raise argparse.ArgumentTypeError(f"an origin only, no path (no rewriting): {value}")
    return url.origin()


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0: any free port")
    for index, service in enumerate(SERVICES):
        parser.add_argument(
            f"--{service}",
            type=parse_upstream,
            default=URL(f"http://127.0.0.1:{8001 + index}"),
            help=f"origin of {service} (default: its `make dev` port)",
        )
    parser.add_argument("--static", type=Path, default=DEFAULT_STATIC, help="console/dist")
    return parser.parse_args(argv)


async def serve(*, host: str, port: int, config: GatewayConfig) -> None:
    runner = web.AppRunner(create_app(config), access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT_S)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    bound_host, bound_port = runner.addresses[0][:2]
    # The first line on stdout is the URL: the tests start it on port 0 and read it.
    print(f"http://{bound_host}:{bound_port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="gateway: %(message)s")
    upstreams = {service: getattr(args, service) for service in SERVICES}
    config = GatewayConfig(upstreams=upstreams, static=args.static)
    asyncio.run(serve(host=args.host, port=args.port, config=config))


if __name__ == "__main__":
    main(sys.argv[1:])
