"""Canonical events: the pair decision, components, order-independence, idempotence, retraction."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas import Actor, Cameo, DateRange, DiplomaticEvent, Evidence, Location, Plover
from streams.core import canonical, similarity
from streams.core.canonical import add, block_key, block_of, changes, cluster, retract
from streams.core.similarity import MergeParams

PARAMS = MergeParams()
CODES = {
    "190": ("19", "Use conventional military force", -10.0, 4),
    "194": ("19", "Fight with artillery and tanks", -10.0, 4),
    "150": ("15", "Demonstrate military or police power", -7.2, 4),
    "111": ("11", "Criticize or denounce", -2.0, 3),
    "120": ("12", "Reject", -4.0, 3),
    "173": ("17", "Arrest, detain", -5.0, 4),
    "040": ("04", "Consult", 1.0, 1),
}
LAUNCH = "North Korea fired a ballistic missile over Hokkaido into the Pacific Ocean, Japan said"
LAUNCH_2 = "Pyongyang fired another ballistic missile over Japan's Hokkaido island into the Pacific"
OTHER = "The company said hackers stole the personal data of 143 million customers"


def ev(
    eid: str,
    *,
    src: str | None = "PRK",
    tgt: str | None = "JPN",
    code: str = "190",
    day: date | None = date(2017, 9, 15),
    text: str = LAUNCH,
    outlet: str = "outlet-a",
    article: str | None = None,
    confidence: float = 0.8,
    src_name: str | None = None,
    place: Location | None = None,
) -> DiplomaticEvent:
    root, name, goldstein, quad = CODES[code]
    return DiplomaticEvent(
        event_id=eid,
        article_id=article or f"art-{eid}",
        article_source=outlet,
        published_at=datetime(2017, 9, 15, 12, tzinfo=UTC),
        source=Actor(text=src or "gunman", code=src, country=src, name=src_name),
        target=None if tgt is None else Actor(text=tgt, code=tgt, country=tgt),
        cameo=Cameo(code=code, root=root, name=name, goldstein=goldstein, quad_class=quad),
        plover=Plover(event="ASSAULT"),
        event_date=day,
        location=place,
        evidence=[Evidence(text=text, start=0, end=len(text))],
        confidence=confidence,
        coder_version="test-1",
    )


def rep(e: DiplomaticEvent) -> similarity.Report:
    return similarity.report(e)


def test_neighbouring_roots_of_one_family_link() -> None:
    a, b = rep(ev("a", code="190")), rep(ev("b", code="150", text=LAUNCH_2))
    explained = similarity.explain(a, b, PARAMS)
    assert explained is not None and explained.type == PARAMS.family_credit
    assert explained.linked


@pytest.mark.parametrize(
    "other",
    [
        ev("b", code="111"),  # another family: a condemnation is not the launch
        ev("b", src="USA", tgt="KOR"),  # both sides conflict
        ev("b", day=date(2017, 9, 19)),  # four days apart
        ev("b").model_copy(update={"event_date": DateRange(start=date(2017, 1, 1), end=date(2017, 12, 31))}),
    ],
)
def test_gates_keep_reports_apart(other: DiplomaticEvent) -> None:
    assert similarity.score(rep(ev("a")), rep(other), PARAMS) is None


def test_one_conflicting_side_is_scored_lower_or_gated_when_strict() -> None:
    a, b = rep(ev("a")), rep(ev("b", src="USA"))
    same = similarity.explain(a, rep(ev("c")), PARAMS)
    one = similarity.explain(a, b, PARAMS)
    assert same is not None and one is not None and one.actors == 0.5 and one.score < same.score
    strict = MergeParams(side_conflict_gates=True)
    assert similarity.score(a, b, strict) is None


def test_a_conflicting_side_beside_an_unknown_one_gates_unless_the_other_side_matches() -> None:
    # "Australia, France and the Netherlands announced investigations": one sentence, three actors,
    # no target, so nothing on the dyad says the reports are one event and the source says they are not.
    text = "Australia, France and the Netherlands have announced investigations into the papers"
    reports = [
        ev(c.lower(), src=c, tgt=None, code="111", text=text, article="art") for c in ("AUS", "FRA", "NLD")
    ]
    a, b = rep(reports[0]), rep(reports[1])
    assert similarity.actor_score(a, b) is None
    assert similarity.actor_score(a, b, needs_match=False) == 0.25
    assert similarity.score(a, b, PARAMS) is None
    assert similarity.score(a, b, MergeParams(conflict_needs_match=False)) is not None
    assert len(cluster(reports)) == 3
    # the same conflict beside a matching target is still scored (coders disagree on who attacked)
    c, d = rep(ev("c", src="USA")), rep(ev("d", src="KOR"))
    assert similarity.actor_score(c, d) == 0.5


def test_the_date_window_is_max_day_gap_days() -> None:
    gap = PARAMS.max_day_gap
    near = similarity.explain(rep(ev("a")), rep(ev("b", day=date(2017, 9, 15 + gap))), PARAMS)
    assert near is not None and near.date == 1 - gap / (gap + 1)
    assert similarity.score(rep(ev("a")), rep(ev("b", day=date(2017, 9, 16 + gap))), PARAMS) is None


def test_one_sided_report_is_compatible_but_scores_lower() -> None:
    full = similarity.explain(rep(ev("a")), rep(ev("b")), PARAMS)
    half = similarity.explain(rep(ev("a")), rep(ev("b", tgt=None)), PARAMS)
    assert full is not None and half is not None
    assert half.actors == 0.75 and full.actors == 1.0 and half.score < full.score


def test_resolved_person_conflict_is_a_conflict() -> None:
    a = rep(ev("a", src="USA", src_name="DONALD_TRUMP"))
    b = rep(ev("b", src="USA", src_name="REX_TILLERSON"))
    assert similarity.side_match(a.source, b.source) is None
    assert similarity.actor_score(a, b) == 0.5  # the target still matches
    assert similarity.actor_score(a, rep(ev("c", src="USA", src_name="DONALD_TRUMP"))) == 1.0


def test_consultations_match_either_way_round() -> None:
    a = rep(ev("a", src="CHN", tgt="RUS", code="040", text="Xi met Putin in Beijing"))
    b = rep(ev("b", src="RUS", tgt="CHN", code="040", text="Putin met Xi in Beijing"))
    assert similarity.actor_score(a, b) == 1.0
    c = rep(ev("c", src="RUS", tgt="CHN", code="190"))
    d = rep(ev("d", src="CHN", tgt="RUS", code="190"))
    assert similarity.actor_score(c, d) is None


def test_unrelated_text_with_a_one_sided_dyad_stays_apart() -> None:
    a = ev("a", src="USA", tgt=None, code="111", text="Officials criticised the Equifax breach")
    b = ev("b", src="USA", tgt=None, code="111", text="The coach denounced the referee after the game")
    a = a.model_copy(update={"article_title": "Equifax hack exposes 143 million"})
    b = b.model_copy(update={"article_title": "Cubs win the World Series"})
    s = similarity.score(rep(a), rep(b), PARAMS)
    assert s is None or s < PARAMS.threshold
    same_event = b.model_copy(update={"evidence": a.evidence})
    assert (similarity.score(rep(a), rep(same_event), PARAMS) or 0) >= PARAMS.threshold


def test_root_families_are_uses_of_force_and_criticism_not_quad_classes() -> None:
    arrest = rep(ev("b", code="173"))
    assert similarity.score(rep(ev("a", code="190")), arrest, PARAMS) is None  # an arrest is no attack
    assert similarity.score(rep(ev("a", code="111")), rep(ev("b", code="120")), PARAMS) is not None
    assert similarity.ROOT_FAMILIES["15"] == similarity.ROOT_FAMILIES["19"] == similarity.ROOT_FAMILIES["18"]


def test_a_month_holding_the_other_day_is_weak_evidence_a_year_none() -> None:
    september = DateRange(start=date(2017, 9, 1), end=date(2017, 9, 30))
    month = ev("b").model_copy(update={"event_date": september})
    explained = similarity.explain(rep(ev("a")), rep(month), PARAMS)
    assert explained is not None and explained.date == PARAMS.vague_date_credit
    assert similarity.score(rep(month), rep(month.model_copy(update={"event_id": "c"})), PARAMS) is None


def test_one_articles_events_get_nothing_from_their_shared_headline() -> None:
    params = MergeParams(w_headline=1.0)
    a = ev("a", article="art", tgt=None).model_copy(update={"article_title": "Missile over Japan"})
    b = ev("b", article="art", tgt=None, text=OTHER)
    b = b.model_copy(update={"article_title": "Missile over Japan"})
    c = b.model_copy(update={"event_id": "c", "article_id": "other"})
    same_article = similarity.explain(rep(a), rep(b), params)
    assert same_article is None or same_article.headline == 0
    assert similarity.explain(rep(a), rep(c), params).headline == 1.0


def test_place_in_two_countries_lowers_the_score() -> None:
    paris = Location(name="Paris", country="FRA")
    nice, berlin = Location(name="Nice", country="FRA"), Location(name="Berlin", country="DEU")
    same = similarity.explain(rep(ev("a", place=paris)), rep(ev("b", place=nice)), PARAMS)
    apart = similarity.explain(rep(ev("a", place=paris)), rep(ev("b", place=berlin)), PARAMS)
    assert same is not None and apart is not None and apart.score < same.score


def test_score_is_symmetric() -> None:
    a, b = rep(ev("a")), rep(ev("b", code="150", tgt=None, text=LAUNCH_2))
    assert similarity.score(a, b, PARAMS) == similarity.score(b, a, PARAMS)


def test_words_stem_and_drop_function_words() -> None:
    assert similarity.words("The missiles were launched on Friday") == {"missil", "launch"}


def test_block_key_is_a_fixed_bucket_and_the_root_family() -> None:
    keys = {block_key(ev(str(d), day=date(2017, 9, d)), block_days=7) for d in range(1, 31)}
    days = {k.split("/")[0] for k in keys}
    assert all(date.fromisoformat(d).toordinal() % 7 == 1 for d in days) and len(days) in (5, 6)
    assert {k.split("/")[1] for k in keys} == {"f15"}  # 190: a use of force
    assert block_key(ev("x", code="150")) == block_key(ev("y", code="194")) != block_key(ev("z", code="111"))
    assert block_key(ev("x", day=None).model_copy(update={"published_at": None})) == canonical.UNDATED
    for key in keys | {block_key(ev("z", code="040"))}:
        assert block_of(canonical.story_id(key, "e1")) == key
    assert block_of("sty-nonsense-x") is None and block_of("other") is None


def _story_set(events: list[DiplomaticEvent]) -> list[tuple[str, tuple[str, ...]]]:
    return [(c.story_id, tuple(c.event_ids)) for c in cluster(events, params=PARAMS)]


EVENTS = [
    ev("e1", outlet="a"),
    ev("e2", code="150", text=LAUNCH_2, outlet="b"),
    ev("e3", tgt=None, outlet="c"),
    ev("e4", code="194", day=date(2017, 9, 16), outlet="d"),
    ev("e5", src="USA", tgt=None, code="111", text=OTHER, outlet="a"),
    ev("e6", src="USA", tgt=None, code="111", text=OTHER + " in July", outlet="b"),
    ev("e7", src="CHN", tgt="PRK", code="111", text="China opposes the launch", outlet="c"),
]


def test_reports_of_one_event_gather_and_others_stay_apart() -> None:
    groups = {ids for _, ids in _story_set(EVENTS)}
    assert ("e1", "e2", "e3", "e4") in groups
    assert ("e5", "e6") in groups
    assert ("e7",) in groups


@settings(max_examples=40, deadline=None)
@given(st.permutations(EVENTS), st.integers(0, 3))
def test_any_order_and_redelivery_give_the_same_canonical_events(order, repeats) -> None:
    again = list(order) + list(order[:repeats])
    assert _story_set(again) == _story_set(EVENTS)


def test_canonical_record_fields() -> None:
    [launch] = [c for c in cluster(EVENTS, params=PARAMS) if "e1" in c.event_ids]
    assert launch.mention_count == 4 and launch.sources == ["a", "b", "c", "d"]
    assert launch.event_ids == ["e1", "e2", "e3", "e4"]
    block = launch.story_key.rsplit("|", 1)[0]
    assert launch.story_id == canonical.story_id(block, "e1") and block_of(launch.story_id) == block
    assert launch.merge_confidence is not None and PARAMS.threshold <= launch.merge_confidence <= 1
    [single] = [c for c in cluster(EVENTS, params=PARAMS) if c.event_ids == ["e7"]]
    assert single.merge_confidence is None and single.mention_count == 1


def test_two_events_of_one_article_are_one_mention() -> None:
    [c] = cluster([ev("e1", article="art"), ev("e2", article="art", code="194")], params=PARAMS)
    assert c.mention_count == 1 and c.event_ids == ["e1", "e2"]


def _fold(events: list[DiplomaticEvent]) -> canonical.BlockState:
    state = None
    for e in events:
        state = add(state, e, params=PARAMS, block=block_key(e))
    assert state is not None
    return state


def test_add_is_idempotent_and_state_survives_json() -> None:
    launch = [e for e in EVENTS if e.source.country == "PRK"]
    state = _fold(launch)
    assert add(state, launch[1], params=PARAMS) is state
    back = canonical.from_json(canonical.to_json(state))
    assert back == state
    assert canonical.canonical_events(back) == canonical.canonical_events(state)


def test_retract_splits_a_component_and_equals_never_adding() -> None:
    bridge_text = LAUNCH + " " + OTHER
    a = ev("r1", text=LAUNCH, tgt=None)
    b = ev("r2", text=bridge_text, tgt=None)
    c = ev("r3", text=OTHER, tgt=None)
    state = _fold([a, b, c])
    assert canonical.components(state) == [["r1", "r2", "r3"]]
    after = retract(state, "r2")
    assert canonical.components(after) == [["r1"], ["r3"]]
    assert canonical.canonical_events(after) == canonical.canonical_events(_fold([a, c]))
    upserts, gone = changes(state, after)
    assert {u.event_ids[0] for u in upserts} == {"r1", "r3"}
    assert gone == [] or all(g not in {u.story_id for u in upserts} for g in gone)
    assert retract(after, "nope") is after


def test_changes_name_the_story_a_merge_absorbs() -> None:
    first = _fold([ev("m2", outlet="b")])
    before = add(first, ev("m3", outlet="c", text=OTHER, code="150", tgt=None), params=PARAMS)
    assert len(canonical.components(before)) == 2
    after = add(before, ev("m1", outlet="a"), params=PARAMS)
    upserts, gone = changes(before, after)
    ids = {u.story_id for u in upserts}
    assert all(g not in ids for g in gone)
    assert {tuple(c) for c in canonical.components(after)} <= {("m1", "m2"), ("m3",), ("m1", "m2", "m3")}


def test_first_report_needs_its_block() -> None:
    with pytest.raises(ValueError):
        add(None, EVENTS[0], params=PARAMS)


def test_shuffled_large_input_is_stable() -> None:
    rng = random.Random(14)
    events = [
        ev(
            f"s{i:02d}",
            outlet=f"o{i % 5}",
            day=date(2017, 9, 10 + i % 6),
            code=rng.choice(["190", "194", "150", "111"]),
            text=rng.choice([LAUNCH, LAUNCH_2, OTHER]),
        )
        for i in range(30)
    ]
    baseline = _story_set(events)
    for _ in range(5):
        rng.shuffle(events)
        assert _story_set(events) == baseline
