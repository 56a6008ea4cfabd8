"""Settings → client kwargs for kafka-python and faust, for each security protocol."""

from __future__ import annotations

import shutil
import ssl
import subprocess

import faust
import pytest
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from pydantic import SecretStr, ValidationError

from streams.adapters import kafka_clients as kc
from streams.errors import ConfigError
from streams.settings import KafkaSettings


@pytest.fixture(scope="module")
def client_cert(tmp_path_factory):
    """A throw-away self-signed certificate and key (also usable as the CA file)."""
    openssl = shutil.which("openssl")
    assert openssl, "openssl is needed to make a test certificate"
    d = tmp_path_factory.mktemp("tls")
    cert, key = d / "client.pem", d / "client.key"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=wirewatch-test", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def test_plaintext_has_no_security_options():
    kw = kc.kafka_python_kwargs(KafkaSettings(bootstrap_servers="a:9092, b:9093", client_id="cid"))
    assert kw == {
        "bootstrap_servers": ["a:9092", "b:9093"],
        "client_id": "cid",
        "security_protocol": "PLAINTEXT",
        "bootstrap_timeout_ms": 4000,  # kafka.connect_timeout_s: an unreachable cluster fails fast
    }


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_sasl_plaintext_unwraps_the_password(mechanism):
    k = KafkaSettings(
        security_protocol="SASL_PLAINTEXT",
        sasl_mechanism=mechanism,
        sasl_username="u",
        sasl_password="s3cret",
    )
    kw = kc.kafka_python_kwargs(k)
    assert kw["security_protocol"] == "SASL_PLAINTEXT"
    assert kw["sasl_mechanism"] == mechanism
    assert kw["sasl_plain_username"] == "u"
    assert kw["sasl_plain_password"] == "s3cret"
    assert "ssl_cafile" not in kw
    assert "s3cret" not in repr(k)  # the settings object itself keeps it masked


def test_sasl_ssl_combines_both(client_cert):
    cert, key = client_cert
    k = KafkaSettings(
        security_protocol="SASL_SSL", sasl_mechanism="SCRAM-SHA-512", sasl_username="u",
        sasl_password=SecretStr("pw"), ssl_cafile=cert, ssl_certfile=cert, ssl_keyfile=key,
        ssl_key_password=SecretStr("kpw"),
    )  # fmt: skip
    kw = kc.kafka_python_kwargs(k)
    assert kw["security_protocol"] == "SASL_SSL"
    assert kw["ssl_cafile"] == str(cert) and kw["ssl_certfile"] == str(cert) and kw["ssl_keyfile"] == str(key)
    assert kw["ssl_password"] == "kpw"
    assert kw["sasl_plain_password"] == "pw"


@pytest.mark.parametrize(
    "fields, fragment",
    [
        ({"security_protocol": "SASL_SSL", "sasl_username": "u", "sasl_password": "p"}, "sasl_mechanism"),
        ({"security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": "PLAIN"}, "sasl_username"),
        ({"sasl_mechanism": "PLAIN", "sasl_username": "u"}, "SASL_PLAINTEXT or SASL_SSL"),
        ({"ssl_cafile": "/ca.pem"}, "SSL or SASL_SSL"),
        ({"security_protocol": "SSL", "ssl_keyfile": "/k.pem"}, "ssl_certfile"),
    ],
)
def test_inconsistent_settings_are_config_errors(fields, fragment):
    with pytest.raises(ConfigError, match=fragment):
        kc.kafka_python_kwargs(KafkaSettings(**fields))


@pytest.mark.parametrize(
    "value, fragment",
    [
        (" , ", "empty"),
        ("127.0.0.1:abc", "port must be a number"),
        ("kafka", "not HOST:PORT"),
        ("a:9092,b:99999", "port must be a number"),
        (":9092", "not HOST:PORT"),
    ],
)
def test_bad_bootstrap_lists_are_refused_when_settings_are_read(value, fragment):
    with pytest.raises(ValidationError, match=fragment):
        KafkaSettings(bootstrap_servers=value)
    # a list built by hand past validation is still refused by the client options
    k = KafkaSettings().model_copy(update={"bootstrap_servers": value})
    with pytest.raises(ConfigError, match=fragment):
        kc.kafka_python_kwargs(k)


