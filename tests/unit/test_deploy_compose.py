"""docker-compose.yml, deploy/Dockerfile and deploy/console.Dockerfile, checked as files: no
Docker engine runs in CI."""

import importlib.util
import json
import re
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from pydantic import SecretStr

from accounts.settings import AccountsSettings
from miniprograms.settings import MiniProgramsSettings
from notifier.settings import NotifierSettings
from shared.sealing import Sealer
from shared.settings import ServiceSettings
from workspaces.settings import WorkspacesSettings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
CONSOLE_DOCKERFILE = ROOT / "deploy" / "console.Dockerfile"
GATEWAY = ROOT / "deploy" / "local" / "gateway.py"

SETTINGS: dict[str, type[ServiceSettings]] = {
    "accounts": AccountsSettings,
    "workspaces": WorkspacesSettings,
    "miniprograms": MiniProgramsSettings,
    "notifier": NotifierSettings,
}
# Every one of them may run as several replicas (`docker compose up --scale notifier=3`).
SERVICES = list(SETTINGS)
# The ports `make dev` uses; the gateway publishes each service on its own.
LOCAL_PORTS = {"accounts": 8001, "workspaces": 8002, "miniprograms": 8003, "notifier": 8004}
# What every service listens on inside its container (the image's HTTP_PORT).
CONTAINER_PORT = 8000
# The one origin: the console and every API path (DESIGN.md section 8).
ONE_ORIGIN_PORT = 8000
# What the console's nginx listens on (nginx-unprivileged cannot bind below 1024).
CONSOLE_PORT = 8080


def load_gateway() -> ModuleType:
    """deploy/local/gateway.py, whose ROUTES is the one route table."""
    spec = importlib.util.spec_from_file_location("gateway", GATEWAY)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GATEWAY_MODULE = load_gateway()
ROUTES: tuple[tuple[str, str], ...] = GATEWAY_MODULE.ROUTES


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    # safe_load resolves the anchors and `<<` merge keys the file uses, as Compose does.
    compose = yaml.safe_load(COMPOSE_FILE.read_text())
    return compose["services"]


@pytest.fixture(scope="module")
def compose_configs() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())["configs"]


def fixed_host_ports(service: dict[str, Any]) -> list[str]:
    """The host side of each published port; a container-only port gets an ephemeral one."""
    host_ports = []
    for port in service.get("ports", []):
        if isinstance(port, dict):  # long syntax
            if port.get("published"):
                host_ports.append(str(port["published"]))
            continue
        parts = str(port).split("/")[0].split(":")  # [[ip:]host:]container[/protocol]
        if len(parts) > 1:
            host_ports.append(parts[-2])
    return host_ports


def expand_port_range(ports: str) -> set[int]:
    first, _, last = ports.partition("-")
    return set(range(int(first), int(last or first) + 1))


def dockerfile_instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments), continuation lines joined, heredoc bodies left out."""
    text = re.sub(
        r"<<'?(\w+)'?([^\n]*)\n.*?\n\1\n", r"<<\1\2\n", dockerfile.read_text(), flags=re.S
    )
    text = re.sub(r"\\\n", " ", text)
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, arguments = line.partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def dockerfile_final_stage(dockerfile: Path = DOCKERFILE) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the last stage."""
    instructions = dockerfile_instructions(dockerfile)
    last_from = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:]


def dockerfile_heredoc(dockerfile: Path, target: str) -> str:
    """The text a `COPY <<EOF target` writes."""
    found = re.search(
        rf"^COPY <<'?(\w+)'? {re.escape(target)}\n(.*?)\n\1$", dockerfile.read_text(), re.S | re.M
    )
    assert found is not None, f"{dockerfile.name} writes no {target}"
    return found.group(2)


