"""deploy/local/gateway.py as `make dev` runs it: its own process, in front of small aiohttp
services on loopback ports, with a console build of two files."""

import asyncio
import hashlib
import importlib.util
import json
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestServer
from yarl import URL

from tests.support.infra import free_port

ROOT = Path(__file__).resolve().parents[2]
GATEWAY = ROOT / "deploy" / "local" / "gateway.py"
INDEX_HTML = "<!doctype html><title>console</title><div id=root></div>"
ASSET_JS = "console.log('the console')"
# Upstreams tell the test what they saw of each request.
SEEN = web.AppKey("seen", list)
RELEASE = web.AppKey("release", asyncio.Event)


def load_gateway() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gateway", GATEWAY)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ROUTES: tuple[tuple[str, str], ...] = load_gateway().ROUTES
SERVICES = tuple(dict.fromkeys(service for _, service in ROUTES))

# One gateway process and one set of services for the module (each test starting its own
# would spend most of its time starting Python); the services forget between tests.
pytestmark = pytest.mark.asyncio(loop_scope="module")


# --- the services behind the gateway -------------------------------------------------------------


def upstream_app(name: str) -> web.Application:
    app = web.Application(client_max_size=16 * 1024 * 1024)
    app[SEEN] = []
    app[RELEASE] = asyncio.Event()

    async def echo(request: web.Request) -> web.StreamResponse:
        if request.path.endswith("/events"):
            return await events(request)
        body = await request.read()
        seen = {
            "service": name,
            "method": request.method,
            "raw_path": request.raw_path,
            "headers": {key.lower(): value for key, value in request.headers.items()},
            "body_sha256": hashlib.sha256(body).hexdigest(),
            "body_length": len(body),
        }
        request.app[SEEN].append(seen)
        response = web.json_response(seen, status=201 if request.method == "POST" else 200)
        response.headers["X-Upstream"] = name
        response.headers["Location"] = f"{request.path}/42"
        response.set_cookie("a", "1")
        response.set_cookie("b", "2")
        return response

    async def events(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
        )
        await response.prepare(request)
        await response.write(b"data: first\n\n")
        # The second event waits until the test has received the first through the gateway.
        await asyncio.wait_for(request.app[RELEASE].wait(), 10)
        await response.write(b"data: second\n\n")
        await response.write_eof()
        return response

    app.router.add_route("*", "/{path:.*}", echo)
    return app


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def upstreams() -> AsyncIterator[dict[str, TestServer]]:
    servers = {name: TestServer(upstream_app(name), host="127.0.0.1") for name in SERVICES}
    for server in servers.values():
        await server.start_server()
    yield servers
    for server in servers.values():
        await server.close()


@pytest.fixture(autouse=True)
def fresh_upstreams(upstreams: dict[str, TestServer]) -> None:
    for server in upstreams.values():
        server.app[SEEN].clear()
        server.app[RELEASE].clear()


@pytest.fixture(scope="module")
def console_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    build = tmp_path_factory.mktemp("console")
    dist = build / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(INDEX_HTML)
    (dist / "assets" / "app.js").write_text(ASSET_JS)
    (build / "secret.txt").write_text("outside the build")
    return dist


# --- the gateway process -------------------------------------------------------------------------


@asynccontextmanager
async def running_gateway(*, upstreams: dict[str, str], static: Path) -> AsyncIterator[URL]:
    arguments = [f"--{name}={url}" for name, url in upstreams.items()]
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(GATEWAY),
        "--host=127.0.0.1",
        "--port=0",
        f"--static={static}",
        *arguments,
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode().strip()
        if not line.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"the gateway did not start (exit {process.returncode}): {line}")
        yield URL(line)
    finally:
        if process.returncode is None:
            process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            process.kill()
            await process.wait()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def gateway(upstreams: dict[str, TestServer], console_dist: Path) -> AsyncIterator[URL]:
    urls = {name: str(server.make_url("/")).rstrip("/") for name, server in upstreams.items()}
    async with running_gateway(upstreams=urls, static=console_dist) as url:
        yield url


@pytest_asyncio.fixture(loop_scope="module")
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
        yield session


def at(gateway: URL, path_and_query: str) -> URL:
    """The URL exactly as written: no re-encoding of the path or the query."""
    return URL(f"{gateway}{path_and_query}", encoded=True)


def example_path(prefix: str) -> str:
    return prefix.rstrip("/") + "/some%2Fthing/x?b=2&a=1&a=%E4%B8%AD%20x&empty="


