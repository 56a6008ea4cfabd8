"""Client options from ``KafkaSettings``: kafka-python kwargs and faust App kwargs.

One place turns the settings (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL with PLAIN
or SCRAM) into what each client library expects, so a real cluster is reached
the same way by the admin helpers, the tests and the Faust worker. Secrets are
unwrapped here and nowhere else.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from streams.errors import BrokerError, ConfigError
from streams.settings import KafkaSettings, bootstrap_problem

if TYPE_CHECKING:
    from kafka import KafkaAdminClient

T = TypeVar("T")

_SASL = {"SASL_PLAINTEXT", "SASL_SSL"}
_TLS = {"SSL", "SASL_SSL"}


def bootstrap_list(kafka: KafkaSettings) -> list[str]:
    problem = bootstrap_problem(kafka.bootstrap_servers)
    if problem:
        raise ConfigError(f"kafka.bootstrap_servers {kafka.bootstrap_servers!r}: {problem}")
    return [h.strip() for h in kafka.bootstrap_servers.split(",") if h.strip()]


def validate(kafka: KafkaSettings) -> None:
    """Refuse combinations a client would only fail on later, and less clearly."""
    proto = kafka.security_protocol
    if proto in _SASL:
        if kafka.sasl_mechanism is None:
            raise ConfigError(
                f"kafka.security_protocol={proto} needs kafka.sasl_mechanism (PLAIN or SCRAM-SHA-*)"
            )
        if not kafka.sasl_username or kafka.sasl_password is None:
            raise ConfigError(
                f"kafka.security_protocol={proto} needs kafka.sasl_username and kafka.sasl_password"
            )
    elif kafka.sasl_mechanism is not None or kafka.sasl_username:
        raise ConfigError(
            f"SASL options are set but kafka.security_protocol={proto}; use SASL_PLAINTEXT or SASL_SSL"
        )
    if proto not in _TLS and (kafka.ssl_cafile or kafka.ssl_certfile or kafka.ssl_keyfile):
        raise ConfigError(f"SSL files are set but kafka.security_protocol={proto}; use SSL or SASL_SSL")
    if kafka.ssl_keyfile and not kafka.ssl_certfile:
        raise ConfigError("kafka.ssl_keyfile needs kafka.ssl_certfile (client certificate)")


def kafka_python_kwargs(kafka: KafkaSettings) -> dict[str, Any]:
    """Connection kwargs shared by kafka-python's KafkaProducer, KafkaConsumer and KafkaAdminClient."""
    validate(kafka)
    kwargs: dict[str, Any] = {
        "bootstrap_servers": bootstrap_list(kafka),
        "client_id": kafka.client_id,
        "security_protocol": kafka.security_protocol,
        # the first connection gives up after this long (kafka-python's default is 30 s)
        "bootstrap_timeout_ms": int(kafka.connect_timeout_s * 1000),
    }
    if kafka.security_protocol in _TLS:
        kwargs["ssl_check_hostname"] = True
        if kafka.ssl_cafile:
            kwargs["ssl_cafile"] = str(kafka.ssl_cafile)
        if kafka.ssl_certfile:
            kwargs["ssl_certfile"] = str(kafka.ssl_certfile)
        if kafka.ssl_keyfile:
            kwargs["ssl_keyfile"] = str(kafka.ssl_keyfile)
        if kafka.ssl_key_password is not None:
            kwargs["ssl_password"] = kafka.ssl_key_password.get_secret_value()
    if kafka.security_protocol in _SASL:
        kwargs["sasl_mechanism"] = kafka.sasl_mechanism
        kwargs["sasl_plain_username"] = kafka.sasl_username
        kwargs["sasl_plain_password"] = kafka.sasl_password.get_secret_value()  # type: ignore[union-attr]
    return kwargs


UNREACHABLE_HINT = (
    "start one with `wirewatch broker start`, or point wirewatch at yours with "
    "WIREWATCH_KAFKA__BOOTSTRAP_SERVERS or --bootstrap"
)


def unreachable(kafka: KafkaSettings, exc: BaseException) -> BrokerError:
    """The one error of every client that cannot reach the cluster, with what to do about it."""
    return BrokerError(
        f"cannot reach Kafka at {kafka.bootstrap_servers} within {kafka.connect_timeout_s:g} s "
        f"({type(exc).__name__}); {UNREACHABLE_HINT}"
    )


def producer_kwargs(kafka: KafkaSettings, **overrides: Any) -> dict[str, Any]:
    return {**kafka_python_kwargs(kafka), "acks": "all", **overrides}


def consumer_kwargs(kafka: KafkaSettings, **overrides: Any) -> dict[str, Any]:
    return {**kafka_python_kwargs(kafka), "auto_offset_reset": "earliest", **overrides}


def admin_kwargs(kafka: KafkaSettings, **overrides: Any) -> dict[str, Any]:
    return {**kafka_python_kwargs(kafka), **overrides}


def ssl_context(kafka: KafkaSettings) -> ssl.SSLContext:
    """A client TLS context from the CA file and optional client certificate (aiokafka/faust want one)."""
    cafile = str(kafka.ssl_cafile) if kafka.ssl_cafile else None
    try:
        context = ssl.create_default_context(purpose=ssl.Purpose.SERVER_AUTH, cafile=cafile)
        if kafka.ssl_certfile:
            context.load_cert_chain(
                certfile=str(kafka.ssl_certfile),
                keyfile=str(kafka.ssl_keyfile) if kafka.ssl_keyfile else None,
                password=kafka.ssl_key_password.get_secret_value() if kafka.ssl_key_password else None,
            )
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"cannot build the Kafka TLS context: {exc}") from exc
    return context


def faust_app_kwargs(kafka: KafkaSettings) -> dict[str, Any]:
    """``broker`` and ``broker_credentials`` for ``faust.App(...)``."""
    import faust  # the CLI's other commands need not pay for importing faust

    validate(kafka)
    kwargs: dict[str, Any] = {"broker": [f"kafka://{h}" for h in bootstrap_list(kafka)]}
    proto = kafka.security_protocol
    if proto in _SASL:
        kwargs["broker_credentials"] = faust.SASLCredentials(
            username=kafka.sasl_username,
            password=kafka.sasl_password.get_secret_value(),  # type: ignore[union-attr]
            mechanism=kafka.sasl_mechanism,
            # a context switches faust's protocol from SASL_PLAINTEXT to SASL_SSL
            ssl_context=ssl_context(kafka) if proto == "SASL_SSL" else None,
        )
    elif proto == "SSL":
        kwargs["broker_credentials"] = faust.SSLCredentials(ssl_context(kafka))
    return kwargs


@contextmanager
def connected(kafka: KafkaSettings, make: Callable[[], T], close: Callable[[T], object]) -> Iterator[T]:
    """The client ``make()`` builds (one that cannot connect is ``unreachable``), ``close``d on exit."""
    from kafka.errors import KafkaError

    try:
        client = make()
    except (KafkaError, OSError) as exc:
        raise unreachable(kafka, exc) from exc
    try:
        yield client
    finally:
        close(client)


def admin_client(kafka: KafkaSettings, **overrides: Any) -> AbstractContextManager[KafkaAdminClient]:
    """A kafka-python admin client (request timeout 30 s unless overridden), closed on exit."""
    from kafka import KafkaAdminClient  # lazy: keep `wirewatch --help` fast

    options = admin_kwargs(kafka, **{"request_timeout_ms": 30_000, **overrides})
    return connected(kafka, lambda: KafkaAdminClient(**options), KafkaAdminClient.close)
