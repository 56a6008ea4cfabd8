"""docker-compose.yml and deploy/Dockerfile agree with the settings and the CLI (no Docker engine needed)."""

from __future__ import annotations

import json
import os
import re
import shlex
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from streams.cli import build_parser
from streams.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _env(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):  # the "- NAME=value" form
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def _settings_field(env_name: str) -> object:
    """Walk Settings along WIREWATCH_A__B__C; raise KeyError if any part is not a field."""
    parts = env_name.removeprefix("WIREWATCH_").lower().split("__")
    model: type[BaseModel] = Settings
    annotation: object = None
    for i, part in enumerate(parts):
        field = model.model_fields[part]  # KeyError → not a setting
        annotation = field.annotation
        if i < len(parts) - 1:
            assert isinstance(annotation, type) and issubclass(annotation, BaseModel), (
                f"{part} is not a group"
            )
            model = annotation
    return annotation


def test_services_and_official_kafka_image(compose):
    services = compose["services"]
    assert set(services) >= {"kafka", "worker"}
    assert re.fullmatch(r"apache/kafka:3\.9\.\d+", services["kafka"]["image"])
    assert services["worker"]["build"]["dockerfile"] == "deploy/Dockerfile"
    assert (ROOT / services["worker"]["build"].get("context", ".") / "deploy/Dockerfile").is_file()
    assert services["worker"]["depends_on"]["kafka"]["condition"] == "service_healthy"
    for name in ("kafka", "worker"):
        assert services[name]["healthcheck"]["test"], f"{name} has no healthcheck"


def test_kafka_runs_kraft_single_node(compose):
    env = _env(compose["services"]["kafka"])
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == f"{env['KAFKA_NODE_ID']}@kafka:9093"
    assert "ZOOKEEPER" not in " ".join(env)
    assert len(env["CLUSTER_ID"]) == 22
    assert env["KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS"] == "0"
    assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "1"


def test_worker_env_names_are_real_settings_and_valid(compose, monkeypatch):
    env = _env(compose["services"]["worker"])
    names = [n for n in env if n.startswith("WIREWATCH_")]
    assert names, "the worker gets its settings from WIREWATCH_* variables"
    for name in names:
        try:
            _settings_field(name)
        except KeyError:
            pytest.fail(f"{name} in docker-compose.yml is not a settings field")
    # and the values parse: the same Settings object the worker builds
    for name in list(os.environ):
        if name.startswith("WIREWATCH_"):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    s = Settings()
    assert s.web.host == "0.0.0.0"
    assert s.web.port == int(env["WIREWATCH_WEB__PORT"])


def test_worker_reaches_the_broker_on_its_advertised_internal_listener(compose):
    kafka_env = _env(compose["services"]["kafka"])
    advertised = {
        url.split("://", 1)[1] for url in kafka_env["KAFKA_ADVERTISED_LISTENERS"].split(",") if "://" in url
    }
    bootstrap = _env(compose["services"]["worker"])["WIREWATCH_KAFKA__BOOTSTRAP_SERVERS"]
    assert bootstrap in advertised
    # the healthcheck probes that same listener
    assert bootstrap in " ".join(compose["services"]["kafka"]["healthcheck"]["test"])


def test_worker_port_matches_its_published_port_and_healthcheck(compose):
    worker = compose["services"]["worker"]
    port = _env(worker)["WIREWATCH_WEB__PORT"]
    assert any(str(p).endswith(f":{port}") for p in worker["ports"])
    assert f":{port}/healthz" in " ".join(worker["healthcheck"]["test"])


def _dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "deploy" / "Dockerfile").read_text().replace("\\\n", " ")
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            out.append((keyword.upper(), rest.strip()))
    return out


def test_dockerfile_builds_python_311_slim_and_runs_a_real_cli_command():
    instructions = _dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    copied = " ".join(rest for kw, rest in instructions if kw == "COPY")
    for path in re.findall(r"[\w./-]+", copied):
        if path not in {".", "./", "./schemas", "./streams"} and not path.startswith("/"):
            assert (ROOT / path).exists(), f"Dockerfile copies missing {path}"
    assert any(kw == "RUN" and "pip install '.[rocksdb]'" in rest for kw, rest in instructions)
    # the third-party codebook is installed at build time, after wirewatch itself
    run = " ".join(rest for kw, rest in instructions if kw == "RUN")
    assert "wirewatch codebook install" in run.split("pip install '.[rocksdb]'", 1)[1]
    assert callable(build_parser().parse_args(["codebook", "install"]).func)
    cmd = json.loads(next(rest for kw, rest in instructions if kw == "CMD"))
    assert cmd[:2] == ["wirewatch", "worker"]
    # the options parse with the real CLI (catches a renamed command or flag)
    args = build_parser().parse_args(cmd[1:])
    assert callable(args.func)
    env_line = " ".join(rest for kw, rest in instructions if kw == "ENV")
    for name in re.findall(r"(WIREWATCH_\w+)=", env_line):
        _settings_field(name)
    assert shlex.split(env_line)  # well-formed


def test_documented_environment_names_are_real_settings():
    text = (ROOT / "docs" / "operations.md").read_text()
    names = set(re.findall(r"WIREWATCH_[A-Z]+__[A-Z_]+", text))
    assert len(names) > 20
    for name in sorted(names):
        try:
            _settings_field(name)
        except KeyError:
            pytest.fail(f"docs/operations.md documents {name}, which is not a settings field")


def _compose_spec_schema() -> dict:
    """The compose-spec JSON schema vendored (with its sha256) by check-jsonschema, a dev dependency.

    Read as a data file of the installed distribution, without importing the package (its CLI
    needs a newer click than faust-streaming allows; the schema does not).
    """
    import hashlib
    from importlib.metadata import distribution

    where = "check_jsonschema/builtin_schemas/vendor"
    vendor = Path(str(distribution("check-jsonschema").locate_file(where)))
    data = (vendor / "compose-spec.json").read_bytes()
    pinned = (vendor / "sha256" / "compose-spec.sha256").read_text().split()[0]
    assert hashlib.sha256(data).hexdigest() == pinned
    return json.loads(data)


def test_compose_file_follows_the_compose_specification(compose):
    import jsonschema

    schema = _compose_spec_schema()
    cls = jsonschema.validators.validator_for(schema)  # the schema's own draft (2020-12)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(compose), key=lambda e: list(e.path))
    assert not errors, "; ".join(f"{'.'.join(map(str, e.path))}: {e.message}" for e in errors)
    # and the check can fail: a misspelt service key is refused
    broken = {
        **compose,
        "services": {**compose["services"], "worker": {**compose["services"]["worker"], "enviroment": {}}},
    }
    assert list(validator.iter_errors(broken))


def test_worker_keeps_rocksdb_tables_on_its_volume(compose):
    worker = compose["services"]["worker"]
    env = _env(worker)
    assert env["WIREWATCH_APP__STORE"] == "rocksdb://"
    mounts = {v.split(":", 1)[1]: v.split(":", 1)[0] for v in worker["volumes"]}
    volume = mounts[env["WIREWATCH_APP__DATA_DIR"]]
    assert volume in compose["volumes"]