def nginx_blocks(config: str, directive: str) -> list[tuple[str, str]]:
    """(arguments, body) of each top-level `directive arguments { body }` in an nginx config."""
    blocks = []
    for match in re.finditer(rf"(?m)^\s*{directive}\b([^{{;]*)\{{", config):
        depth, start = 1, match.end()
        position = start
        while depth:
            depth += {"{": 1, "}": -1}.get(config[position], 0)
            position += 1
        blocks.append((match.group(1).strip(), config[start : position - 1]))
    return blocks


def nginx_outside_blocks(config: str) -> str:
    """The directives of the config's own level, every `{ ... }` block left out."""
    kept, depth = [], 0
    for character in config:
        depth += {"{": 1, "}": -1}.get(character, 0)
        if depth == 0 and character != "}":
            kept.append(character)
    return "".join(kept)


def nginx_locations(server: str) -> list[tuple[str, str, str]]:
    """(modifier, pattern, body) of each location of a server block, in order."""
    return [
        (match.group(1) or "", match.group(2), match.group(3))
        for match in re.finditer(r"location\s+(?:(=|~\*?|\^~)\s+)?(\S+)\s*\{([^}]*)\}", server)
    ]


def nginx_chooses(locations: list[tuple[str, str, str]], path: str) -> str:
    """The body of the location nginx picks for the path: an exact match; else the longest
    matching prefix if it is ^~; else the first matching regex; else the longest prefix."""
    for modifier, pattern, body in locations:
        if modifier == "=" and pattern == path:
            return body
    prefixes = [(p, m, b) for m, p, b in locations if m in ("", "^~") and path.startswith(p)]
    longest = max(prefixes, default=None, key=lambda found: len(found[0]))
    if longest is not None and longest[1] == "^~":
        return longest[2]
    for modifier, pattern, body in locations:
        flags = re.IGNORECASE if modifier == "~*" else 0
        if modifier.startswith("~") and re.search(pattern.replace("$$", "$"), path, flags):
            return body
    assert longest is not None, f"no location for {path}"
    return longest[2]


def one_origin_server(nginx: str) -> str:
    (server,) = [
        body
        for _, body in nginx_blocks(nginx, "server")
        if re.search(rf"listen\s+{ONE_ORIGIN_PORT};", body)
    ]
    return server


def sample_paths() -> list[str]:
    """Each prefix, below it, and beside it (a longer name), and console paths."""
    paths = ["/", "/apply/details", "/assets/index-4f2a.js", "/v1", "/v1/", "/healthz", "/metrics"]
    for prefix, _ in ROUTES:
        base = prefix.rstrip("/")
        paths += [base, base + "/", base + "/x/y.json", base + "x", base + "-x"]
    return paths


def test_compose_runs_each_service_with_mongo_rabbitmq_mailpit_and_a_gateway(
    services: dict[str, Any],
) -> None:
    assert set(SERVICES) <= set(services)
    assert services["mongo"]["image"].startswith("mongo:")
    assert services["rabbitmq"]["image"].endswith("-management")
    assert services["mailpit"]["image"].startswith("axllent/mailpit")
    assert services["gateway"]["image"].startswith("nginx:")


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_image_builds_from_the_one_dockerfile_with_its_service_arg(
    services: dict[str, Any], name: str
) -> None:
    build = services[name]["build"]

    assert (ROOT / build["context"]).resolve() == ROOT
    assert (ROOT / build["context"] / build["dockerfile"]).resolve() == DOCKERFILE
    assert build["args"]["SERVICE"] == name
    # The Dockerfile installs the uv workspace package mpp-${SERVICE} and runs `python -m $SERVICE`.
    project = tomllib.loads((ROOT / "services" / name / "pyproject.toml").read_text())
    assert project["project"]["name"] == f"mpp-{name}"
    assert (ROOT / "services" / name / name / "__main__.py").is_file()


def test_each_service_image_gets_its_own_name(services: dict[str, Any]) -> None:
    images = [services[name]["image"].split(":")[0] for name in SERVICES]

    assert images == [f"mpp/{name}" for name in SERVICES]


