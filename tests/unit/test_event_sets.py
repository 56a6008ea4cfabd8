"""Event sets: each coding of an article supersedes the last and names what it withdrew (issue 18)."""

from __future__ import annotations

from schemas.event_sets import EventSet
from streams.adapters import event_sets, replay_plan, tallies


def _ledger(previous, ids, version):
    """The ledger value after one coding whose events are ``ids`` (cells stand in for table keys)."""
    cells = {i: [[tallies.DYAD, f"A|B|{i}", {"code": "010"}]] for i in ids}
    value, _ = tallies.ledger_update(previous, cells)
    record, value["set"] = event_sets.next_set(
        "art-1",
        previous,
        event_ids=list(value["events"]),
        retracted=list(value["retired"]),
        coder_version=version,
        coder_fingerprint=f"fp-{version}",
    )
    return value, record


def test_a_recoding_supersedes_the_earlier_set_and_retracts_what_disappeared():
    a, first = _ledger(None, ["e1", "e2", "e3"], "A")
    assert first.supersedes is None and first.retracts == [] and first.event_ids == ["e1", "e2", "e3"]
    b, second = _ledger(a, ["e2", "e4"], "B")
    assert second.supersedes == first.revision
    assert second.event_ids == ["e2", "e4"]
    assert second.retracts == ["e1", "e3"]
    assert second.superseded_versions == ["A"]
    assert second.coder_fingerprint == "fp-B"
    # a third coding keeps naming everything withdrawn so far, so the latest set alone suffices
    _, third = _ledger(b, ["e5"], "C")
    assert third.retracts == ["e1", "e2", "e3", "e4"] and third.superseded_versions == ["A", "B"]


def test_a_repeat_is_the_same_record():
    a, first = _ledger(None, ["e1"], "A")
    b, second = _ledger(a, ["e2"], "B")
    _, again = _ledger(b, ["e2"], "B")
    assert again == second  # byte for byte: a consumer holding `second` ignores it
    assert again.model_dump_json() == second.model_dump_json()
    _, back = _ledger(b, ["e1"], "A")  # going back to A: a new revision that retracts B's id
    assert back.revision == first.revision and back.supersedes == second.revision and back.retracts == ["e2"]


def test_an_article_that_loses_all_its_events_says_so():
    a, _ = _ledger(None, ["e1", "e2"], "A")
    _, empty = _ledger(a, [], "B")
    assert empty.event_ids == [] and empty.retracts == ["e1", "e2"]
    EventSet.model_validate_json(empty.model_dump_json())


def test_the_current_view_keeps_each_articles_current_events():
    class E:
        def __init__(self, article_id):
            self.article_id = article_id

    sets = {
        "art-1": EventSet(
            article_id="art-1", revision="r", coder_version="B", event_ids=["b1"], retracts=["a1"]
        )
    }
    events = {"a1": E("art-1"), "b1": E("art-1"), "old": E("art-2")}
    assert set(event_sets.current_events(sets, events)) == {"b1", "old"}  # art-2 predates event sets


def _plan(coded, version="B", fingerprint="fpB"):
    topics = {"raw": "raw", "events": "ev", "event_sets": "sets", "canonical": "can", "alerts": "al"}
    return replay_plan.Plan(
        records=40,
        partitions=2,
        span="from the beginning",
        version=version,
        fingerprint=fingerprint,
        republish=False,
        coded=coded,
        topics=topics,
    )


def test_the_replay_plan_says_what_happens_to_each_output():
    upgrade = "\n".join(replay_plan.explain(_plan({"A": replay_plan.Coded(40, 344, frozenset({"fpA"}))})))
    assert "40 raw record(s) in 2 partition(s)" in upgrade
    assert "A: 40 article(s), 344 current event(s)" in upgrade
    for output in ("tables", "events", "stories", "alerts"):
        assert f"  {output}" in upgrade
    assert "retracted" in upgrade and "withdrawn by a cancellation alert" in upgrade
    same = "\n".join(replay_plan.explain(_plan({"B": replay_plan.Coded(40, 304, frozenset({"fpB"}))})))
    assert "tables       unchanged" in same and "none raised or withdrawn" in same and "retracted" not in same
    assert replay_plan.conflicts(_plan({"B": replay_plan.Coded(40, 304, frozenset({"fpB"}))})) is None


def test_the_replay_plan_refuses_a_same_version_with_another_fingerprint():
    problem = replay_plan.conflicts(_plan({"B": replay_plan.Coded(40, 304, frozenset({"fpOLD"}))}))
    assert problem and "changed without a version bump" in problem and "40 article(s)" in problem
