"""Reads never starve the coding (issue 12): a flood of heavy view requests while articles are coded.

The tables are filled first (so every scan has work to do), then more articles are published
while eight clients ask for the widest ranges the views take, and for ranges they refuse, as
fast as they are answered. Every article must be coded while the flood is still going on, every
answer must be a 200, a 400 (a refused range) or a 503 with Retry-After (too many scans at once),
never a 500, and a refused range must be refused before any work.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections import Counter

import pytest
from streamkit import StreamEnv, TopicReader, Worker, encode, generated_articles, poll, publish

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

QUERIES = [
    "/dyads?from=0001-01-01&to=9999-12-31",
    "/dyads?from=2022-01-01&to=2022-12-31&limit=10000",
    "/events?from=2022-01-01&to=2022-12-31&limit=10000",
    "/events?from=2022-06-01&to=2023-05-31&limit=10000&format=csv",
    "/stories?limit=5000",
    "/events/recent?limit=200",
    "/dyads/RUS/CHN?from=2022-01-01&to=2022-12-31&ids=1",
    "/actors/RUS/events",
]
CLIENTS = 8
MAX_REQUESTS = 20_000
MAX_FLOOD_S = 400.0


def test_a_flood_of_heavy_reads_does_not_stop_the_coding(kafka_bootstrap, tmp_path):
    env = StreamEnv(kafka_bootstrap, tmp_path, partitions=2)
    env.create_topics()
    first = generated_articles(120, "fill")
    second = generated_articles(60, "during-flood")
    worker = Worker(env).start()
    clean = TopicReader(kafka_bootstrap, env.topics["clean"])

    def coded(articles) -> int:
        clean.read()
        keys = {r.key.decode() for r in clean.records}
        return sum(a.id in keys for a in articles)

    try:
        worker.wait_healthy()
        publish(kafka_bootstrap, env.topics["raw"], (encode(raw) for raw in first))
        poll(
            lambda: worker.running() and coded(first) == len(first),
            timeout_s=400,
            every_s=2,
            what="the tables filled",
        )

        statuses: Counter[int] = Counter()
        retry_after: list[str | None] = []
        sent = 0
        lock = threading.Lock()
        stop = threading.Event()
        deadline = time.monotonic() + MAX_FLOOD_S

        def client(n: int) -> None:
            nonlocal sent
            i = n
            while not stop.is_set() and time.monotonic() < deadline:
                with lock:
                    if sent >= MAX_REQUESTS:
                        return
                    sent += 1
                url = worker.url + QUERIES[i % len(QUERIES)]
                i += 1
                try:
                    with urllib.request.urlopen(url, timeout=30) as response:
                        response.read()
                        status = response.status
                except urllib.error.HTTPError as exc:
                    status = exc.code
                    if status == 503:
                        retry_after.append(exc.headers.get("Retry-After"))
                    exc.read()
                except (urllib.error.URLError, TimeoutError, ConnectionError):
                    status = 0
                with lock:
                    statuses[status] += 1

        threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        time.sleep(2)  # the flood is on before the articles arrive
        publish(kafka_bootstrap, env.topics["raw"], (encode(raw) for raw in second))
        try:
            poll(
                lambda: (
                    worker.running()
                    and (coded(second) == len(second) or not any(t.is_alive() for t in threads))
                ),
                timeout_s=MAX_FLOOD_S,
                every_s=1,
                what="the articles published during the flood coded",
            )
            flood_still_on = any(t.is_alive() for t in threads)
            done = coded(second)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
        assert flood_still_on, (
            f"the flood ended ({sent} requests) before the coding did ({done}/{len(second)})"
        )
        assert done == len(second)
        assert sum(statuses.values()) > 200, statuses  # a flood, not a trickle
        assert statuses[400] > 0 and statuses[200] > 0, statuses
        assert set(statuses) <= {200, 400, 503}, statuses
        assert all(value == "2" for value in retry_after), set(retry_after)
    finally:
        clean.close()
        code = worker.stop()
    assert code == 0, worker.log_tail()