@pytest.mark.parametrize("name", SERVICES)
def test_scalable_services_have_no_container_name_or_fixed_host_port(
    services: dict[str, Any], name: str
) -> None:
    service = services[name]

    # A second replica could neither take the same container name nor bind the same port.
    assert "container_name" not in service
    assert fixed_host_ports(service) == []


def test_gateway_publishes_the_one_origin_and_each_service_on_its_local_port(
    services: dict[str, Any],
) -> None:
    gateway = services["gateway"]
    published = set().union(*(expand_port_range(p) for p in fixed_host_ports(gateway)))

    assert published == {ONE_ORIGIN_PORT, *LOCAL_PORTS.values()}
    assert "container_name" not in gateway
    for port in gateway["ports"]:
        assert str(port).startswith("127.0.0.1:"), port  # this machine only


def test_gateway_balances_each_port_over_every_replica_of_its_service(
    services: dict[str, Any], compose_configs: dict[str, Any]
) -> None:
    (mount,) = services["gateway"]["configs"]
    assert mount["target"].startswith("/etc/nginx/conf.d/")
    nginx = compose_configs[mount["source"]]["content"]

    routes = dict(
        re.findall(r"listen\s+(\d+);\s*location\s+/\s*\{\s*proxy_pass\s+http://([\w-]+);", nginx)
    )
    assert {int(port): upstream for port, upstream in routes.items()} == {
        port: name for name, port in LOCAL_PORTS.items()
    }
    for name in SERVICES:
        # `resolve` keeps re-reading the name: replicas added by --scale join the upstream.
        upstream = re.search(rf"upstream\s+{name}\s*\{{([^}}]*)\}}", nginx)
        assert upstream is not None, name
        assert f"server {name}:{CONTAINER_PORT} resolve;" in upstream.group(1)
    assert re.search(r"resolver\s+127\.0\.0\.11\b", nginx), "Docker's embedded DNS"


def test_gateway_config_escapes_nginx_variables_from_compose_interpolation(
    compose_configs: dict[str, Any],
) -> None:
    nginx = compose_configs["gateway"]["content"]

    assert "$$host" in nginx
    # A single $ would be replaced by Compose (with an empty string) before nginx reads it.
    assert re.findall(r"(?<!\$)\$(?!\$)", nginx) == []


def test_gateway_accepts_bodies_larger_than_the_services_limit(
    compose_configs: dict[str, Any],
) -> None:
    nginx = compose_configs["gateway"]["content"]
    size = re.search(r"client_max_body_size\s+(\d+)m;", nginx)

    # Otherwise nginx, not the service, answers 413 (as HTML instead of problem+json).
    assert size is not None
    assert int(size.group(1)) * 1024 * 1024 > ServiceSettings().http_max_body_bytes


def test_every_long_running_container_has_a_healthcheck(services: dict[str, Any]) -> None:
    one_shot = {name for name, service in services.items() if service.get("restart") == "no"}
    assert one_shot == {"signing-key"}

    for name in set(services) - one_shot:
        healthcheck = services[name].get("healthcheck", {})
        assert not healthcheck.get("disable"), name
        assert healthcheck.get("test", ["NONE"])[0] in {"CMD", "CMD-SHELL"}, name


@pytest.mark.parametrize("name", SERVICES)
def test_service_healthcheck_asks_readyz_on_the_container_port(
    services: dict[str, Any], name: str
) -> None:
    command = " ".join(services[name]["healthcheck"]["test"])

    assert f"http://127.0.0.1:{CONTAINER_PORT}/readyz" in command


def test_each_health_condition_waits_on_a_container_that_reports_health(
    services: dict[str, Any],
) -> None:
    for name, service in services.items():
        for dependency, how in service.get("depends_on", {}).items():
            condition = how["condition"]
            if condition == "service_healthy":
                assert "test" in services[dependency].get("healthcheck", {}), (name, dependency)
            elif condition == "service_completed_successfully":
                assert services[dependency]["restart"] == "no", (name, dependency)
            else:
                assert condition == "service_started", (name, dependency)


