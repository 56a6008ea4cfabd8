"""Re-coding with a better coder on the real broker (issue 18).

Code 21 articles with the built-in coder A; stop the worker; upgrade to coder B (``coder_b``: no
root 04, 193 read as 036) under its own version; ``wirewatch replay --from-beginning``; restart.
Afterwards the current view of the events topic, the tables, the canonical topic and the alert
state equal what an offline B run implies, with no A leftovers and no double counts. Then a
same-version replay changes nothing a consumer does not ignore by contract.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from streamkit import (
    REPO,
    StreamEnv,
    TopicReader,
    Worker,
    encode,
    expected_dyads,
    generated_articles,
    group_caught_up,
    pipeline_topics,
    poll,
    poll_tables,
    publish,
    table_diff,
)

from schemas import Alert, CanonicalEvent, DiplomaticEvent, EventSet
from streams.adapters.event_sets import current_events
from streams.adapters.nlp import load_coder
from streams.core import alerts as rules_core
from streams.core import canonical
from streams.settings import CoderSettings, Settings

pytestmark = [pytest.mark.integration, pytest.mark.timeout(1200)]

B_VERSION = "test-coder-b-1"
RULES = """\
rules:
  - name: watch-region
    kind: watch
    actors: [RUS, CHN, ARM, AZE, TUR, UKR]
    cameo_roots: ["04", "05", "19"]
  - name: caspian-surge
    kind: dyad_window
    threshold: 3
    window_hours: 48