# --- routing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("prefix", "service"), ROUTES)
async def test_each_prefix_reaches_its_service_with_path_and_query_unchanged(
    gateway: URL, client: aiohttp.ClientSession, prefix: str, service: str
) -> None:
    for path in (example_path(prefix), prefix.rstrip("/")):
        async with client.get(at(gateway, path)) as response:
            seen = await response.json()

        assert response.status == 200, path
        assert seen["service"] == service, path
        assert seen["raw_path"] == path


@pytest.mark.parametrize(
    "path", ["/v1/accountsx", "/v1/reviewers", "/v1/unknown", "/.well-knownx", "/healthz"]
)
async def test_a_path_beside_every_prefix_goes_to_the_console(
    gateway: URL, client: aiohttp.ClientSession, upstreams: dict[str, TestServer], path: str
) -> None:
    async with client.get(at(gateway, path)) as response:
        body = await response.text()

    assert response.status == 200
    assert body == INDEX_HTML
    assert all(server.app[SEEN] == [] for server in upstreams.values())


# --- what passes through -------------------------------------------------------------------------


async def test_a_post_body_and_the_response_status_and_headers_pass_through(
    gateway: URL, client: aiohttp.ClientSession
) -> None:
    body = os.urandom(3 * 1024 * 1024)  # well above any buffer on the way

    async with client.post(
        at(gateway, "/v1/mini-programs?workspace_id=w1"),
        data=body,
        headers={
            "Content-Type": "application/octet-stream",
            "Authorization": "Bearer t0ken",
            "X-Request-ID": "req-123",
        },
    ) as response:
        seen = await response.json()
        cookies = response.headers.getall("Set-Cookie")

    assert response.status == 201
    assert seen["method"] == "POST"
    assert seen["body_length"] == len(body)
    assert seen["body_sha256"] == hashlib.sha256(body).hexdigest()
    assert seen["headers"]["content-length"] == str(len(body))
    assert seen["headers"]["content-type"] == "application/octet-stream"
    assert seen["headers"]["authorization"] == "Bearer t0ken"
    assert seen["headers"]["x-request-id"] == "req-123"
    assert response.headers["X-Upstream"] == "miniprograms"
    assert response.headers["Location"] == "/v1/mini-programs/42"  # not rewritten
    assert response.headers["Content-Type"].startswith("application/json")
    assert sorted(cookie.split(";")[0] for cookie in cookies) == ["a=1", "b=2"]


async def test_a_chunked_request_body_streams_through(
    gateway: URL, client: aiohttp.ClientSession
) -> None:
    parts = [os.urandom(64 * 1024) for _ in range(8)]

    async def chunks() -> AsyncIterator[bytes]:
        for part in parts:
            yield part
            await asyncio.sleep(0)

    async with client.put(at(gateway, "/v1/workspace-applications/draft"), data=chunks()) as r:
        seen = await r.json()

    assert seen["method"] == "PUT"
    assert seen["body_sha256"] == hashlib.sha256(b"".join(parts)).hexdigest()


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
async def test_the_method_passes_unchanged(
    gateway: URL, client: aiohttp.ClientSession, upstreams: dict[str, TestServer], method: str
) -> None:
    async with client.request(method, at(gateway, "/v1/workspaces/w1/members/a1")) as response:
        await response.read()

    assert response.status == 200
    assert response.headers["X-Upstream"] == "workspaces"
    (seen,) = upstreams["workspaces"].app[SEEN]
    assert seen["method"] == method


async def test_hop_by_hop_headers_stop_at_the_gateway(
    gateway: URL, client: aiohttp.ClientSession
) -> None:
    async with client.get(
        at(gateway, "/v1/sessions"),
        headers={
            "Connection": "keep-alive, X-Hop-Secret",
            "X-Hop-Secret": "for the gateway only",
            "Keep-Alive": "timeout=5",
            "TE": "trailers",
            "Proxy-Authorization": "Basic Zm9vOmJhcg==",
            "X-End-To-End": "kept",
        },
    ) as response:
        seen = (await response.json())["headers"]

    assert seen["x-end-to-end"] == "kept"
    for name in ("x-hop-secret", "keep-alive", "te", "proxy-authorization"):
        assert name not in seen, name


