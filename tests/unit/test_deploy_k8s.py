"""deploy/k8s: every manifest valid against the Kubernetes schemas (offline), and consistent with wirewatch.

The schemas are the ones bundled by ``kubernetes-validate`` (a dev dependency): no network, no
cluster. The kustomizations here only list resources and set a namespace and an image, so the
renderer below is all of kustomize they need; where ``kubectl`` (with its built-in kustomize)
is on PATH, its output is checked to be the same.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from streams.cli import build_parser
from streams.settings import Settings, setting_names

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
# the oldest Kubernetes still supported upstream when this was written, and the newest schemas bundled
VERSIONS = ("1.30", kubernetes_validate.utils.latest_version())
CLUSTER_SCOPED = {"Namespace"}
BUILT_IN_ONLY = {"ServiceMonitor"}  # a CRD: kubernetes-validate has no schema for it


def render(folder: Path) -> list[dict[str, Any]]:
    """What ``kubectl kustomize folder`` gives for the features these kustomizations use."""
    spec = yaml.safe_load((folder / "kustomization.yaml").read_text())
    unknown = set(spec) - {"apiVersion", "kind", "namespace", "resources", "images"}
    assert not unknown, f"{folder}: the test's renderer does not know {unknown}"
    docs: list[dict[str, Any]] = []
    for entry in spec["resources"]:
        path = folder / entry
        if path.is_dir():
            docs.extend(render(path))
        else:
            docs.extend(d for d in yaml.safe_load_all(path.read_text()) if d)
    docs = copy.deepcopy(docs)
    for doc in docs:
        if "namespace" in spec and doc["kind"] not in CLUSTER_SCOPED:
            doc["metadata"]["namespace"] = spec["namespace"]
        for image in spec.get("images", []):
            for container in _containers(doc):
                if container["image"].split(":")[0] == image["name"]:
                    container["image"] = f"{image.get('newName', image['name'])}:{image['newTag']}"
    return docs


def _containers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    pod = doc.get("spec", {}).get("template", {}).get("spec", {})
    return pod.get("containers", []) + pod.get("initContainers", [])


@pytest.fixture(scope="module")
def monitored() -> dict[tuple[str, str], dict[str, Any]]:
    docs = render(K8S / "monitored")
    by_key = {(d["kind"], d["metadata"]["name"]): d for d in docs}
    assert len(by_key) == len(docs), "two resources share a kind and name"
    return by_key


def test_every_yaml_file_is_listed_by_a_kustomization() -> None:
    listed = set()
    for kustomization in K8S.rglob("kustomization.yaml"):
        spec = yaml.safe_load(kustomization.read_text())
        listed |= {(kustomization.parent / r).resolve() for r in spec["resources"]}
        listed.add(kustomization.resolve())
    files = {p.resolve() for p in K8S.rglob("*.yaml")}
    assert files - listed == set(), "manifests that no kustomization applies"
    assert all(p.exists() for p in listed), "a kustomization lists a file that does not exist"


@pytest.mark.parametrize("overlay", ["base", "monitored"])
@pytest.mark.parametrize("version", VERSIONS)
def test_manifests_validate_against_the_kubernetes_schemas(overlay: str, version: str) -> None:
    docs = render(K8S / overlay)
    validated = 0
    for doc in docs:
        if doc["kind"] in BUILT_IN_ONLY:
            continue
        # strict: unknown fields are errors too (a misspelt field is otherwise silently ignored)
        kubernetes_validate.validate(doc, version, strict=True)
        validated += 1
    assert validated >= 6


def test_kubernetes_validate_does_catch_a_mistake() -> None:
    statefulset = next(d for d in render(K8S / "base") if d["kind"] == "StatefulSet")
    broken = copy.deepcopy(statefulset)
    broken["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["paht"] = "/healthz"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, VERSIONS[0], strict=True)


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl (with its kustomize) is not installed")
@pytest.mark.parametrize("overlay", ["base", "monitored"])
def test_the_renderer_agrees_with_kubectl_kustomize(overlay: str) -> None:
    proc = subprocess.run(["kubectl", "kustomize", str(K8S / overlay)], capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    theirs = [d for d in yaml.safe_load_all(proc.stdout) if d]
    key = lambda d: (d["kind"], d["metadata"]["name"])  # noqa: E731
    assert sorted(theirs, key=key) == sorted(render(K8S / overlay), key=key)


def _env_of(monitored: dict, container: dict[str, Any]) -> dict[str, str]:
    """The WIREWATCH_* variables the worker container gets: envFrom ConfigMap/Secret, then env."""
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            env.update(monitored[("ConfigMap", source["configMapRef"]["name"])]["data"])
        if "secretRef" in source:
            env.update(monitored[("Secret", source["secretRef"]["name"])]["stringData"])
    for item in container.get("env", []):
        if "value" in item:
            env[item["name"]] = item["value"]
    return env


def test_settings_come_from_the_configmap_and_secret_and_parse(monitored, monkeypatch) -> None:
    sts = monitored[("StatefulSet", "wirewatch")]
    [worker] = sts["spec"]["template"]["spec"]["containers"]
    env = _env_of(monitored, worker)
    known = setting_names()
    for name in env:
        if name.startswith("WIREWATCH_"):
            assert name in known, f"{name} is not a wirewatch setting"
    secret = monitored[("Secret", "wirewatch-kafka")]["stringData"]
    config = monitored[("ConfigMap", "wirewatch-settings")]["data"]
    assert not any("PASSWORD" in name for name in config), "secrets belong in the Secret"
    assert any("PASSWORD" in name for name in secret)

    for name in list(os.environ):
        if name.startswith("WIREWATCH_"):
            monkeypatch.delenv(name)
    pod = "wirewatch-0"
    for name, value in env.items():
        monkeypatch.setenv(name, value.replace("$(POD_NAME)", pod))
    settings = Settings()
    assert settings.app.store == "rocksdb://"
    assert settings.web.host == "0.0.0.0"
    assert settings.kafka.security_protocol == "SASL_SSL" and settings.bootstrap_is_explicit
    # peers reach a pod by its stable name under the headless service
    assert settings.web.canonical_url == f"http://{pod}.{sts['spec']['serviceName']}:{settings.web.port}"
    # more members than raw partitions would sit idle
    assert 1 <= sts["spec"]["replicas"] <= settings.topics.partitions
    # the command and its options are real
    args = build_parser().parse_args([*worker["command"][1:], *worker["args"]])
    assert args.func.__name__ == "_worker"


def test_rocksdb_lives_on_a_persistent_volume_per_pod(monitored) -> None:
    sts = monitored[("StatefulSet", "wirewatch")]
    [worker] = sts["spec"]["template"]["spec"]["containers"]
    data_dir = monitored[("ConfigMap", "wirewatch-settings")]["data"]["WIREWATCH_APP__DATA_DIR"]
    mounts = {m["mountPath"]: m["name"] for m in worker["volumeMounts"]}
    claims = {c["metadata"]["name"] for c in sts["spec"]["volumeClaimTemplates"]}
    assert mounts[data_dir] in claims
    assert sts["spec"]["template"]["spec"]["securityContext"]["fsGroup"] == 10001


def test_probes_services_and_servicemonitor_line_up(monitored) -> None:
    sts = monitored[("StatefulSet", "wirewatch")]
    pod_labels = sts["spec"]["template"]["metadata"]["labels"]
    assert sts["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    [worker] = sts["spec"]["template"]["spec"]["containers"]
    ports = {p["name"]: p["containerPort"] for p in worker["ports"]}
    web_port = int(monitored[("ConfigMap", "wirewatch-settings")]["data"]["WIREWATCH_WEB__PORT"])
    assert ports["http"] == web_port
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        get = worker[probe]["httpGet"]
        assert get["path"] == "/healthz" and get["port"] in ports, probe

    headless = monitored[("Service", sts["spec"]["serviceName"])]
    assert headless["spec"]["clusterIP"] == "None"
    views = monitored[("Service", "wirewatch")]
    for service in (views, headless):
        assert service["spec"]["selector"].items() <= pod_labels.items()
        assert {p["targetPort"] for p in service["spec"]["ports"]} <= set(ports)

    monitor = monitored[("ServiceMonitor", "wirewatch")]
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    assert monitor["spec"]["selector"]["matchLabels"].items() <= views["metadata"]["labels"].items()
    assert not monitor["spec"]["selector"]["matchLabels"].items() <= headless["metadata"]["labels"].items()
    assert monitor["spec"]["namespaceSelector"]["matchNames"] == [views["metadata"]["namespace"]]
    [endpoint] = monitor["spec"]["endpoints"]
    assert endpoint["port"] in {p["name"] for p in views["spec"]["ports"]}
    assert endpoint["path"] == "/metrics"
    assert re.fullmatch(r"\d+s", endpoint["interval"])


def test_the_image_is_built_with_the_rocksdb_store() -> None:
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert "pip install '.[rocksdb]'" in dockerfile