"""
B_ENV = {
    "WIREWATCH_CODER__VERSION": B_VERSION,
    "WIREWATCH_CODER__FACTORY": "coder_b:make",
    "PYTHONPATH": str(REPO / "tests" / "integration"),
}


class View:
    """The topics as a consumer sees them, read incrementally."""

    def __init__(self, env: StreamEnv) -> None:
        self.readers = {
            role: TopicReader(env.bootstrap, env.topics[role])
            for role in ("events", "event_sets", "canonical", "alerts")
        }

    def read(self) -> View:
        for reader in self.readers.values():
            reader.read()
        return self

    def records(self, role: str) -> list[Any]:
        return self.readers[role].records

    def latest(self, role: str) -> dict[str, bytes | None]:
        out: dict[str, bytes | None] = {}
        for record in self.records(role):
            out[record.key.decode()] = record.value
        return out

    def sets(self) -> dict[str, EventSet]:
        return {k: EventSet.model_validate_json(v) for k, v in self.latest("event_sets").items() if v}

    def current_events(self) -> dict[str, DiplomaticEvent]:
        events = {
            r.key.decode(): DiplomaticEvent.model_validate_json(r.value) for r in self.records("events")
        }
        return current_events(self.sets(), events)

    def stories(self) -> dict[str, CanonicalEvent]:
        return {k: CanonicalEvent.model_validate_json(v) for k, v in self.latest("canonical").items() if v}

    def alerts(self) -> list[Alert]:
        return [Alert.model_validate_json(r.value) for r in self.records("alerts")]

    def live_alerts(self) -> dict[str, Alert]:
        alerts = self.alerts()
        void = {a.withdraws for a in alerts if a.withdraws}
        return {a.alert_id: a for a in alerts if a.withdraws is None and a.alert_id not in void}

    def close(self) -> None:
        for reader in self.readers.values():
            reader.close()


def all_topics(env: StreamEnv) -> list[str]:
    return [*pipeline_topics(env), *(f"{env.app_id}-{s}" for s in ("blocks", "watch", "dyadwin"))]


def caught_up(env: StreamEnv) -> None:
    poll(
        lambda: group_caught_up(env.bootstrap, env.app_id, all_topics(env)),
        timeout_s=300,
        what="the worker's group caught up on raw, ledger, tally, story, watch and window topics",
    )


def replay(env: StreamEnv, tmp: Path, extra: dict[str, str]) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "streams.cli", "replay", "--from-beginning"],
        env=env.env(**extra),
        cwd=tmp,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stderr


def offline_stories(events: list[DiplomaticEvent]) -> dict[str, CanonicalEvent]:
    """The stories an offline run makes (``wirewatch stories``: the canonical stage since issue 14)."""
    return {s.story_id: s for s in canonical.cluster(events)}


def story_facts(stories: dict[str, CanonicalEvent]) -> dict[str, tuple]:
    return {
        sid: (s.event_ids, s.article_ids, s.mention_count, s.sources, s.representative_event_id, s.cameo.code)
        for sid, s in stories.items()
    }


def test_recoding_with_a_better_coder_supersedes_everything_and_a_same_version_replay_changes_nothing(
    kafka_bootstrap, tmp_path
):
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text(RULES, encoding="utf-8")
    ruleset = rules_core.RuleSet.model_validate(yaml.safe_load(RULES))
    env = StreamEnv(kafka_bootstrap, tmp_path, partitions=2)
    env.create_topics()
    raws = generated_articles(21, "recode")

    coder_a = load_coder()
    offline_a = [e for o in coder_a.process_batch(raws) for e in o.events]
    import coder_b

    b = coder_b.make(Settings(coder=CoderSettings(version=B_VERSION)))
    offline_b = [e for o in b.process_batch(raws) for e in o.events]
    assert any(e.cameo.root == "04" for e in offline_a) and not any(e.cameo.root == "04" for e in offline_b)
    assert any(e.cameo.code == "193" for e in offline_a) and any(e.cameo.code == "036" for e in offline_b)
    now = datetime.now(UTC)
    b_watch = {
        a.alert_id for e in offline_b for a in rules_core.evaluate_watch(ruleset.watch_rules, e, now=now)
    }
    for order in (offline_b, offline_b[::-1]):  # B raises no window alert, in any order
        states: dict[str, Any] = {}
        for e in order:
            key = rules_core.dyad_key(e)
            if key is None:
                continue
            states[key], fired = rules_core.update(states.get(key), e, rules=ruleset.window_rules, now=now)
            assert fired == []

    view = View(env)
    common = {"WIREWATCH_APP__ALERTS_CONFIG": str(rules_file)}
    worker = Worker(env, name="coder-a", extra_env=common).start()
    try:
        worker.wait_healthy()
        publish(kafka_bootstrap, env.topics["raw"], (encode(raw) for raw in raws))
        a_ids = {e.event_id for e in offline_a}
        poll(
            lambda: set(view.read().current_events()) == a_ids and len(view.sets()) == len(raws),
            timeout_s=300,
            what="coder A's events and event sets",
        )
        caught_up(env)
        exact = poll_tables(worker.url, expected_dyads(offline_a))
        assert exact == expected_dyads(offline_a), table_diff(expected_dyads(offline_a), exact)
        a_alerts = view.read().live_alerts()
        assert any(a.kind == "watch" for a in a_alerts.values())
        assert worker.stop() == 0, worker.log_tail()

        # the upgrade: replay says what it will do, then coder B re-codes everything
        said = replay(env, tmp_path, {**common, **B_ENV})
        from streams.core.pipeline import CODER_VERSION

        assert f"{CODER_VERSION}: {len(raws)} article(s), {len(a_ids)} current event(s)" in said, said
        assert f"each article's {CODER_VERSION} contributions are retracted" in said, said
        worker = Worker(env, name="coder-b", port=worker.port, extra_env={**common, **B_ENV}).start()
        worker.wait_healthy()
        poll(
            lambda: all(s.coder_version == B_VERSION for s in view.read().sets().values()),
            timeout_s=300,
            what="every article's event set from coder B",
        )
        caught_up(env)
        view.read()

        # events: the current view is B's run exactly (content included); every A id is retracted
        current = view.current_events()
        want = {e.event_id: e.model_dump() for e in offline_b}
        assert {i: e.model_dump() for i, e in current.items()} == want
        sets = view.sets()
        assert set().union(*(s.retracts for s in sets.values())) == a_ids
        assert all(s.superseded_versions == [CODER_VERSION] and s.supersedes for s in sets.values())
        # tables
        expected = expected_dyads(offline_b)
        got = poll_tables(worker.url, expected)
        assert got == expected, table_diff(expected, got)
        # stories: the canonical topic's current view is B's stories; A's root-04 stories are deleted
        assert story_facts(view.stories()) == story_facts(offline_stories(offline_b))
        # alerts: what stays raised is what B raises; no window alert counted an event twice
        live = view.live_alerts()
        assert {i for i, a in live.items() if a.kind == "watch"} == b_watch
        assert [a for a in live.values() if a.kind == "dyad_window"] == []
        versions = {e.event_id: (e.article_id, e.cameo.code) for e in [*offline_a, *offline_b]}
        for alert in view.alerts():
            logical = [versions.get(i, i) for i in alert.event_ids]
            assert len(set(logical)) == len(logical), f"an event counted twice in {alert.message}"
        withdrawn = {a.withdraws for a in view.alerts() if a.withdraws}
        assert {i for i, a in a_alerts.items() if a.kind == "watch"} - b_watch <= withdrawn
        assert {i for i, a in a_alerts.items() if a.kind == "dyad_window"} <= withdrawn

        print(
            f"\nre-coding: A {len(a_ids)} events -> B {len(want)}; A live alerts "
            f"{sum(a.kind == 'watch' for a in a_alerts.values())} watch, "
            f"{sum(a.kind == 'dyad_window' for a in a_alerts.values())} window; after B: {len(live)} live, "
            f"{len(withdrawn)} withdrawn, "
            f"{sum(1 for a in view.alerts() if a.withdraws is None)} raised in all; "
            f"stories {len(offline_stories(offline_a))} -> {len(view.stories())}; "
            f"events topic {len(view.records('events'))} records"
        )

        # a same-version replay: nothing changes that a consumer does not ignore by contract
        before = {role: len(view.records(role)) for role in view.readers}
        before_sets = view.sets()
        assert worker.stop() == 0, worker.log_tail()
        said = replay(env, tmp_path, {**common, **B_ENV})
        assert "tables       unchanged" in said, said
        worker = Worker(env, name="coder-b-again", port=worker.port, extra_env={**common, **B_ENV}).start()
        worker.wait_healthy()
        poll(
            lambda: len(view.read().records("event_sets")) >= before["event_sets"] + len(raws),
            timeout_s=300,
            what="the replayed event sets",
        )
        caught_up(env)
        view.read()
        assert len(view.records("alerts")) == before["alerts"], "a same-version replay sent alerts"
        assert len(view.records("canonical")) == before["canonical"], "a same-version replay sent stories"
        for record in view.records("event_sets")[before["event_sets"] :]:  # repeats: identical revisions
            assert EventSet.model_validate_json(record.value) == before_sets[record.key.decode()]
        seen = {r.key: r.value for r in view.records("events")[: before["events"]]}
        for record in view.records("events")[before["events"] :]:  # the same events again, byte for byte
            assert seen.get(record.key) == record.value
        assert {i: e.model_dump() for i, e in view.current_events().items()} == want
        got = poll_tables(worker.url, expected)
        assert got == expected, table_diff(expected, got)
    finally:
        view.close()
        code = worker.stop()
    assert code == 0, worker.log_tail()
