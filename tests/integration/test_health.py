"""An honest /healthz and quiet logs through a broker outage (issue 12), on a broker of its own."""

from __future__ import annotations

import pytest
from streamkit import StreamEnv, Worker, http_get, poll

from streams.adapters.broker import LocalBroker, free_port
from streams.settings import BrokerSettings

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]


def test_healthz_is_unhealthy_while_the_broker_is_down_and_the_outage_logs_little(tmp_path):
    broker = LocalBroker(BrokerSettings(), port=free_port(), data_dir=tmp_path / "kafka")
    broker.start()
    worker = None
    try:
        env = StreamEnv(broker.bootstrap, tmp_path)
        env.create_topics()
        worker = Worker(env).start()
        body = worker.wait_healthy()
        assert body["status"] == "ok" and body["problems"] == []
        before = len(worker.log_path.read_text(encoding="utf-8", errors="replace").splitlines())

        broker.stop()
        status, body = poll(
            lambda: (r := http_get(f"{worker.url}/healthz"))[0] == 503 and r,
            timeout_s=90,
            what="/healthz unhealthy with the broker down",
        )
        assert body["status"] == "unhealthy"
        assert any("broker unreachable" in problem for problem in body["problems"]), body
        # stay down a while: the worker's clients retry in loops, and the log must not flood
        poll(
            lambda: (
                (r := http_get(f"{worker.url}/healthz"))[0] == 503
                and any("for 4" in p or "for 5" in p for p in r[1]["problems"])
            ),
            timeout_s=120,
            every_s=2,
            what="40 s into the outage",
        )
        during = worker.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[before:]
        assert len(during) < 400, f"{len(during)} log lines in ~45 s of outage:\n" + "\n".join(during[-40:])

        broker.start()
        body = worker.wait_healthy(timeout_s=180)
        assert body["status"] == "ok" and body["problems"] == []
    finally:
        if worker is not None:
            worker.stop()
        broker.stop()
