"""deploy/k8s (kustomize base and production overlay), deploy/rabbitmq and deploy/mongo, checked
offline: every Kubernetes object against the API schemas (kubernetes-validate, strict), the
operators' custom resources for the fields the services rely on, and the wiring between them:
the Ingress against the route table of deploy/local/gateway.py, the network policies against
the connections deploy/README.md lists."""

import base64
import copy
import fnmatch
import importlib.util
import ipaddress
import re
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import kubernetes_validate
import pytest
import yaml

from accounts.settings import AccountsSettings
from miniprograms.settings import MiniProgramsSettings
from notifier.settings import NotifierSettings
from shared.settings import ServiceSettings
from workspaces.settings import WorkspacesSettings

type Manifest = dict[str, Any]

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
BASE = DEPLOY / "k8s" / "base"
OVERLAY = DEPLOY / "k8s" / "overlays" / "production"
RABBITMQ = DEPLOY / "rabbitmq" / "rabbitmq-cluster.yaml"
MONGO = DEPLOY / "mongo" / "mongodb.yaml"
CONSOLE_DOCKERFILE = DEPLOY / "console.Dockerfile"
GATEWAY = DEPLOY / "local" / "gateway.py"

# The oldest Kubernetes the manifests are written for (the preStop `sleep` action is on by
# default from 1.30) and the newest whose schemas kubernetes-validate ships.
KUBERNETES_VERSIONS = ("1.30", kubernetes_validate.latest_version())
# Custom resources have no schema here; their operators validate them. Checked field by field.
CUSTOM_KINDS = {"RabbitmqCluster", "MongoDBCommunity"}

SETTINGS: dict[str, type[ServiceSettings]] = {
    "accounts": AccountsSettings,
    "workspaces": WorkspacesSettings,
    "miniprograms": MiniProgramsSettings,
    "notifier": NotifierSettings,
}
SERVICES = list(SETTINGS)
# The Secret holding the accounts signing key; an operator creates it by hand (deploy/README.md).
SIGNING_KEY_SECRET = "accounts-signing-key"
# The key sealing mail links, shared by workspaces and the notifier; made by hand too.
MAIL_LINK_KEY_SECRET = "mail-link-key"
# The key sealing the TOTP secrets in the accounts database; made by hand, read by accounts only.
TOTP_SECRET_KEY_SECRET = "totp-secret-key"


def load_gateway() -> ModuleType:
    """deploy/local/gateway.py, whose ROUTES is the one route table (DESIGN.md section 8)."""
    spec = importlib.util.spec_from_file_location("gateway", GATEWAY)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GATEWAY_MODULE = load_gateway()
ROUTES: tuple[tuple[str, str], ...] = GATEWAY_MODULE.ROUTES


# --- rendering: enough of `kustomize build` to check what it would apply ------------------------

# What render() understands; a kustomization using anything else fails here, not silently.
KUSTOMIZATION_FIELDS = {
    "apiVersion",
    "kind",
    "namespace",
    "labels",
    "resources",
    "configMapGenerator",
    "secretGenerator",
    "patches",
    "images",
}


def load_all(path: Path) -> list[Manifest]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def load_one(path: Path) -> Manifest:
    (doc,) = load_all(path)
    return doc


def render(directory: Path) -> list[Manifest]:
    """Roughly what `kustomize build directory` emits: the listed resources (files, or
    directories with their own kustomization, recursively), the generated ConfigMaps and
    Secrets, the strategic-merge patches, the image overrides and the namespace. Generated
    names get no hash suffix, and the labels transformer is not applied."""
    kustomization = load_one(directory / "kustomization.yaml")
    assert set(kustomization) <= KUSTOMIZATION_FIELDS, directory
    objects: list[Manifest] = []
    for entry in kustomization.get("resources", []):
        path = directory / entry
        objects += render(path) if path.is_dir() else load_all(path)
    for kind, field in (("ConfigMap", "configMapGenerator"), ("Secret", "secretGenerator")):
        for generator in kustomization.get(field, []):
            generate(objects, kind=kind, generator=generator, directory=directory)
    for patch in kustomization.get("patches", []):
        if "target" in patch:
            apply_json_patch_to(objects, patch["target"], load_one(directory / patch["path"]))
            continue
        assert set(patch) == {"path"}, "a patch file, strategic-merge or JSON with a target"
        apply_patch(objects, load_one(directory / patch["path"]))
    for image in kustomization.get("images", []):
        for container in containers(objects):
            name, tag = split_image(container["image"])
            if name == image["name"]:
                container["image"] = f"{image.get('newName', name)}:{image.get('newTag', tag)}"
    if namespace := kustomization.get("namespace"):
        for manifest in objects:
            if manifest["kind"] != "Namespace":
                manifest["metadata"]["namespace"] = namespace
    return objects


def generate(
    objects: list[Manifest], *, kind: str, generator: dict[str, Any], directory: Path
) -> None:
    data = generator_data(generator, directory)
    if kind == "Secret":
        data = {key: base64.b64encode(value.encode()).decode() for key, value in data.items()}
    behavior = generator.get("behavior", "create")
    existing = find(objects, kind, generator["name"])
    if behavior == "create":
        assert existing is None, f"{kind} {generator['name']} generated twice"
        objects.append({"apiVersion": "v1", "kind": kind, "metadata": {"name": generator["name"]}})
        objects[-1]["data"] = data
        return
    if existing is None:
        raise LookupError(f"{behavior} of {kind} {generator['name']}: the base generates none")
    existing["data"] = {**existing["data"], **data} if behavior == "merge" else data


def generator_data(generator: dict[str, Any], directory: Path) -> dict[str, str]:
    data: dict[str, str] = {}
    for env_file in generator.get("envs", []):
        data |= read_env_file(committed(directory / env_file))
    for literal in generator.get("literals", []):
        key, _, value = literal.partition("=")
        data[key] = value
    return data


def committed(path: Path) -> Path:
    """A secret's env file is never committed: its committed example stands in for it."""
    example = path.with_name(path.name + ".example")
    return example if example.exists() else path


def read_env_file(path: Path) -> dict[str, str]:
    """kustomize's env file: KEY=VALUE lines, the value taken literally; # starts a comment."""
    pairs = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value
    return pairs


