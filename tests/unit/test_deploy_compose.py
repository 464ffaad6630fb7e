"""docker-compose.yml and deploy/Dockerfile, checked as files: no Docker engine runs in CI."""

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from accounts.settings import AccountsSettings
from miniprograms.settings import MiniProgramsSettings
from notifier.settings import NotifierSettings
from shared.settings import ServiceSettings
from workspaces.settings import WorkspacesSettings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"

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


def dockerfile_final_stage() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the last stage, continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, arguments = line.partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    last_from = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:]


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


def test_gateway_publishes_each_service_on_its_local_port(services: dict[str, Any]) -> None:
    gateway = services["gateway"]
    published = set().union(*(expand_port_range(p) for p in fixed_host_ports(gateway)))

    assert published == set(LOCAL_PORTS.values())
    assert "container_name" not in gateway


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


def test_gateway_starts_once_every_service_is_healthy(services: dict[str, Any]) -> None:
    depends_on = services["gateway"]["depends_on"]

    assert depends_on == {name: {"condition": "service_healthy"} for name in SERVICES}


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


@pytest.mark.parametrize("name", SERVICES)
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