@pytest.mark.parametrize("name", SERVICES)
def test_services_start_once_mongo_and_rabbitmq_are_healthy(
    services: dict[str, Any], name: str
) -> None:
    depends_on = services[name]["depends_on"]

    assert depends_on["mongo"] == {"condition": "service_healthy"}
    assert depends_on["rabbitmq"] == {"condition": "service_healthy"}


def test_gateway_starts_once_every_service_and_the_console_are_healthy(
    services: dict[str, Any],
) -> None:
    depends_on = services["gateway"]["depends_on"]

    assert depends_on == {name: {"condition": "service_healthy"} for name in [*SERVICES, "console"]}


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_has_its_own_database_on_the_shared_mongo_bus_and_jwks(
    services: dict[str, Any], name: str
) -> None:
    env = services[name]["environment"]

    assert env["MONGO_DATABASE"] == name
    assert env["MONGO_URL"].startswith("mongodb://mongo:27017/")
    assert env["RABBITMQ_URL"].startswith("amqp://")
    assert env["RABBITMQ_URL"].endswith("@rabbitmq:5672/")
    assert env["JWKS_URL"] == f"http://accounts:{CONTAINER_PORT}/.well-known/jwks.json"
    assert env["LOG_JSON"] == "true"


@pytest.mark.parametrize("name", SERVICES)
def test_service_environment_is_valid_settings_of_that_service(
    services: dict[str, Any], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_class = SETTINGS[name]
    env = services[name]["environment"]

    # A misspelt variable would be ignored silently (the settings allow extra variables).
    assert {key.lower() for key in env} <= set(settings_class.model_fields), name
    for key, value in env.items():
        monkeypatch.setenv(key, str(value))
    settings = settings_class()
    assert settings.mongo_database == name


def test_mongo_is_the_single_node_replica_set_the_services_connect_to(
    services: dict[str, Any],
) -> None:
    mongo = services["mongo"]
    command = mongo["command"]
    replica_set = command[command.index("--replSet") + 1]

    assert f"_id: '{replica_set}'" in mongo["healthcheck"]["test"][-1]  # initiated on first start
    assert "host: 'mongo:27017'" in mongo["healthcheck"]["test"][-1]
    for name in SERVICES:
        assert f"replicaSet={replica_set}" in services[name]["environment"]["MONGO_URL"]


def test_notifier_mails_through_mailpit(services: dict[str, Any]) -> None:
    env = services["notifier"]["environment"]

    assert env["SMTP_HOST"] == "mailpit"
    assert env["SMTP_PORT"] == "1025"  # Mailpit's SMTP port, plain
    assert env["SMTP_SECURITY"] == "none"
    assert services["notifier"]["depends_on"]["mailpit"] == {"condition": "service_healthy"}
    assert fixed_host_ports(services["mailpit"]) == ["8025"]  # its web UI


def test_accounts_replicas_share_the_signing_key_written_once(services: dict[str, Any]) -> None:
    writer, accounts = services["signing-key"], services["accounts"]
    key_path = accounts["environment"]["JWT_PRIVATE_KEY_FILE"]
    key_dir = str(Path(key_path).parent)

    assert writer["build"]["args"] == {"SERVICE": "accounts"}
    assert writer["command"] == [
        "python",
        "-m",
        "accounts",
        "generate-signing-key",
        key_path,
    ]
    assert f"signing-key:{key_dir}" in writer["volumes"]
    assert f"signing-key:{key_dir}:ro" in accounts["volumes"]
    assert accounts["depends_on"]["signing-key"] == {"condition": "service_completed_successfully"}


def test_accounts_alone_gets_a_valid_totp_secret_key(services: dict[str, Any]) -> None:
    # A local-only default the environment overrides (`${TOTP_SECRET_KEY:-default}`).
    value = services["accounts"]["environment"]["TOTP_SECRET_KEY"]
    default = re.fullmatch(r"\$\{TOTP_SECRET_KEY:-(.+)\}", value)

    assert default is not None, value
    Sealer.from_setting(SecretStr(default.group(1)), service="accounts", setting="TOTP_SECRET_KEY")
    assert default.group(1) not in services["accounts"]["environment"]["MAIL_LINK_KEY"]
    for name in SERVICES:
        if name != "accounts":
            assert "TOTP_SECRET_KEY" not in services[name]["environment"], name


@pytest.mark.parametrize("name", [*SERVICES, "console"])
def test_service_containers_run_read_only_without_capabilities(
    services: dict[str, Any], name: str
) -> None:
    service = services[name]

    assert service["read_only"] is True
    # The container's /tmp, for temporary files (multipart uploads spill there).
    assert "/tmp" in service["tmpfs"]  # noqa: S108
    assert service["cap_drop"] == ["ALL"]
    assert "no-new-privileges:true" in service["security_opt"]


def test_image_runs_as_an_unprivileged_user_on_the_slim_python_of_the_project() -> None:
    stage = dockerfile_final_stage()
    requires_python = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "requires-python"
    ]
    python = re.search(r">=\s*(\d+\.\d+)", requires_python)

    assert python is not None
    assert stage[0] == ("FROM", f"python:{python.group(1)}-slim")
    users = [arguments for keyword, arguments in stage if keyword == "USER"]
    # Numeric, so Kubernetes can check runAsNonRoot without resolving a name.
    assert users[-1].isdigit()
    assert int(users[-1]) != 0