def apply_patch(objects: list[Manifest], patch: Manifest) -> None:
    target = find(objects, patch["kind"], patch["metadata"]["name"])
    if target is None or target["apiVersion"] != patch["apiVersion"]:
        raise LookupError(f"patch of {patch['kind']} {patch['metadata']['name']}: no such object")
    objects[objects.index(target)] = strategic_merge(target, patch)


def apply_json_patch_to(
    objects: list[Manifest], target: dict[str, str], operations: list[dict[str, Any]]
) -> None:
    assert set(target) == {"kind", "name"}, "targets by kind and name only"
    original = find(objects, target["kind"], target["name"])
    if original is None:
        raise LookupError(f"JSON patch of {target['kind']} {target['name']}: no such object")
    objects[objects.index(original)] = json_patch(original, operations)


def json_patch(original: Manifest, operations: list[dict[str, Any]]) -> Manifest:
    """RFC 6902 add, replace and remove: what the JSON patches here use."""
    patched = copy.deepcopy(original)
    for operation in operations:
        *parents, last = [
            part.replace("~1", "/").replace("~0", "~") for part in operation["path"].split("/")[1:]
        ]
        node: Any = patched
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        key: Any = int(last) if isinstance(node, list) else last
        if operation["op"] == "replace":
            assert key < len(node) if isinstance(node, list) else key in node, operation
            node[key] = operation["value"]
        elif operation["op"] == "add":
            if isinstance(node, list):
                node.insert(key, operation["value"])
            else:
                node[key] = operation["value"]
        elif operation["op"] == "remove":
            del node[key]
        else:
            raise AssertionError(f"JSON patch op {operation['op']} is not rendered here")
    return patched


def split_image(image: str) -> tuple[str, str]:
    """(name, tag) of an image reference; a registry's port is part of the name."""
    name, colon, tag = image.rpartition(":")
    if not colon or "/" in tag:
        return image, ""
    return name, tag


def strategic_merge(original: Any, patch: Any) -> Any:
    """Maps merge key by key, lists of named items (containers, env, ports, volumes) item by
    item; any other value is replaced. Enough for the strategic-merge patches used here."""
    if isinstance(original, dict) and isinstance(patch, dict):
        merged = dict(original)
        for key, value in patch.items():
            merged[key] = strategic_merge(original[key], value) if key in original else value
        return merged
    if (
        isinstance(original, list)
        and isinstance(patch, list)
        and all(isinstance(item, dict) and "name" in item for item in original + patch)
    ):
        merged_items = {item["name"]: item for item in original}
        for item in patch:
            old = merged_items.get(item["name"])
            merged_items[item["name"]] = item if old is None else strategic_merge(old, item)
        return list(merged_items.values())
    return patch


# --- lookups -------------------------------------------------------------------------------------


def find(objects: list[Manifest], kind: str, name: str) -> Manifest | None:
    found = [m for m in objects if m["kind"] == kind and m["metadata"]["name"] == name]
    assert len(found) <= 1, f"{kind} {name} defined {len(found)} times"
    return found[0] if found else None


def get(objects: list[Manifest], kind: str, name: str) -> Manifest:
    manifest = find(objects, kind, name)
    assert manifest is not None, f"no {kind} {name}"
    return manifest


def of_kind(objects: list[Manifest], kind: str) -> list[Manifest]:
    return [m for m in objects if m["kind"] == kind]


def containers(objects: list[Manifest]) -> list[dict[str, Any]]:
    return [
        container
        for deployment in of_kind(objects, "Deployment")
        for container in deployment["spec"]["template"]["spec"]["containers"]
    ]


def container_of(deployment: Manifest) -> dict[str, Any]:
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert container["name"] == deployment["metadata"]["name"]
    return container


def env_var(container: dict[str, Any], name: str) -> dict[str, Any]:
    (var,) = [var for var in container.get("env", []) if var["name"] == name]
    return var


def pod_labels(deployment: Manifest) -> dict[str, str]:
    return deployment["spec"]["template"]["metadata"]["labels"]


def selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return selector.items() <= labels.items()


def quantity(value: str | int) -> float:
    text = str(value)
    for suffix, factor in (("m", 1e-3), ("Ki", 2**10), ("Mi", 2**20), ("Gi", 2**30)):
        if text.endswith(suffix):
            return float(text.removesuffix(suffix)) * factor
    return float(text)


def image_user() -> int:
    users = re.findall(r"^USER\s+(\S+)", (DEPLOY / "Dockerfile").read_text(), re.MULTILINE)
    return int(users[-1])


def external_secrets() -> dict[str, set[str]]:
    """Secrets made outside kustomize, with their keys: the operators' and the signing key."""
    secrets = {
        SIGNING_KEY_SECRET: {signing_key_file_name()},
        MAIL_LINK_KEY_SECRET: {literal_secret_key(MAIL_LINK_KEY_SECRET)},
        TOTP_SECRET_KEY_SECRET: {literal_secret_key(TOTP_SECRET_KEY_SECRET)},
    }
    for cluster in of_kind(load_all(RABBITMQ), "RabbitmqCluster"):
        name = f"{cluster['metadata']['name']}-default-user"
        secrets[name] = {"username", "password", "host", "port"}
    for mongo in of_kind(load_all(MONGO), "MongoDBCommunity"):
        for user in mongo["spec"]["users"]:
            default = f"{mongo['metadata']['name']}-{user['db']}-{user['name']}"
            name = user.get("connectionStringSecretName", default)
            secrets[name] = {"connectionString.standard", "connectionString.standardSrv"}
            secrets[name] |= {"username", "password"}
    return secrets


def signing_key_file_name() -> str:
    """The key the documented `kubectl create secret` command gives the signing key."""
    readme = (DEPLOY / "README.md").read_text()
    command = re.search(rf"create secret generic {SIGNING_KEY_SECRET}\s+--from-file=(\S+)", readme)
    assert command is not None, "deploy/README.md shows how to create the signing-key Secret"
    return Path(command.group(1)).name


def literal_secret_key(secret: str) -> str:
    """The key the documented `kubectl create secret` command gives this Secret's value."""
    readme = (DEPLOY / "README.md").read_text()
    command = re.search(rf"create secret generic {secret}\s+--from-literal=(\w+)=", readme)
    assert command is not None, f"deploy/README.md shows how to create the {secret} Secret"
    return command.group(1)


