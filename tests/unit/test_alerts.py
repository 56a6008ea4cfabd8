"""Alert rules: watch matching, dyad windows, thresholds, k x trailing mean, idempotency."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from schemas import Actor, Cameo, DiplomaticEvent, Evidence, Plover
from streams.core.alerts import (
    DyadWindowRule,
    RuleSet,
    WatchRule,
    dyad_key,
    evaluate_watch,
    update,
)

NOW = datetime(2030, 1, 1, tzinfo=UTC)
T0 = datetime(2022, 9, 1, tzinfo=UTC)
CODES = {
    "04": ("043", 2.8, 1),
    "05": ("051", 3.4, 1),
    "13": ("130", -4.4, 3),
    "17": ("173", -5.0, 4),
    "19": ("190", -10.0, 4),
}


def event(
    eid: str,
    *,
    src: str = "RUSMIL",
    tgt: str | None = "UKRMIL",
    root: str = "19",
    at: datetime | None = T0,
    when: date | None = None,
) -> DiplomaticEvent:
    code, goldstein, quad = CODES[root]
    return DiplomaticEvent(
        event_id=eid,
        article_id=f"art-{eid}",
        published_at=at,
        source=Actor(text=src, code=src, country=src[:3]),
        target=None if tgt is None else Actor(text=tgt, code=tgt, country=tgt[:3]),
        cameo=Cameo(code=code, root=root, name=f"name {code}", goldstein=goldstein, quad_class=quad),
        plover=Plover(event="X"),
        event_date=when,
        evidence=[Evidence(text="s", start=0, end=1)],
        confidence=0.9,
        coder_version="test-1",
    )


def run(rule: DyadWindowRule, events: list[DiplomaticEvent]):  # type: ignore[no-untyped-def]
    state, fired = None, []
    for ev in events:
        state, alerts = update(state, ev, rules=[rule], now=NOW)
        fired.extend(alerts)
    return state, fired


# --- rules file model ------------------------------------------------------


def test_ruleset_parses_both_kinds() -> None:
    rs = RuleSet.model_validate(
        {
            "webhook": {"url": "http://127.0.0.1:9/hook"},
            "rules": [
                {"name": "w", "kind": "watch", "actors": ["RUS"], "quad_classes": [4]},
                {"name": "d", "kind": "dyad_window", "threshold": 3},
            ],
        }
    )
    assert [r.name for r in rs.watch_rules] == ["w"] and [r.name for r in rs.window_rules] == ["d"]
    assert rs.webhook is not None and rs.webhook.retries == 3


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([{"name": "d", "kind": "dyad_window"}], "set threshold, multiplier or both"),
        ([{"name": "w", "kind": "watch", "actors": ["RUS"], "cameo_roots": ["4"]}], "two-digit"),
        ([{"name": "w", "kind": "watch", "actors": ["RUS"], "cameo_roots": ["21"]}], "CAMEO roots"),
        ([{"name": "w", "kind": "watch", "actors": ["RUS"], "quad_classes": [5]}], "quad classes"),
        ([{"name": "w", "kind": "watch", "actors": []}], "at least 1"),
        ([{"name": "w", "kind": "watch", "actors": ["RUS"], "colour": "red"}], "Extra inputs"),
        (
            [
                {"name": "w", "kind": "watch", "actors": ["R"]},
                {"name": "w", "kind": "watch", "actors": ["C"]},
            ],
            "unique",
        ),
        ([{"name": "d", "kind": "dyad_window", "multiplier": 0.5}], "greater than 1"),
    ],
)
def test_bad_rules_are_refused(rules: list[dict], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        RuleSet.model_validate({"rules": rules})


# --- watch rules -----------------------------------------------------------


def test_unquoted_yaml_roots_become_strings() -> None:
    rule = WatchRule.model_validate({"name": "w", "actors": ["RUS"], "cameo_roots": [4, 19]})
    assert rule.cameo_roots == ["04", "19"]


def test_watch_prefix_and_classes() -> None:
    rule = WatchRule(name="rus-conflict", actors=["RUS"], quad_classes=[3, 4], severity="high")
    [alert] = evaluate_watch([rule], event("e1", root="19"), now=NOW)
    assert alert.kind == "watch" and alert.severity == "high" and alert.actors == ["RUS"]
    assert alert.event_ids == ["e1"] and alert.source == "RUSMIL" and alert.created_at == NOW
    assert evaluate_watch([rule], event("e2", root="05"), now=NOW) == []  # cooperation: not watched
    assert evaluate_watch([rule], event("e3", src="USAGOV", tgt="UKRMIL"), now=NOW) == []


def test_watch_specific_code_prefix() -> None:
    rule = WatchRule(name="chn-gov", actors=["CHNGOV"])
    assert evaluate_watch([rule], event("e1", src="CHNMIL", tgt="TWN"), now=NOW) == []
    assert len(evaluate_watch([rule], event("e2", src="RUSGOV", tgt="CHNGOV", root="04"), now=NOW)) == 1


def test_watch_roots_or_quads() -> None:
    rule = WatchRule(name="r", actors=["RUS"], quad_classes=[4], cameo_roots=["13"])
    assert len(evaluate_watch([rule], event("e1", root="13"), now=NOW)) == 1  # root listed, quad 3 not
    assert len(evaluate_watch([rule], event("e2", root="17"), now=NOW)) == 1  # quad 4
    assert evaluate_watch([rule], event("e3", root="05"), now=NOW) == []


def test_watch_involving_both() -> None:
    rule = WatchRule(name="r", actors=["RUS", "CHN"], involving="both")
    assert evaluate_watch([rule], event("e1", src="RUSGOV", tgt="UKRGOV"), now=NOW) == []
    [alert] = evaluate_watch([rule], event("e2", src="RUSGOV", tgt="CHNGOV", root="04"), now=NOW)
    assert alert.actors == ["CHN", "RUS"]


def test_watch_alert_id_is_deterministic() -> None:
    rules = [WatchRule(name="a", actors=["RUS"]), WatchRule(name="b", actors=["UKR"])]
    first = evaluate_watch(rules, event("e1"), now=NOW)
    again = evaluate_watch(rules, event("e1"), now=NOW + timedelta(days=1))
    assert [a.alert_id for a in first] == [a.alert_id for a in again]
    assert len({a.alert_id for a in first}) == 2


# --- dyad windows ----------------------------------------------------------


def test_dyad_is_unordered_country_pair() -> None:
    assert dyad_key(event("e1", src="UKRMIL", tgt="RUSMIL")) == dyad_key(event("e2")) == "RUS|UKR"
    assert dyad_key(event("e3", tgt=None)) is None


def test_threshold_fires_once_per_window() -> None:
    rule = DyadWindowRule(name="surge", threshold=3, window_hours=24)
    events = [event(f"e{i}", at=T0 + timedelta(hours=i)) for i in range(6)]
    state, fired = run(rule, events)
    assert len(fired) == 1
    alert = fired[0]
    assert alert.observed == 3 and alert.threshold == 3 and alert.event_ids == ["e0", "e1", "e2"]
    assert (alert.source, alert.target) == ("RUS", "UKR")
    assert alert.window_end == T0 + timedelta(hours=2)
    assert alert.window_start == alert.window_end - timedelta(hours=24)
    # After the cooldown (one window) a continuing surge alerts again.
    later = [event(f"f{i}", at=T0 + timedelta(hours=27 + i)) for i in range(3)]
    state, again = run(rule, events + later)
    assert len(again) == 2


def test_sliding_window_forgets_old_events() -> None:
    rule = DyadWindowRule(name="surge", threshold=3, window_hours=24)
    spaced = [event(f"e{i}", at=T0 + timedelta(hours=13 * i)) for i in range(5)]  # 2 per 24h at most
    _, fired = run(rule, spaced)
    assert fired == []


def test_only_conflict_counts_by_default() -> None:
    rule = DyadWindowRule(name="surge", threshold=2)
    events = [event(f"e{i}", root="04", at=T0 + timedelta(hours=i)) for i in range(5)]
    state, fired = run(rule, events)
    assert fired == [] and (state is None or state.rules == {})


def test_goldstein_metric() -> None:
    rule = DyadWindowRule(name="intense", metric="goldstein", threshold=25)
    _, fired = run(rule, [event(f"e{i}", root="19", at=T0 + timedelta(hours=i)) for i in range(3)])
    assert len(fired) == 1 and fired[0].observed == 30 and fired[0].event_ids == ["e0", "e1", "e2"]


def test_multiplier_of_trailing_mean() -> None:
    rule = DyadWindowRule(name="spike", multiplier=3, window_hours=24, trailing_windows=4, min_value=2)
    # Baseline: one event per day for four days, then five in one day.
    base = [event(f"b{d}", at=T0 + timedelta(days=d, hours=12)) for d in range(4)]
    spike = [event(f"s{i}", at=T0 + timedelta(days=4, hours=13 + i)) for i in range(5)]
    _, fired = run(rule, base + spike)
    assert len(fired) == 1
    alert = fired[0]
    # mean of the 4 previous 24h windows = 1.0 -> fires at the 3rd event of the spike day.
    assert alert.trailing_mean == pytest.approx(1.0) and alert.threshold == pytest.approx(3.0)
    assert alert.observed == 3 and alert.event_ids[-1] == "s2"


def test_multiplier_needs_min_value() -> None:
    rule = DyadWindowRule(name="spike", multiplier=2, min_value=3)
    _, fired = run(rule, [event("e1"), event("e2", at=T0 + timedelta(minutes=5))])
    assert fired == []  # mean 0, but 2 events is below min_value


def test_redelivery_is_idempotent() -> None:
    rule = DyadWindowRule(name="surge", threshold=3)
    events = [event(f"e{i}", at=T0 + timedelta(hours=i)) for i in range(2)]
    state, fired = run(rule, events + events + events)
    assert fired == []  # two distinct events, however often delivered
    assert [e.event_id for e in state.rules["surge"].entries] == ["e0", "e1"]
    state2, alerts = update(state, events[0], rules=[rule], now=NOW)
    assert state2 == state and alerts == []


def test_replay_gives_same_alert_ids() -> None:
    rule = DyadWindowRule(name="surge", threshold=2)
    events = [event(f"e{i}", at=T0 + timedelta(hours=i)) for i in range(3)]
    _, first = run(rule, events)
    _, second = run(rule, events)
    assert [a.alert_id for a in first] == [a.alert_id for a in second] and len(first) == 1


def test_events_beyond_horizon_are_pruned_and_ignored() -> None:
    rule = DyadWindowRule(name="surge", threshold=10, window_hours=1, trailing_windows=2)
    state, _ = run(rule, [event("old", at=T0), event("new", at=T0 + timedelta(hours=10))])
    assert [e.event_id for e in state.rules["surge"].entries] == ["new"]
    state2, alerts = update(state, event("old", at=T0), rules=[rule], now=NOW)
    assert state2 == state and alerts == []


def test_event_without_time_or_target_is_skipped() -> None:
    rule = DyadWindowRule(name="surge", threshold=1)
    assert update(None, event("e1", at=None), rules=[rule], now=NOW) == (None, [])
    assert update(None, event("e2", tgt=None), rules=[rule], now=NOW) == (None, [])
    state, alerts = update(None, event("e3", at=None, when=date(2022, 9, 2)), rules=[rule], now=NOW)
    assert len(alerts) == 1 and alerts[0].window_end == datetime(2022, 9, 2, tzinfo=UTC)


def test_state_of_another_dyad_is_refused() -> None:
    rule = DyadWindowRule(name="surge", threshold=5)
    state, _ = update(None, event("e1"), rules=[rule], now=NOW)
    with pytest.raises(ValueError, match="belongs to dyad"):
        update(state, event("e2", src="USAGOV", tgt="IRNGOV"), rules=[rule], now=NOW)


def test_state_round_trips_as_json() -> None:
    rule = DyadWindowRule(name="surge", threshold=5)
    state, _ = run(rule, [event(f"e{i}", at=T0 + timedelta(hours=i)) for i in range(3)])
    assert type(state).model_validate_json(state.model_dump_json()) == state


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 72), min_size=1, max_size=15),
    st.lists(st.integers(0, 1000), max_size=15),
)
def test_redelivery_anywhere_changes_nothing(hours: list[int], replays: list[int]) -> None:
    """Inserting redeliveries of already-applied events anywhere leaves state and alerts as they were."""
    rule = DyadWindowRule(
        name="surge", threshold=3, multiplier=2, window_hours=6, trailing_windows=3, min_value=2
    )
    events = [event(f"e{i}", at=T0 + timedelta(hours=h)) for i, h in enumerate(hours)]
    clean_state, clean_alerts = run(rule, events)
    noisy: list[DiplomaticEvent] = []
    pending = list(replays)
    for i, ev in enumerate(events):
        noisy.append(ev)
        while pending and pending[0] % (len(events) + 1) <= i:
            noisy.append(events[pending.pop(0) % (i + 1)])  # a copy of an event already applied
    noisy_state, noisy_alerts = run(rule, noisy)
    assert noisy_state == clean_state
    assert [a.alert_id for a in noisy_alerts] == [a.alert_id for a in clean_alerts]