def test_image_serves_on_all_interfaces_on_the_container_port_with_a_healthcheck() -> None:
    stage = dockerfile_final_stage()
    env = " ".join(arguments for keyword, arguments in stage if keyword == "ENV")
    (healthcheck,) = [arguments for keyword, arguments in stage if keyword == "HEALTHCHECK"]

    assert "HTTP_HOST=0.0.0.0" in env.split()
    assert f"HTTP_PORT={CONTAINER_PORT}" in env.split()
    assert ("EXPOSE", str(CONTAINER_PORT)) in stage
    assert "/healthz" in healthcheck


# --- one origin (DESIGN.md section 8) ------------------------------------------------------------


def test_the_route_table_is_the_design_table() -> None:
    # DESIGN.md section 8, "One origin". Compose's gateway, the Ingress and deploy/local are
    # all held to ROUTES, so this is the one place the table is spelt out in a test.
    assert dict(ROUTES) == {
        "/v1/accounts": "accounts",
        "/v1/sessions": "accounts",
        "/.well-known/": "accounts",
        "/v1/email-verifications": "accounts",
        "/v1/password-resets": "accounts",
        "/v1/workspace-applications": "workspaces",
        "/v1/workspaces": "workspaces",
        "/v1/review": "workspaces",
        "/v1/invitations": "workspaces",
        "/v1/activity": "workspaces",
        "/v1/mini-programs": "miniprograms",
        "/v1/industries": "miniprograms",
        "/v1/notifications": "notifier",
        "/v1/webhooks": "notifier",
    }
    assert len(ROUTES) == len(dict(ROUTES)), "a prefix listed twice"


def test_the_console_dev_server_proxies_with_the_same_table() -> None:
    # `npm run dev` (Vite) proxies the API prefixes itself, from console/gateway-routes.ts.
    source = (ROOT / "console" / "gateway-routes.ts").read_text()
    (table,) = re.findall(r"GATEWAY_ROUTES\b[^=]*=\s*\[(.*?)\];", source, re.S)

    assert tuple(re.findall(r'\[\s*"([^"]+)",\s*"([^"]+)"\s*\]', table)) == ROUTES


