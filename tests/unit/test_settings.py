"""Settings come from WIREWATCH_* variables, nested with __, and never print secrets."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from pydantic import SecretStr

from streams.commands.config import resolved_settings_json
from streams.settings import Settings


def test_defaults_without_environment(monkeypatch):
    for name in list(os.environ):
        if name.startswith("WIREWATCH_"):
            monkeypatch.delenv(name)
    s = Settings()
    assert s.kafka.bootstrap_servers == "127.0.0.1:9092"
    assert s.kafka.security_protocol == "PLAINTEXT"
    assert s.broker.port == 9092 and s.broker.controller_port is None
    assert s.topics.raw.endswith(".v1")


def test_prefix_and_nested_delimiter(monkeypatch, tmp_path):
    monkeypatch.setenv("WIREWATCH_KAFKA__BOOTSTRAP_SERVERS", "kafka:19092")
    monkeypatch.setenv("WIREWATCH_TOPICS__RAW", "my.raw")
    monkeypatch.setenv("WIREWATCH_BROKER__PORT", "29092")
    monkeypatch.setenv("WIREWATCH_BROKER__DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KAFKA__BOOTSTRAP_SERVERS", "ignored:1")  # no prefix: not ours
    s = Settings()
    assert s.kafka.bootstrap_servers == "kafka:19092"
    assert s.topics.raw == "my.raw"
    assert s.broker.port == 29092
    assert s.broker.data_dir == tmp_path


def test_secrets_are_secretstr_and_masked(monkeypatch):
    monkeypatch.setenv("WIREWATCH_KAFKA__SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("WIREWATCH_KAFKA__SASL_MECHANISM", "SCRAM-SHA-512")
    monkeypatch.setenv("WIREWATCH_KAFKA__SASL_USERNAME", "svc")
    monkeypatch.setenv("WIREWATCH_KAFKA__SASL_PASSWORD", "hunter2-secret")
    monkeypatch.setenv("WIREWATCH_KAFKA__SSL_KEY_PASSWORD", "keypass-secret")
    s = Settings()
    assert isinstance(s.kafka.sasl_password, SecretStr)
    assert s.kafka.sasl_password.get_secret_value() == "hunter2-secret"
    assert "hunter2-secret" not in repr(s) and "hunter2-secret" not in str(s)

    out = resolved_settings_json()
    assert "hunter2-secret" not in out and "keypass-secret" not in out
    data = json.loads(out)
    assert data["kafka"]["sasl_password"] == "**********"
    assert data["kafka"]["ssl_key_password"] == "**********"
    assert data["kafka"]["sasl_username"] == "svc"  # a user name is not a secret


def _check_config(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "streams.cli", "check-config"]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)


def test_check_config_command_masks_and_reports_bad_values(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIREWATCH_")}
    env["WIREWATCH_KAFKA__SASL_PASSWORD"] = "topsecret"
    proc = _check_config(env)
    assert proc.returncode == 0, proc.stderr
    assert "topsecret" not in proc.stdout
    assert json.loads(proc.stdout)["kafka"]["sasl_password"] == "**********"

    env["WIREWATCH_WEB__PORT"] = "not-a-port"
    proc = _check_config(env)
    assert proc.returncode == 2
    assert proc.stderr.startswith("wirewatch: error: invalid setting WIREWATCH_WEB__PORT='not-a-port'")
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