def test_kwargs_are_accepted_by_every_kafka_python_client():
    # kafka-python rejects unknown config names at construction, before any connection:
    # an unknown key raises KafkaConfigurationError, while a known one only fails to connect later.
    k = KafkaSettings(
        security_protocol="SASL_PLAINTEXT",
        sasl_mechanism="SCRAM-SHA-256",
        sasl_username="u",
        sasl_password="p",
    )
    for cls, builder in ((KafkaProducer, kc.producer_kwargs), (KafkaConsumer, kc.consumer_kwargs),
                         (KafkaAdminClient, kc.admin_kwargs)):  # fmt: skip
        valid = set(cls.DEFAULT_CONFIG)
        unknown = set(builder(k)) - valid
        assert not unknown, f"{cls.__name__} does not know {unknown}"


def test_faust_plaintext_brokers():
    kw = kc.faust_app_kwargs(KafkaSettings(bootstrap_servers="h1:9092,h2:9092"))
    assert kw == {"broker": ["kafka://h1:9092", "kafka://h2:9092"]}


def test_faust_sasl_plaintext_credentials():
    k = KafkaSettings(
        security_protocol="SASL_PLAINTEXT",
        sasl_mechanism="SCRAM-SHA-256",
        sasl_username="u",
        sasl_password="pw",
    )
    creds = kc.faust_app_kwargs(k)["broker_credentials"]
    assert isinstance(creds, faust.SASLCredentials)
    assert (creds.username, creds.password, creds.mechanism.value) == ("u", "pw", "SCRAM-SHA-256")
    assert creds.protocol.value == "SASL_PLAINTEXT" and creds.ssl_context is None


def test_faust_sasl_ssl_credentials_carry_a_tls_context(client_cert):
    cert, key = client_cert
    k = KafkaSettings(
        security_protocol="SASL_SSL", sasl_mechanism="PLAIN", sasl_username="u", sasl_password="pw",
        ssl_cafile=cert,
    )  # fmt: skip
    creds = kc.faust_app_kwargs(k)["broker_credentials"]
    assert creds.protocol.value == "SASL_SSL"
    assert isinstance(creds.ssl_context, ssl.SSLContext)
    assert creds.ssl_context.verify_mode == ssl.CERT_REQUIRED


def test_faust_ssl_credentials_with_client_certificate(client_cert):
    cert, key = client_cert
    k = KafkaSettings(security_protocol="SSL", ssl_cafile=cert, ssl_certfile=cert, ssl_keyfile=key)
    creds = kc.faust_app_kwargs(k)["broker_credentials"]
    assert isinstance(creds, faust.SSLCredentials)
    assert creds.protocol.value == "SSL"
    # the CA we passed is the only one loaded (create_default_context(cafile=...) skips the system store)
    assert [c["subject"] for c in creds.context.get_ca_certs()] == [((("commonName", "wirewatch-test"),),)]


def test_unreadable_tls_file_is_a_config_error(tmp_path):
    k = KafkaSettings(security_protocol="SSL", ssl_cafile=tmp_path / "missing.pem")
    with pytest.raises(ConfigError, match="TLS context"):
        kc.faust_app_kwargs(k)


def test_a_client_that_cannot_connect_is_unreachable_and_an_open_one_is_closed_on_exit():
    from streams.errors import BrokerError

    kafka = KafkaSettings(bootstrap_servers="127.0.0.1:1")

    def refuse() -> object:
        raise OSError("connection refused")

    with (
        pytest.raises(BrokerError, match=r"cannot reach Kafka at 127\.0\.0\.1:1 .*\(OSError\)"),
        kc.connected(kafka, refuse, lambda _: None),
    ):
        pass
    closed: list[object] = []
    client = object()

    def use() -> None:
        with kc.connected(kafka, lambda: client, closed.append) as got:
            assert got is client
            raise RuntimeError("the caller's own failure")

    with pytest.raises(RuntimeError, match="the caller's own failure"):
        use()
    assert closed == [client]