@pytest.fixture(scope="module")
def base() -> list[Manifest]:
    return render(BASE)


@pytest.fixture(scope="module")
def production() -> list[Manifest]:
    return render(OVERLAY)


@pytest.fixture(scope="module", params=["base", "production"])
def rendered(request: pytest.FixtureRequest) -> list[Manifest]:
    """Each check of the services' objects holds for the base and for what the overlay ships."""
    return render(BASE if request.param == "base" else OVERLAY)


# --- schemas -------------------------------------------------------------------------------------


def schema_errors(objects: list[Manifest], version: str) -> list[str]:
    errors = []
    for manifest in objects:
        if manifest["kind"] in CUSTOM_KINDS:
            continue
        try:
            kubernetes_validate.validate(manifest, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            where = "/".join(str(part) for part in exc.path)
            errors.append(
                f"{manifest['kind']} {manifest['metadata']['name']}: {where}: {exc.message}"
            )
    return errors


def test_strict_schema_validation_rejects_a_misspelt_field(base: list[Manifest]) -> None:
    deployment = get(base, "Deployment", "accounts")
    container = container_of(deployment)
    broken = strategic_merge(
        deployment,
        {"spec": {"template": {"spec": {"containers": [{**container, "readinessprobe": {}}]}}}},
    )

    assert schema_errors([deployment], KUBERNETES_VERSIONS[0]) == []
    assert len(schema_errors([broken], KUBERNETES_VERSIONS[0])) == 1


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("source", [BASE, OVERLAY, RABBITMQ], ids=lambda p: p.name)
def test_manifests_are_valid_kubernetes_objects(source: Path, version: str) -> None:
    objects = render(source) if source.is_dir() else load_all(source)

    assert objects
    assert schema_errors(objects, version) == []


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_has_a_deployment_service_autoscaler_and_disruption_budget(
    base: list[Manifest], name: str
) -> None:
    for kind in ("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"):
        assert find(base, kind, name) is not None, kind


def test_no_secret_values_are_committed() -> None:
    committed_secrets = []
    for path in DEPLOY.rglob("*.yaml"):
        for doc in load_all(path):
            if not isinstance(doc, dict):  # a JSON patch: a list of operations
                continue
            if doc.get("kind") == "Secret":
                committed_secrets.append(f"{path}: Secret {doc['metadata']['name']}")
            for generator in doc.get("secretGenerator", []):
                if "literals" in generator:
                    committed_secrets.append(f"{path}: literals of {generator['name']}")

    assert committed_secrets == []


# --- the services' pods --------------------------------------------------------------------------


@pytest.mark.parametrize("name", SERVICES)
def test_readiness_probes_readyz_and_liveness_probes_healthz(
    rendered: list[Manifest], name: str
) -> None:
    container = container_of(get(rendered, "Deployment", name))

    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    # A slow start must not count against liveness; it waits on the same cheap endpoint.
    assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
    # /readyz gives each dependency 2 s before it reports it down.
    assert container["readinessProbe"]["timeoutSeconds"] > 2


@pytest.mark.parametrize("name", SERVICES)
def test_probes_service_and_scraper_reach_the_port_the_service_listens_on(
    rendered: list[Manifest], name: str
) -> None:
    deployment = get(rendered, "Deployment", name)
    container = container_of(deployment)
    (port,) = container["ports"]
    config = get(rendered, "ConfigMap", "mpp-config")["data"]
    service = get(rendered, "Service", name)

    assert port["containerPort"] == int(config["HTTP_PORT"])
    assert config["HTTP_HOST"] == "0.0.0.0"
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["port"] in (port["name"], port["containerPort"])
    assert [p["targetPort"] for p in service["spec"]["ports"]] == [port["name"]]
    annotations = deployment["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert annotations["prometheus.io/path"] == "/metrics"
    assert annotations["prometheus.io/port"] == str(port["containerPort"])


@pytest.mark.parametrize("name", SERVICES)
def test_containers_request_and_limit_cpu_and_memory(rendered: list[Manifest], name: str) -> None:
    resources = container_of(get(rendered, "Deployment", name))["resources"]

    for resource in ("cpu", "memory"):
        request = quantity(resources["requests"][resource])
        assert 0 < request <= quantity(resources["limits"][resource]), resource


@pytest.mark.parametrize("name", SERVICES)
def test_replicas_are_left_to_an_autoscaler_on_cpu(rendered: list[Manifest], name: str) -> None:
    deployment = get(rendered, "Deployment", name)
    autoscaler = get(rendered, "HorizontalPodAutoscaler", name)

    # An applied replica count would undo the autoscaler's on every deploy.
    assert "replicas" not in deployment["spec"]
    assert autoscaler["apiVersion"] == "autoscaling/v2"
    assert autoscaler["spec"]["scaleTargetRef"] == {
        "apiVersion": deployment["apiVersion"],
        "kind": "Deployment",
        "name": name,
    }
    # Two replicas at least: a pod may always be restarting or rescheduled.
    assert 2 <= autoscaler["spec"]["minReplicas"] < autoscaler["spec"]["maxReplicas"]
    (metric,) = autoscaler["spec"]["metrics"]
    assert metric["type"] == "Resource"
    assert metric["resource"]["name"] == "cpu"
    assert metric["resource"]["target"]["type"] == "Utilization"


@pytest.mark.parametrize("name", [*SERVICES, "console"])
def test_service_and_disruption_budget_select_this_deployments_pods_only(
    rendered: list[Manifest], name: str
) -> None:
    deployments = {d["metadata"]["name"]: d for d in of_kind(rendered, "Deployment")}
    service_selector = get(rendered, "Service", name)["spec"]["selector"]
    budget = get(rendered, "PodDisruptionBudget", name)["spec"]

    assert (
        deployments[name]["spec"]["selector"]["matchLabels"].items()
        <= pod_labels(deployments[name]).items()
    )
    for selector in (service_selector, budget["selector"]["matchLabels"]):
        selected = [n for n, d in deployments.items() if selects(selector, pod_labels(d))]
        assert selected == [name]
    # With the autoscaler's two replicas at least, one may always be evicted.
    assert budget["maxUnavailable"] == 1


@pytest.mark.parametrize("name", SERVICES)
def test_pods_run_as_the_images_unprivileged_user_with_a_read_only_root(
    rendered: list[Manifest], name: str
) -> None:
    pod = get(rendered, "Deployment", name)["spec"]["template"]["spec"]
    container = container_of(get(rendered, "Deployment", name))
    context = container["securityContext"]

    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == image_user()
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert pod["automountServiceAccountToken"] is False
    assert context["allowPrivilegeEscalation"] is False
    assert context["readOnlyRootFilesystem"] is True
    assert context["capabilities"] == {"drop": ["ALL"]}
    # The one writable path, for temporary files (multipart uploads spill there).
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    (tmp,) = [m for m in container["volumeMounts"] if m["mountPath"] == "/tmp"]  # noqa: S108
    assert "emptyDir" in volumes[tmp["name"]]


@pytest.mark.parametrize("name", SERVICES)
def test_environment_holds_only_settings_the_service_reads(
    rendered: list[Manifest], name: str
) -> None:
    container = container_of(get(rendered, "Deployment", name))
    from_config_maps = [
        key
        for source in container.get("envFrom", [])
        for key in get(rendered, "ConfigMap", source["configMapRef"]["name"])["data"]
    ]
    from_env = [var["name"] for var in container["env"]]
    # Variables that only feed another's $(NAME) (the broker credentials) are not settings.
    helpers = set()
    for position, var in enumerate(container["env"]):
        for reference in re.findall(r"\$\((\w+)\)", var.get("value", "")):
            # Kubernetes expands only variables defined before; others stay literal text.
            assert reference in from_config_maps + from_env[:position], reference
            helpers.add(reference)
    names = from_config_maps + from_env

    # A misspelt variable would be ignored silently (the settings allow extra variables).
    settings = {field.upper() for field in SETTINGS[name].model_fields}
    assert set(names) - helpers - settings == set()
    assert len(names) == len(set(names)), "a variable is set twice"


@pytest.mark.parametrize("name", SERVICES)
def test_configuration_parses_as_the_services_settings(
    rendered: list[Manifest], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    container = container_of(get(rendered, "Deployment", name))
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        env |= get(rendered, "ConfigMap", source["configMapRef"]["name"])["data"]
    for var in container["env"]:
        value = var.get("value", "from-a-secret")
        env[var["name"]] = re.sub(r"\$\((\w+)\)", lambda ref: env[ref.group(1)], value)
    for key, value in env.items():
        monkeypatch.setenv(key, value)

    settings = SETTINGS[name]()

    assert settings.mongo_database == name
    assert settings.jwks_url == "http://accounts/.well-known/jwks.json"
    assert settings.rabbitmq_url.startswith("amqp://from-a-secret:from-a-secret@")


@pytest.mark.parametrize("name", SERVICES)
def test_every_config_map_and_secret_a_pod_reads_is_provided(
    production: list[Manifest], name: str
) -> None:
    deployment = get(production, "Deployment", name)
    pod = deployment["spec"]["template"]["spec"]
    container = container_of(deployment)
    config_maps = {m["metadata"]["name"] for m in of_kind(production, "ConfigMap")}
    secrets = {m["metadata"]["name"]: set(m["data"]) for m in of_kind(production, "Secret")}
    secrets |= external_secrets()

    for source in container["envFrom"]:
        assert source["configMapRef"]["name"] in config_maps
    for var in container["env"]:
        if reference := var.get("valueFrom", {}).get("secretKeyRef"):
            assert reference["key"] in secrets[reference["name"]], var["name"]
    for volume in pod["volumes"]:
        if "secret" in volume:
            assert volume["secret"]["secretName"] in secrets


def test_accounts_reads_the_signing_key_from_the_secret_every_replica_mounts(
    base: list[Manifest],
) -> None:
    deployment = get(base, "Deployment", "accounts")
    pod = deployment["spec"]["template"]["spec"]
    container = container_of(deployment)
    key_file = Path(env_var(container, "JWT_PRIVATE_KEY_FILE")["value"])

    (volume,) = [v for v in pod["volumes"] if v.get("secret", {}).get("secretName")]
    assert volume["secret"]["secretName"] == SIGNING_KEY_SECRET
    (mount,) = [m for m in container["volumeMounts"] if m["name"] == volume["name"]]
    assert mount["readOnly"] is True
    assert Path(mount["mountPath"]) == key_file.parent
    assert key_file.name == signing_key_file_name()
    # The key file belongs to root and the fsGroup: the group read bit lets the service read it.
    assert volume["secret"]["defaultMode"] & 0o040
    assert pod["securityContext"]["fsGroup"] == image_user()


def test_only_accounts_reads_the_totp_secret_key_and_from_its_secret(
    base: list[Manifest],
) -> None:
    readers = {
        name
        for name in SERVICES
        if any(
            var.get("valueFrom", {}).get("secretKeyRef", {}).get("name") == TOTP_SECRET_KEY_SECRET
            for var in container_of(get(base, "Deployment", name))["env"]
        )
    }
    reference = env_var(container_of(get(base, "Deployment", "accounts")), "TOTP_SECRET_KEY")

    assert readers == {"accounts"}
    assert reference["valueFrom"]["secretKeyRef"] == {
        "name": TOTP_SECRET_KEY_SECRET,
        "key": literal_secret_key(TOTP_SECRET_KEY_SECRET),
    }


# --- RabbitMQ and MongoDB, provided by their operators -------------------------------------------


def test_rabbitmq_cluster_has_three_nodes_on_separate_machines() -> None:
    cluster = get(load_all(RABBITMQ), "RabbitmqCluster", "mpp-rabbitmq")
    budget = get(load_all(RABBITMQ), "PodDisruptionBudget", "mpp-rabbitmq")
    node_labels = {"app.kubernetes.io/name": cluster["metadata"]["name"]}  # set by the operator

    assert cluster["apiVersion"] == "rabbitmq.com/v1beta1"
    # Three replicas of each quorum queue: losing one node keeps the majority.
    assert cluster["spec"]["replicas"] == 3
    assert cluster["spec"]["image"].endswith("-management")
    assert cluster["spec"]["persistence"]["storage"]
    (anti_affinity,) = cluster["spec"]["affinity"]["podAntiAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"
    ]
    assert anti_affinity["topologyKey"] == "kubernetes.io/hostname"
    assert anti_affinity["labelSelector"]["matchLabels"] == node_labels
    assert budget["spec"] == {"maxUnavailable": 1, "selector": {"matchLabels": node_labels}}


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_connects_to_the_rabbitmq_cluster_as_its_default_user(
    base: list[Manifest], name: str
) -> None:
    cluster = get(load_all(RABBITMQ), "RabbitmqCluster", "mpp-rabbitmq")["metadata"]["name"]
    container = container_of(get(base, "Deployment", name))

    for variable, key in (("RABBITMQ_USERNAME", "username"), ("RABBITMQ_PASSWORD", "password")):
        reference = env_var(container, variable)["valueFrom"]["secretKeyRef"]
        assert reference == {"name": f"{cluster}-default-user", "key": key}
    # The operator's client Service is named after the cluster.
    assert env_var(container, "RABBITMQ_URL")["value"] == (
        f"amqp://$(RABBITMQ_USERNAME):$(RABBITMQ_PASSWORD)@{cluster}:5672/"
    )


def test_mongodb_replica_set_has_three_members_and_a_user_per_service_database() -> None:
    mongo = get(load_all(MONGO), "MongoDBCommunity", "mpp-mongo")
    spec = mongo["spec"]

    assert mongo["apiVersion"] == "mongodbcommunity.mongodb.com/v1"
    assert spec["type"] == "ReplicaSet"
    assert spec["members"] == 3  # a majority survives losing one member
    assert spec["security"]["authentication"]["modes"] == ["SCRAM"]
    assert [user["name"] for user in spec["users"]] == SERVICES
    for user in spec["users"]:
        # readWrite on its own database only: a service never reads another's data.
        assert user["roles"] == [{"name": "readWrite", "db": user["name"]}]
        assert user["passwordSecretRef"]["name"]


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_connects_to_mongo_as_its_own_user(base: list[Manifest], name: str) -> None:
    users = get(load_all(MONGO), "MongoDBCommunity", "mpp-mongo")["spec"]["users"]
    (user,) = [user for user in users if user["name"] == name]
    container = container_of(get(base, "Deployment", name))

    reference = env_var(container, "MONGO_URL")["valueFrom"]["secretKeyRef"]
    assert reference == {
        "name": user["connectionStringSecretName"],
        "key": "connectionString.standard",
    }
    assert env_var(container, "MONGO_DATABASE")["value"] == user["roles"][0]["db"]


def test_operator_resources_live_in_the_namespace_of_the_services() -> None:
    namespace = load_one(OVERLAY / "kustomization.yaml")["namespace"]

    for manifest in load_all(RABBITMQ) + load_all(MONGO):
        assert manifest["metadata"]["namespace"] == namespace, manifest["kind"]


# --- the production overlay ----------------------------------------------------------------------


def test_overlay_creates_the_namespace_it_deploys_into(production: list[Manifest]) -> None:
    namespace = load_one(OVERLAY / "kustomization.yaml")["namespace"]

    assert find(production, "Namespace", namespace) is not None
    assert {m["metadata"]["namespace"] for m in production if m["kind"] != "Namespace"} == {
        namespace
    }


def test_overlay_patches_are_single_objects_of_the_base(base: list[Manifest]) -> None:
    kustomization = load_one(OVERLAY / "kustomization.yaml")

    assert kustomization["patches"]
    for patch in kustomization["patches"]:
        change = load_one(OVERLAY / patch["path"])  # one document, well-formed YAML
        if "target" in patch:
            get(base, patch["target"]["kind"], patch["target"]["name"])
            assert isinstance(change, list), patch["path"]  # JSON patch operations
            continue
        original = get(base, change["kind"], change["metadata"]["name"])
        assert original["apiVersion"] == change["apiVersion"], patch["path"]


def test_overlay_patches_change_what_the_overlay_ships(
    base: list[Manifest], production: list[Manifest]
) -> None:
    for patch in load_one(OVERLAY / "kustomization.yaml")["patches"]:
        change = load_one(OVERLAY / patch["path"])
        if "target" in patch:
            kind, name = patch["target"]["kind"], patch["target"]["name"]

            def apply(manifest: Manifest, change: Any = change) -> Manifest:
                return json_patch(manifest, change)

        else:
            kind, name = change["kind"], change["metadata"]["name"]

            def apply(manifest: Manifest, change: Any = change) -> Manifest:
                return strategic_merge(manifest, change)

        original, shipped = get(base, kind, name), get(production, kind, name)

        assert apply(original) != original, f"{patch['path']} changes nothing"
        assert apply(shipped) == shipped, f"{patch['path']} is not applied"


def test_overlay_pins_every_image_of_the_base_to_a_registry_and_tag(
    base: list[Manifest], production: list[Manifest]
) -> None:
    overrides = load_one(OVERLAY / "kustomization.yaml")["images"]

    assert {image["name"] for image in overrides} == {
        split_image(c["image"])[0] for c in containers(base)
    }
    for image in overrides:
        assert "." in image["newName"].split("/")[0], image  # a registry host
        assert str(image["newTag"]) not in ("", "latest"), image


def test_overlay_config_merges_into_a_generator_of_the_base() -> None:
    base_generators = [
        g["name"] for g in load_one(BASE / "kustomization.yaml")["configMapGenerator"]
    ]

    for generator in load_one(OVERLAY / "kustomization.yaml")["configMapGenerator"]:
        assert generator["behavior"] == "merge"
        assert generator["name"] in base_generators


def test_overlay_secrets_come_from_ignored_files_with_placeholder_examples() -> None:
    ignored = [
        line.strip()
        for line in (OVERLAY / ".gitignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    for generator in load_one(OVERLAY / "kustomization.yaml")["secretGenerator"]:
        for env_file in generator["envs"]:
            assert any(fnmatch.fnmatch(env_file, pattern) for pattern in ignored), env_file
            example = read_env_file(OVERLAY / f"{env_file}.example")
            assert example, env_file
            assert set(example.values()) <= {"", "replace-me"}, "placeholders only"


# --- images --------------------------------------------------------------------------------------


def test_every_image_names_its_registry_and_a_fixed_tag(rendered: list[Manifest]) -> None:
    for container in containers(rendered):
        name, tag = split_image(container["image"])
        # A bare name (mpp/accounts) would be pulled from Docker Hub, or from nowhere.
        assert "." in name.split("/")[0], container["image"]
        # `latest`, or no tag, moves: a rollback or a new node would pull something else.
        assert tag not in ("", "latest"), container["image"]


def test_base_images_are_tagged_with_the_projects_version(base: list[Manifest]) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]

    assert {split_image(c["image"])[1] for c in containers(base)} == {version}


# --- the Ingress: one origin (DESIGN.md section 8) -----------------------------------------------


def ingress_path_matches(rule_path: str, path_type: str, path: str) -> bool:
    """Kubernetes' matching: Exact is the whole path; Prefix compares /-separated elements, so
    /v1/review matches /v1/review/x but not /v1/reviews, and a trailing / is ignored."""
    if path_type == "Exact":
        return path == rule_path
    assert path_type == "Prefix", path_type
    prefix = [part for part in rule_path.split("/") if part]
    return [part for part in path.split("/") if part][: len(prefix)] == prefix


def ingress_backend(ingress: Manifest, host: str, path: str) -> dict[str, Any]:
    """The backend the Ingress sends a request to: the longest matching path wins."""
    (rule,) = [rule for rule in ingress["spec"]["rules"] if rule["host"] == host]
    matching = [
        entry
        for entry in rule["http"]["paths"]
        if ingress_path_matches(entry["path"], entry["pathType"], path)
    ]
    assert matching, f"no path of the Ingress matches {path}"
    longest = max(matching, key=lambda entry: (len(entry["path"]), entry["pathType"] == "Exact"))
    return longest["backend"]["service"]


def sample_paths() -> list[str]:
    """Each prefix, below it, beside it (a longer name), and console paths."""
    paths = ["/", "/apply/details", "/assets/index-4f2a.js", "/v1", "/v1/", "/healthz", "/metrics"]
    for prefix, _ in ROUTES:
        base = prefix.rstrip("/")
        paths += [base, base + "/", base + "/x/y.json", base + "x", base + "-x"]
    return paths


def the_ingress(objects: list[Manifest]) -> Manifest:
    (ingress,) = of_kind(objects, "Ingress")
    return ingress


def test_ingress_routes_every_row_of_the_design_table_and_the_rest_to_the_console(
    rendered: list[Manifest],
) -> None:
    ingress = the_ingress(rendered)

    for rule in ingress["spec"]["rules"]:
        for path in sample_paths():
            backend = ingress_backend(ingress, rule["host"], path)
            assert backend["name"] == (GATEWAY_MODULE.service_for(path) or "console"), path


def test_ingress_has_one_prefix_path_per_row_of_the_table_and_one_for_the_console(
    rendered: list[Manifest],
) -> None:
    (rule,) = the_ingress(rendered)["spec"]["rules"]
    paths = [
        (entry["path"], entry["pathType"], entry["backend"]["service"]["name"])
        for entry in rule["http"]["paths"]
    ]

    assert sorted(paths) == sorted(
        [(prefix, "Prefix", service) for prefix, service in ROUTES] + [("/", "Prefix", "console")]
    )


def test_ingress_backends_reach_the_port_their_pods_listen_on(rendered: list[Manifest]) -> None:
    deployments = of_kind(rendered, "Deployment")

    for entry in the_ingress(rendered)["spec"]["rules"][0]["http"]["paths"]:
        backend = entry["backend"]["service"]
        service = get(rendered, "Service", backend["name"])
        (port,) = [
            port
            for port in service["spec"]["ports"]
            if port.get("name") == backend["port"].get("name", "-")
            or port["port"] == backend["port"].get("number")
        ]
        (deployment,) = [
            d for d in deployments if selects(service["spec"]["selector"], pod_labels(d))
        ]
        listening = {(p.get("name"), p["containerPort"]) for p in container_of(deployment)["ports"]}
        assert any(port["targetPort"] in pair for pair in listening), entry["path"]


def test_ingress_is_served_by_ingress_nginx_over_tls_for_its_host(
    rendered: list[Manifest],
) -> None:
    ingress = the_ingress(rendered)
    hosts = {rule["host"] for rule in ingress["spec"]["rules"]}

    assert ingress["spec"]["ingressClassName"] == "nginx"
    (tls,) = ingress["spec"]["tls"]
    assert set(tls["hosts"]) == hosts
    assert tls["secretName"]
    assert ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/ssl-redirect"] == "true"


def test_production_sets_a_real_host_and_a_certificate_issuer(
    base: list[Manifest], production: list[Manifest]
) -> None:
    (base_host,) = {rule["host"] for rule in the_ingress(base)["spec"]["rules"]}
    shipped = the_ingress(production)
    (host,) = {rule["host"] for rule in shipped["spec"]["rules"]}

    assert base_host.endswith(".invalid")  # a placeholder that can never resolve
    assert not host.endswith(".invalid")
    assert shipped["spec"]["tls"][0]["hosts"] == [host]
    # cert-manager obtains the certificate into the TLS Secret and renews it.
    assert shipped["metadata"]["annotations"]["cert-manager.io/cluster-issuer"]


def test_ingress_accepts_bodies_larger_than_the_services_limit(rendered: list[Manifest]) -> None:
    annotations = the_ingress(rendered)["metadata"]["annotations"]
    size = re.fullmatch(r"(\d+)m", annotations["nginx.ingress.kubernetes.io/proxy-body-size"])

    # Otherwise nginx, not the service, answers 413 (as HTML instead of problem+json).
    assert size is not None
    assert int(size.group(1)) * 1024 * 1024 > ServiceSettings().http_max_body_bytes


def test_ingress_does_not_hold_back_event_streams(rendered: list[Manifest]) -> None:
    annotations = the_ingress(rendered)["metadata"]["annotations"]

    assert annotations["nginx.ingress.kubernetes.io/proxy-buffering"] == "off"


# --- network policies ----------------------------------------------------------------------------

INGRESS_CONTROLLER = "namespace:ingress-nginx"
PROMETHEUS = "namespace:monitoring"
DNS = "namespace:kube-system"
RABBITMQ_OPERATOR = "namespace:rabbitmq-system"
ANYWHERE = "anywhere"
HTTP = "8000/TCP"
JWKS_CLIENTS = ("workspaces", "miniprograms", "notifier")  # accounts verifies in-process
RABBITMQ_CLUSTERING = ("4369/TCP", "25672/TCP", "35672-35682/TCP")
SMTP_PORTS = ("25/TCP", "465/TCP", "587/TCP")
ACME_SOLVER = "acme-http01-solver"


def rabbitmq_nodes() -> str:
    return get(load_all(RABBITMQ), "RabbitmqCluster", "mpp-rabbitmq")["metadata"]["name"]


def mongo_members() -> str:
    return get(load_all(MONGO), "MongoDBCommunity", "mpp-mongo")["metadata"]["name"]


def pod_groups(objects: list[Manifest]) -> dict[str, dict[str, str]]:
    """The pods of the namespace by group, with their labels: each Deployment's, and those
    of the StatefulSets the operators make (with the labels the operators give them)."""
    groups = {d["metadata"]["name"]: pod_labels(d) for d in of_kind(objects, "Deployment")}
    groups[rabbitmq_nodes()] = {
        "app.kubernetes.io/name": rabbitmq_nodes(),
        "app.kubernetes.io/component": "rabbitmq",
        "app.kubernetes.io/part-of": "rabbitmq",
    }
    groups[mongo_members()] = {"app": f"{mongo_members()}-svc"}
    # cert-manager's, while it solves an HTTP-01 challenge for the Ingress's certificate.
    groups[ACME_SOLVER] = {"acme.cert-manager.io/http01-solver": "true"}
    return groups


def label_selector_matches(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    assert set(selector) <= {"matchLabels", "matchExpressions"}, selector
    if not selects(selector.get("matchLabels", {}), labels):
        return False
    for expression in selector.get("matchExpressions", []):
        key, operator = expression["key"], expression["operator"]
        if operator == "In" and labels.get(key) not in expression["values"]:
            return False
        if operator == "NotIn" and labels.get(key) in expression["values"]:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
    return True


def selected_groups(selector: dict[str, Any], groups: dict[str, dict[str, str]]) -> list[str]:
    return [name for name, labels in groups.items() if label_selector_matches(selector, labels)]


def policy_peers(peers: list[dict[str, Any]] | None, groups: dict[str, dict[str, str]]) -> set[str]:
    """Each peer as pod:<group>, namespace:<name>, ip:<cidr>, or anywhere (no peers listed)."""
    if peers is None:
        return {ANYWHERE}
    found = set()
    for peer in peers:
        if "ipBlock" in peer:
            assert set(peer) == {"ipBlock"}, peer
            assert "except" not in peer["ipBlock"], peer
            found.add(f"ip:{peer['ipBlock']['cidr']}")
        elif "namespaceSelector" in peer:
            assert set(peer) == {"namespaceSelector"}, "namespace and pods in one peer"
            (namespace,) = peer["namespaceSelector"]["matchLabels"].values()
            assert peer["namespaceSelector"] == {
                "matchLabels": {"kubernetes.io/metadata.name": namespace}
            }, peer
            found.add(f"namespace:{namespace}")
        else:
            assert set(peer) == {"podSelector"}, peer
            names = selected_groups(peer["podSelector"], groups)
            assert names, f"the peer {peer} selects no pods"
            found |= {f"pod:{name}" for name in names}
    return found


def policy_ports(ports: list[dict[str, Any]] | None) -> set[str]:
    if ports is None:
        return {"all"}
    found = set()
    for port in ports:
        protocol = port.get("protocol", "TCP")
        number = f"{port['port']}-{port['endPort']}" if "endPort" in port else f"{port['port']}"
        found.add(f"{number}/{protocol}")
    return found


def allowed_connections(
    objects: list[Manifest],
) -> tuple[set[tuple[str, str, str]], set[tuple[str, str, str]]]:
    """(ingress, egress): (peer, group, port) a pod group accepts, and (group, peer, port) it
    may open, by the union of the policies (a connection inside the namespace needs both)."""
    groups = pod_groups(objects)
    ingress, egress = set(), set()
    for policy in of_kind(objects, "NetworkPolicy"):
        spec = policy["spec"]
        name = policy["metadata"]["name"]
        targets = selected_groups(spec["podSelector"], groups)
        for rule in spec.get("ingress", []):
            assert "Ingress" in spec["policyTypes"], f"{name}: ingress rules not in force"
            for peer in policy_peers(rule.get("from"), groups):
                for port in policy_ports(rule.get("ports")):
                    ingress |= {(peer, target, port) for target in targets}
        for rule in spec.get("egress", []):
            assert "Egress" in spec["policyTypes"], f"{name}: egress rules not in force"
            for peer in policy_peers(rule.get("to"), groups):
                for port in policy_ports(rule.get("ports")):
                    egress |= {(target, peer, port) for target in targets}
    return ingress, egress


def smtp_relay(objects: list[Manifest]) -> str:
    (rule,) = get(objects, "NetworkPolicy", "notifier-smtp")["spec"]["egress"]
    (peer,) = rule["to"]
    return str(peer["ipBlock"]["cidr"])


def documented_connections(
    objects: list[Manifest],
) -> tuple[set[tuple[str, str, str]], set[tuple[str, str, str]]]:
    """deploy/README.md's table of network policies, as (ingress, egress)."""
    rabbitmq, mongo = rabbitmq_nodes(), mongo_members()
    ingress = {(INGRESS_CONTROLLER, "console", "8080/TCP")}
    ingress.add((INGRESS_CONTROLLER, ACME_SOLVER, "8089/TCP"))
    egress = {
        (service, f"ip:{smtp_relay(objects)}", port)
        for service in ["notifier"]
        for port in SMTP_PORTS
    }
    for service in SERVICES:
        ingress |= {(INGRESS_CONTROLLER, service, HTTP), (PROMETHEUS, service, HTTP)}
        ingress |= {
            (f"pod:{service}", rabbitmq, "5672/TCP"),
            (f"pod:{service}", mongo, "27017/TCP"),
        }
        egress |= {
            (service, f"pod:{mongo}", "27017/TCP"),
            (service, f"pod:{rabbitmq}", "5672/TCP"),
            (service, DNS, "53/UDP"),
            (service, DNS, "53/TCP"),
        }
    for client in JWKS_CLIENTS:
        ingress.add((f"pod:{client}", "accounts", HTTP))
        egress.add((client, "pod:accounts", HTTP))
    for port in RABBITMQ_CLUSTERING:
        ingress.add((f"pod:{rabbitmq}", rabbitmq, port))
        egress.add((rabbitmq, f"pod:{rabbitmq}", port))
    ingress.add((RABBITMQ_OPERATOR, rabbitmq, "15672/TCP"))
    egress |= {(rabbitmq, DNS, "53/UDP"), (rabbitmq, DNS, "53/TCP")}
    ingress.add((f"pod:{mongo}", mongo, "27017/TCP"))
    egress |= {(mongo, f"pod:{mongo}", "27017/TCP"), (mongo, DNS, "53/UDP"), (mongo, DNS, "53/TCP")}
    egress |= {(mongo, ANYWHERE, "443/TCP"), (mongo, ANYWHERE, "6443/TCP")}  # the Kubernetes API
    return ingress, egress


def test_a_default_deny_covers_every_pod_in_both_directions(rendered: list[Manifest]) -> None:
    deny_all = [
        policy
        for policy in of_kind(rendered, "NetworkPolicy")
        if policy["spec"]["podSelector"] == {}
        and set(policy["spec"]["policyTypes"]) == {"Ingress", "Egress"}
        and not policy["spec"].get("ingress")
        and not policy["spec"].get("egress")
    ]

    assert len(deny_all) == 1


def test_every_network_policy_selects_pods_that_exist(rendered: list[Manifest]) -> None:
    groups = pod_groups(rendered)

    for policy in of_kind(rendered, "NetworkPolicy"):
        spec = policy["spec"]
        assert selected_groups(spec["podSelector"], groups), policy["metadata"]["name"]
        for rule in spec.get("ingress", []) + spec.get("egress", []):
            policy_peers(rule.get("from", rule.get("to")), groups)  # each pod peer selects some


def test_the_data_stores_policies_select_the_pods_their_operators_make(
    rendered: list[Manifest],
) -> None:
    # The operators label their pods from the resource's name: a renamed cluster or replica
    # set would leave these policies selecting nothing, and the default deny cutting it off.
    groups = pod_groups(rendered)

    assert selected_groups(
        get(rendered, "NetworkPolicy", "rabbitmq")["spec"]["podSelector"], groups
    ) == [rabbitmq_nodes()]
    assert selected_groups(
        get(rendered, "NetworkPolicy", "mongo")["spec"]["podSelector"], groups
    ) == [mongo_members()]


def test_network_policies_allow_exactly_the_documented_connections(
    rendered: list[Manifest],
) -> None:
    ingress, egress = allowed_connections(rendered)
    documented_ingress, documented_egress = documented_connections(rendered)

    assert ingress - documented_ingress == set(), "allowed in, but not documented"
    assert documented_ingress - ingress == set(), "documented, but not allowed in"
    assert egress - documented_egress == set(), "allowed out, but not documented"
    assert documented_egress - egress == set(), "documented, but not allowed out"


def test_each_connection_inside_the_namespace_is_allowed_at_both_ends(
    rendered: list[Manifest],
) -> None:
    ingress, egress = allowed_connections(rendered)

    for source, peer, port in egress:
        if peer.startswith("pod:"):
            assert (f"pod:{source}", peer.removeprefix("pod:"), port) in ingress, (source, peer)
    for peer, destination, port in ingress:
        if peer.startswith("pod:"):
            assert (peer.removeprefix("pod:"), f"pod:{destination}", port) in egress, peer


def test_policies_open_the_ports_the_pods_listen_on(rendered: list[Manifest]) -> None:
    ingress, _ = allowed_connections(rendered)

    for deployment in of_kind(rendered, "Deployment"):
        name = deployment["metadata"]["name"]
        listening = {f"{p['containerPort']}/TCP" for p in container_of(deployment)["ports"]}
        assert {port for _, group, port in ingress if group == name} == listening, name


def test_the_notifier_mails_only_its_relay_on_the_smtp_ports(rendered: list[Manifest]) -> None:
    relay = ipaddress.ip_network(smtp_relay(rendered))
    smtp_port = get(rendered, "ConfigMap", "notifier-config")["data"]["SMTP_PORT"]

    assert relay.num_addresses <= 256, "a relay's address or network, not the internet"
    assert f"{smtp_port}/TCP" in SMTP_PORTS


def test_production_names_its_own_smtp_relay(
    base: list[Manifest], production: list[Manifest]
) -> None:
    # The base's is a documentation address (TEST-NET-1) that no relay has.
    assert ipaddress.ip_network(smtp_relay(base)).subnet_of(ipaddress.ip_network("192.0.2.0/24"))
    assert smtp_relay(production) != smtp_relay(base)


# --- the console ---------------------------------------------------------------------------------


def console_image_user() -> int:
    users = re.findall(r"^USER\s+(\S+)", CONSOLE_DOCKERFILE.read_text(), re.MULTILINE)
    return int(users[-1])


def test_console_pods_run_as_the_images_unprivileged_user_with_a_read_only_root(
    rendered: list[Manifest],
) -> None:
    deployment = get(rendered, "Deployment", "console")
    pod = deployment["spec"]["template"]["spec"]
    context = container_of(deployment)["securityContext"]

    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == console_image_user()
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert pod["automountServiceAccountToken"] is False
    assert context == {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    }
    # nginx writes its pid file and temporary files under /tmp.
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    (tmp,) = [m for m in container_of(deployment)["volumeMounts"] if m["mountPath"] == "/tmp"]  # noqa: S108
    assert "emptyDir" in volumes[tmp["name"]]


def test_console_listens_and_is_probed_on_the_port_its_image_serves(
    rendered: list[Manifest],
) -> None:
    container = container_of(get(rendered, "Deployment", "console"))
    exposed = re.findall(r"^EXPOSE\s+(\d+)", CONSOLE_DOCKERFILE.read_text(), re.MULTILINE)
    (port,) = container["ports"]

    assert [str(port["containerPort"])] == exposed
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["port"] in (port["name"], port["containerPort"])
    resources = container["resources"]
    for resource in ("cpu", "memory"):
        request = quantity(resources["requests"][resource])
        assert 0 < request <= quantity(resources["limits"][resource]), resource


def test_console_runs_two_replicas_one_of_which_may_be_evicted(rendered: list[Manifest]) -> None:
    assert get(rendered, "Deployment", "console")["spec"]["replicas"] >= 2
    assert get(rendered, "PodDisruptionBudget", "console")["spec"]["maxUnavailable"] == 1