def test_one_origin_routes_each_api_prefix_to_its_service_and_the_rest_to_the_console(
    compose_configs: dict[str, Any],
) -> None:
    locations = nginx_locations(one_origin_server(compose_configs["gateway"]["content"]))

    for path in sample_paths():
        chosen = nginx_chooses(locations, path)
        upstream = re.fullmatch(r"\s*proxy_pass\s+http://([\w-]+);\s*", chosen)
        assert upstream is not None, (path, chosen)
        assert upstream.group(1) == (GATEWAY_MODULE.service_for(path) or "console"), path


def test_one_origin_has_a_location_for_each_row_and_no_other(
    compose_configs: dict[str, Any],
) -> None:
    locations = nginx_locations(one_origin_server(compose_configs["gateway"]["content"]))
    regexes = [(pattern, body) for modifier, pattern, body in locations if modifier == "~"]

    assert len(regexes) == len(ROUTES)
    assert [(m, p) for m, p, _ in locations if m != "~"] == [("", "/")]  # the console's


def test_one_origin_passes_the_request_uri_unchanged(compose_configs: dict[str, Any]) -> None:
    server = one_origin_server(compose_configs["gateway"]["content"])

    # proxy_pass with a URI part (even "/") would replace the matched part of the path.
    targets = re.findall(r"proxy_pass\s+([^;]+);", server)
    assert targets
    for target in targets:
        assert re.fullmatch(r"http://[\w-]+", target), target
    assert "rewrite" not in server


def test_one_origin_upstreams_are_the_services_and_the_console(
    compose_configs: dict[str, Any],
) -> None:
    nginx = compose_configs["gateway"]["content"]
    upstreams = dict(nginx_blocks(nginx, "upstream"))

    assert set(upstreams) == {*SERVICES, "console"}
    assert f"server console:{CONSOLE_PORT} resolve;" in upstreams["console"]


def test_gateway_streams_responses_so_event_streams_are_not_held_back(
    compose_configs: dict[str, Any],
) -> None:
    http_level = nginx_outside_blocks(compose_configs["gateway"]["content"])

    # At the http level, so it holds in every server: the one origin and the service ports.
    assert re.search(r"^\s*proxy_buffering\s+off;", http_level, re.M)


# --- the console image ---------------------------------------------------------------------------


def test_console_image_builds_from_the_console_dockerfile(services: dict[str, Any]) -> None:
    console = services["console"]

    assert (ROOT / console["build"]["context"]).resolve() == ROOT
    assert (ROOT / console["build"]["dockerfile"]).resolve() == CONSOLE_DOCKERFILE
    assert console["image"] == "mpp/console:local"
    assert fixed_host_ports(console) == []  # reached through the gateway only
    assert f"http://127.0.0.1:{CONSOLE_PORT}/" in " ".join(console["healthcheck"]["test"])


def test_console_image_runs_npm_ci_and_build_in_console_and_serves_dist() -> None:
    instructions = dockerfile_instructions(CONSOLE_DOCKERFILE)
    final = dockerfile_final_stage(CONSOLE_DOCKERFILE)
    build_stages = instructions[: len(instructions) - len(final)]
    build = build_stages[
        max(i for i, (keyword, _) in enumerate(build_stages) if keyword == "FROM") :
    ]
    workdirs = [arguments for keyword, arguments in build if keyword == "WORKDIR"]
    runs = [arguments for keyword, arguments in build if keyword == "RUN"]

    assert ("COPY", "console console") in build
    assert workdirs[-1] == f"{workdirs[0]}/console"
    assert re.search(r"\bnpm ci\b.*\bnpm run build\b", runs[-1])
    assert final[0][0] == "FROM"
    assert final[0][1].startswith("nginxinc/nginx-unprivileged:")
    assert ("COPY", f"--from=build {workdirs[-1]}/dist /usr/share/nginx/html") in final
    users = [arguments for keyword, arguments in final if keyword == "USER"]
    assert users[-1].isdigit()
    assert int(users[-1]) != 0
    assert ("EXPOSE", str(CONSOLE_PORT)) in final


