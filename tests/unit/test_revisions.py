"""A story and a dyad's window state after one article's re-coding (issue 18): pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from test_dedup import event

from schemas import Cameo, DiplomaticEvent
from streams.core import alert_revisions, story_revisions
from streams.core.alerts import DyadWindowRule, WatchRule, update
from streams.core.dedup import merge

NOW = datetime(2030, 1, 1, tzinfo=UTC)
T0 = datetime(2022, 9, 20, tzinfo=UTC)


def recoded(e: DiplomaticEvent, eid: str, **update: object) -> DiplomaticEvent:
    return e.model_copy(update={"event_id": eid, "coder_version": "test-2", **update})


def test_a_recoded_report_replaces_the_old_one_and_its_representative() -> None:
    a1 = event("a1", article="art-1", confidence=0.9)
    a2 = event("a2", article="art-2", outlet="Reuters", confidence=0.5)
    story = merge(merge(None, a1), a2)
    assert story.representative_event_id == "a1"
    b1 = recoded(a1, "b1")
    after = story_revisions.revise(story, article_id="art-1", upserts=[b1], retracts=["a1"], window_hours=72)
    assert after is not None
    assert after.event_ids == ["a2", "b1"] and after.representative_event_id == "b1"
    assert after.article_ids == ["art-1", "art-2"] and after.mention_count == 2
    # the same message again changes nothing
    assert (
        story_revisions.revise(after, article_id="art-1", upserts=[b1], retracts=["a1"], window_hours=72)
        == after
    )


def test_an_article_that_leaves_a_story_is_no_longer_counted_and_an_empty_story_is_gone() -> None:
    a1, a2 = event("a1", article="art-1"), event("a2", article="art-2")
    story = merge(merge(None, a1), a2)
    left = story_revisions.revise(story, article_id="art-2", upserts=[], retracts=["a2"], window_hours=72)
    assert left is not None and left.event_ids == ["a1"] and left.article_ids == ["art-1"]
    assert left.mention_count == 1
    gone = story_revisions.revise(left, article_id="art-1", upserts=[], retracts=["a1"], window_hours=72)
    assert gone is None


def _conflict(eid: str, article: str, hours: int) -> DiplomaticEvent:
    base = event(
        eid, src="RUSMIL", tgt="UKRMIL", root="17", article=article, published=T0 + timedelta(hours=hours)
    )
    return base


RULE = DyadWindowRule(name="surge", threshold=3, window_hours=24)


def _fill(events: list[DiplomaticEvent]):
    state, fired = None, []
    for e in events:
        state, alerts = update(state, e, rules=[RULE], now=NOW)
        fired.extend(alerts)
    return state, fired


def test_a_window_alert_that_no_longer_holds_is_withdrawn_and_one_that_holds_is_kept() -> None:
    a = [_conflict(f"a{n}", f"art-{n}", n) for n in range(4)]
    state, fired = _fill(a)
    assert len(fired) == 1 and fired[0].observed == 3
    # art-3 re-coded with the same conflict: the alert still holds (3 in its window), nothing sent
    b3 = recoded(a[3], "b3")
    kept, raised, withdrawn = alert_revisions.revise_window(
        state, upserts=[b3], retracts=["a3"], rules=[RULE], now=NOW
    )
    assert withdrawn == [] and raised == []
    # art-1 re-coded as cooperation (no conflict any more): 2 left in the window, the alert withdrawn
    b1 = recoded(a[1], "b1", cameo=Cameo(code="043", root="04", name="Host", goldstein=2.8, quad_class=1))
    after, raised, withdrawn = alert_revisions.revise_window(
        kept, upserts=[b1], retracts=["a1"], rules=[RULE], now=NOW
    )
    assert raised == [] and len(withdrawn) == 1
    assert withdrawn[0].withdraws == fired[0].alert_id and withdrawn[0].observed == 2
    assert withdrawn[0].message.startswith("withdrawn (") and withdrawn[0].kind == "dyad_window"
    # nothing is counted twice: each article's events once, under its newest coding
    ids = {e.event_id for w in after.rules.values() for e in w.entries}
    assert ids == {"a0", "a2", "b3"}


def test_watch_alerts_are_raised_once_per_article_dyad_and_code_across_versions() -> None:
    rules = [WatchRule(name="rus", actors=["RUS"])]
    a = [event("a1", article="art-1"), event("a2", article="art-1", root="05")]
    state, raised, withdrawn = alert_revisions.revise_watch(None, a, rules=rules, now=NOW)
    assert len(raised) == 2 and withdrawn == []
    b = [recoded(a[0], "b1")]  # B keeps the meeting (same article, dyad, code) and drops the praise
    state2, raised2, withdrawn2 = alert_revisions.revise_watch(state, b, rules=rules, now=NOW)
    assert raised2 == []
    assert [w.withdraws for w in withdrawn2] == [x.alert_id for x in raised if "051" in x.message]
    again = alert_revisions.revise_watch(state2, b, rules=rules, now=NOW)
    assert again == (state2, [], [])