async def test_the_service_learns_the_client_address_and_scheme(
    gateway: URL, client: aiohttp.ClientSession
) -> None:
    async with client.get(at(gateway, "/v1/accounts/me")) as response:
        direct = (await response.json())["headers"]
    async with client.get(
        at(gateway, "/v1/accounts/me"), headers={"X-Forwarded-For": "203.0.113.7"}
    ) as response:
        behind_another_proxy = (await response.json())["headers"]

    assert direct["x-forwarded-for"] == "127.0.0.1"
    assert direct["x-forwarded-proto"] == "http"
    assert direct["host"] == f"{gateway.host}:{gateway.port}"  # the browser's, kept
    # Appended: accounts trusts the rightmost entry, the one this gateway wrote.
    assert behind_another_proxy["x-forwarded-for"] == "203.0.113.7, 127.0.0.1"


async def test_server_sent_events_arrive_before_the_service_finishes(
    gateway: URL, client: aiohttp.ClientSession, upstreams: dict[str, TestServer]
) -> None:
    path = "/v1/workspace-applications/current/events"

    async with client.get(at(gateway, path)) as response:
        assert response.headers["Content-Type"] == "text/event-stream"
        # The service holds the second event back until this first one has arrived: a
        # gateway that buffered the response would deliver nothing within the timeout.
        first = await asyncio.wait_for(response.content.readuntil(b"\n\n"), 5)
        upstreams["workspaces"].app[RELEASE].set()
        rest = await asyncio.wait_for(response.content.read(), 5)

    assert first == b"data: first\n\n"
    assert rest == b"data: second\n\n"


# --- the console ---------------------------------------------------------------------------------


async def test_an_unknown_path_returns_the_console_index(
    gateway: URL, client: aiohttp.ClientSession
) -> None:
    for path in ("/", "/apply/details", "/console/mini-programs/new?step=2"):
        async with client.get(at(gateway, path)) as response:
            assert response.status == 200, path
            assert response.headers["Content-Type"].startswith("text/html"), path
            assert response.headers["Cache-Control"] == "no-cache", path
            assert await response.text() == INDEX_HTML, path


async def test_the_consoles_files_are_served_as_they_are(
    gateway: URL, client: aiohttp.ClientSession
) -> None:
    async with client.get(at(gateway, "/assets/app.js")) as response:
        assert response.status == 200
        assert "javascript" in response.headers["Content-Type"]
        assert await response.text() == ASSET_JS


@pytest.mark.parametrize(
    "path", ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt"]
)
async def test_no_path_reaches_a_file_outside_the_console_build(
    gateway: URL, client: aiohttp.ClientSession, path: str
) -> None:
    async with client.get(at(gateway, path)) as response:
        body = await response.text()

    assert "outside the build" not in body


async def test_a_write_to_a_console_path_is_refused(
    gateway: URL, client: aiohttp.ClientSession
) -> None:
    async with client.post(at(gateway, "/apply/details"), data=b"{}") as response:
        problem = await response.json(content_type=None)

    assert response.status == 405
    assert response.headers["Allow"] == "GET, HEAD"
    assert problem["status"] == 405


async def test_without_a_console_build_the_gateway_says_how_to_make_one(
    upstreams: dict[str, TestServer], client: aiohttp.ClientSession, tmp_path: Path
) -> None:
    urls = {name: str(server.make_url("/")).rstrip("/") for name, server in upstreams.items()}

    async with running_gateway(upstreams=urls, static=tmp_path / "no-dist") as gateway:
        async with client.get(at(gateway, "/apply/details")) as response:
            page = await response.text()
        async with client.get(at(gateway, "/v1/industries")) as api:
            await api.read()

    assert response.status == 503
    assert response.headers["Content-Type"].startswith("text/html")
    assert "npm run build" in page
    assert "console" in page
    assert api.status == 200  # the API works without the console


# --- a service that is down ----------------------------------------------------------------------


async def test_a_service_that_is_down_gives_502_problem_json(
    upstreams: dict[str, TestServer], console_dist: Path, client: aiohttp.ClientSession
) -> None:
    urls = {name: str(server.make_url("/")).rstrip("/") for name, server in upstreams.items()}
    urls["notifier"] = f"http://127.0.0.1:{free_port()}"  # nothing listens there

    async with running_gateway(upstreams=urls, static=console_dist) as gateway:
        async with client.get(at(gateway, "/v1/notifications?account_id=a1")) as response:
            problem = json.loads(await response.text())
        async with client.get(at(gateway, "/v1/accounts/me")) as others:
            await others.read()

    assert response.status == 502
    assert response.content_type == "application/problem+json"
    assert set(problem) >= {"type", "title", "status", "detail"}
    assert problem["status"] == 502
    assert "notifier" in problem["detail"]
    assert others.status == 200  # only that service's paths fail