def test_console_image_has_what_npm_run_build_reads_from_the_repository() -> None:
    # `npm run build` dumps each service's OpenAPI document with ../.venv/bin/python from the
    # services' sources (console/scripts/dump-openapi.py): the build stage needs them, laid
    # out as in the repository, and the console's tests read tests/fixtures.
    build_script = json.loads((ROOT / "console" / "package.json").read_text())["scripts"]["build"]
    instructions = dockerfile_instructions(CONSOLE_DOCKERFILE)
    copied = {arguments for keyword, arguments in instructions if keyword == "COPY"}
    runs = " ".join(arguments for keyword, arguments in instructions if keyword == "RUN")

    assert "gen:api" in build_script
    assert {"pyproject.toml uv.lock ./", "shared shared", "services services"} <= copied
    assert "uv sync --locked --no-dev --all-packages" in runs
    assert "tests/fixtures tests/fixtures" in copied


def test_console_nginx_answers_index_html_for_every_path_that_names_no_file() -> None:
    config = dockerfile_heredoc(CONSOLE_DOCKERFILE, "/etc/nginx/conf.d/default.conf")
    ((_, server),) = nginx_blocks(config, "server")
    locations = nginx_locations(server)

    assert re.search(rf"listen\s+{CONSOLE_PORT};", server)
    assert re.search(r"root\s+/usr/share/nginx/html;", server)
    for path in ("/", "/apply/details", "/assets/index-4f2a.js", "/v1/unknown"):
        assert re.search(r"try_files\s+\$uri\s+/index\.html;", nginx_chooses(locations, path))
    # index.html names the current assets: a cached copy would load the previous release.
    assert 'Cache-Control "no-cache"' in nginx_chooses(locations, "/apply/details")


def _dockerignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last pattern matching the path, or one of its parent folders,
    decides (a `!` pattern re-includes)."""
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    excluded = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        glob = pattern.removeprefix("!").strip("/")
        regex = re.escape(glob).replace(r"\*\*/", "(.*/)?").replace(r"\*", "[^/]*")
        if any(re.fullmatch(regex, prefix) for prefix in prefixes):
            excluded = not negated
    return excluded


@pytest.mark.parametrize("dockerfile", [DOCKERFILE, CONSOLE_DOCKERFILE], ids=lambda p: p.name)
def test_every_file_an_image_copies_from_the_context_is_in_the_build_context(
    dockerfile: Path,
) -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    sources = [
        source
        for line in dockerfile.read_text().splitlines()
        if line.startswith("COPY ") and "--from=" not in line and "<<" not in line
        for source in line.split()[1:-1]
    ]
    assert sources, f"{dockerfile.name} copies nothing from the context"
    for source in sources:
        files = (
            [source]
            if (ROOT / source).is_file()
            else [
                str(f.relative_to(ROOT))
                for f in (ROOT / source).rglob("*")
                if f.is_file() and "node_modules" not in f.parts and "__pycache__" not in f.parts
            ]
        )
        assert files, f"{dockerfile.name} copies {source}, which has no file"
        left_out = [f for f in files if _dockerignored(f, patterns)]
        assert not left_out, (
            f"{dockerfile.name} copies {source} but .dockerignore leaves out {left_out[:3]}"
        )


def test_every_path_of_every_service_reaches_that_service_through_the_one_origin() -> None:
    # A route added under a new prefix (e.g. /v1/password-resets) is unreachable from the
    # console until the table routes it: each OpenAPI path must land on its own service.
    unrouted = []
    for service in SERVICES:
        document = importlib.import_module(f"{service}.api").api.openapi()
        for path in document["paths"]:
            concrete = re.sub(r"\{[^}]+\}", "x", path)
            if GATEWAY_MODULE.service_for(concrete) != service:
                unrouted.append((service, path, GATEWAY_MODULE.service_for(concrete)))

    assert unrouted == []
