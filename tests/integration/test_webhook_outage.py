"""The webhook receiver is down while alerts are raised, the worker is restarted meanwhile, and
once the receiver is back every alert reaches it: at least once, exactly once per Idempotency-Key
(issue 12).

Delivery reads the alerts topic and commits an alert's offset only once it is delivered, given
up on or deferred (``streams.adapters.webhook_delivery``): the first worker keeps retrying against
the dead port and is stopped (SIGTERM) before it gives up; it defers the alerts in flight (sends
them again to the alerts topic) and stops at once, where it used to wait out every retry (minutes:
faust waits for the messages in flight), and the restarted worker delivers them."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml
from streamkit import REPO, StreamEnv, TopicReader, Worker, encode, poll, publish, sample_articles

from schemas.alerts import Alert
from streams.adapters.alerting import load_rules
from streams.adapters.broker import free_port
from streams.adapters.nlp import load_coder
from streams.core import alerts

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

RULES = REPO / "deploy" / "alerts.example.yaml"


class Receiver(BaseHTTPRequestHandler):
    posts: list[tuple[str | None, dict]] = []  # (Idempotency-Key, body) of every POST answered 2xx

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).posts.append((self.headers.get("Idempotency-Key"), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


class Server(ThreadingHTTPServer):
    allow_reuse_address = True


def test_alerts_raised_while_the_receiver_is_down_arrive_once_each_after_a_restart(kafka_bootstrap, tmp_path):
    env = StreamEnv(kafka_bootstrap, tmp_path)
    env.create_topics()
    raws = sample_articles()
    events = [e for o in load_coder().process_batch(raws) for e in o.events]
    rules = load_rules(RULES)
    now = datetime.now(UTC)
    expected = {a.alert_id for e in events for a in alerts.evaluate_watch(rules.watch_rules, e, now=now)}
    assert expected

    port = free_port(1)  # nothing listens here until the receiver comes back
    config = yaml.safe_load(RULES.read_text())
    # retrying for ~17 minutes (0.5 s × (2^10 − 1)): the outage and the restart fit well inside
    config["webhook"] = {
        "url": f"http://127.0.0.1:{port}/alerts",
        "retries": 10,
        "backoff_s": 0.5,
        "timeout_s": 2,
    }
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text(yaml.safe_dump(config))
    settings = {"WIREWATCH_APP__ALERTS_CONFIG": str(rules_file)}

    Receiver.posts = []
    first = Worker(env, name="first", extra_env=settings).start()
    reader = TopicReader(kafka_bootstrap, env.topics["alerts"])

    def raised() -> set[str]:
        reader.read()
        return {Alert.model_validate_json(r.value).alert_id for r in reader.records if r.value}

    try:
        first.wait_healthy()
        publish(kafka_bootstrap, env.topics["raw"], (encode(raw) for raw in raws))
        poll(lambda: raised() >= expected, timeout_s=180, what="the watch alerts on the alerts topic")
        poll(
            lambda: "webhook attempt 2/11" in first.log_path.read_text(errors="replace"),
            timeout_s=60,
            what="delivery retried against the dead receiver",
        )
    finally:
        code = first.stop()
    assert code == 0, first.log_tail()
    assert "webhook gave up" not in first.log_path.read_text(errors="replace")
    assert Receiver.posts == []

    server = Server(("127.0.0.1", port), Receiver)  # the receiver is back
    threading.Thread(target=server.serve_forever, daemon=True).start()
    second = Worker(env, name="second", extra_env=settings).start()
    try:
        second.wait_healthy()
        poll(
            lambda: {key for key, _ in Receiver.posts} >= expected,
            timeout_s=180,
            what="every alert delivered after the restart",
        )
        on_topic = raised()
    finally:
        code = second.stop()
        server.shutdown()
        server.server_close()
        reader.close()
    assert code == 0, second.log_tail()
    keys = [key for key, _ in Receiver.posts]
    assert set(keys) == expected == on_topic  # every alert, and nothing else
    assert all(body["alert_id"] == key for key, body in Receiver.posts)  # the key names its alert
    # at least once: a deferred alert whose original offset the stopping worker did not commit yet
    # comes twice (original and copy; seen: none in one run, all 12 in another); a receiver that
    # keeps one POST per Idempotency-Key holds each alert exactly once, with the same body
    once: dict[str, dict] = {}
    for key, body in Receiver.posts:
        assert once.setdefault(key, body) == body
    assert set(once) == expected
