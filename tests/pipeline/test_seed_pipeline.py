"""The seed wire article through the real pipeline: the six events of EXPECTED.md.

The file is fed byte for byte through ``wirewatch code --published-at 2022-09-20``
(in-process) and through ``Coder.process``. Each required event must be there with
its dyad (by country; meetings may run either way) and its CAMEO root; no event has
Al Jazeera as an actor; no two events share an id or a (dyad, code, date); ids are
the same on a second run.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from schemas import DiplomaticEvent
from schemas.events import DateRange
from streams.adapters.inputs import read_articles
from streams.adapters.nlp import load_coder
from streams.cli import main

SEED = Path(__file__).resolve().parents[1] / "data" / "seed" / "wire-russia-china.txt"
PUBLISHED = datetime(2022, 9, 20, tzinfo=UTC)
LAST_WEEK = (date(2022, 9, 12), date(2022, 9, 19))  # the seven days before 2022-09-20


def _country(actor) -> str | None:
    if actor is None:
        return None
    return actor.country or (actor.code or "")[:3] or None


def _dyad(e: DiplomaticEvent) -> tuple[str | None, str | None]:
    return _country(e.source), _country(e.target)


def _in_last_week(e: DiplomaticEvent) -> bool:
    """Dated by "last week": a range inside the week before publication."""
    d = e.event_date
    return isinstance(d, DateRange) and LAST_WEEK[0] <= d.start and d.end <= LAST_WEEK[1]


def _find(events, dyads, roots, *, trigger_words=(), when=None):
    found = []
    for e in events:
        if _dyad(e) not in dyads or e.cameo.root not in roots:
            continue
        if trigger_words and not any((ev.trigger or "").lower() in trigger_words for ev in e.evidence):
            continue
        if when is not None and not when(e):
            continue
        found.append(e)
    return found


@pytest.fixture(scope="module")
def cli_events(tmp_path_factory: pytest.TempPathFactory) -> list[DiplomaticEvent]:
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["code", str(SEED), "--published-at", "2022-09-20"]) == 0
    return [DiplomaticEvent.model_validate_json(line) for line in buf.getvalue().splitlines() if line]


RU_CN = {("RUS", "CHN")}
CN_RU = {("CHN", "RUS")}
BOTH = RU_CN | CN_RU


def test_1_russia_calls_partnership_with_china_a_priority(cli_events) -> None:
    assert _find(cli_events, RU_CN, {"03"}, when=lambda e: e.event_date == date(2022, 9, 20))


def test_2_patrushev_meets_guo(cli_events) -> None:
    found = _find(cli_events, BOTH, {"04"}, when=lambda e: e.event_date == date(2022, 9, 19))
    assert found
    assert any("Guo" in (e.target.text if e.target else "") or "Guo" in e.source.text for e in found)
    # "Following the meeting in the city of Nanping" is a later mention of the same meeting
    assert all(
        e.location is not None and e.location.name == "Nanping" and e.location.country == "CHN" for e in found
    )


def test_3_both_sides_agree_to_expand_exchanges(cli_events) -> None:
    found = _find(cli_events, BOTH, {"03", "06"}, when=lambda e: e.event_date == date(2022, 9, 19))
    assert found
    assert any(any("expand" in ev.text for ev in e.evidence) for e in found)


def test_4_putin_meets_xi_last_week_in_uzbekistan(cli_events) -> None:
    found = _find(cli_events, BOTH, {"04"}, when=_in_last_week)
    assert found
    assert all(e.location is not None and e.location.country == "UZB" for e in found), [
        (e.source.code, e.target.code, e.location, e.event_date) for e in found
    ]


def test_quotes_and_repeated_mentions(cli_events) -> None:
    (first,) = _find(cli_events, RU_CN, {"03"}, when=lambda e: e.event_date == date(2022, 9, 20))
    assert [ev.paragraph for ev in first.evidence] == [0, 1]  # paragraphs 1 and 2 report it
    assert first.quote is not None and "unconditional priority" in first.quote.text


def test_5_china_promises_support_for_moscow(cli_events) -> None:
    assert _find(cli_events, CN_RU, {"03", "05"}, trigger_words={"promised"})


def test_6_putin_praises_xi(cli_events) -> None:
    found = _find(cli_events, RU_CN, {"05"}, trigger_words={"praised"})
    assert found and found[0].cameo.code == "051"
    assert found[0].plover.event == "SUPPORT"


def test_no_al_jazeera_actor(cli_events) -> None:
    for e in cli_events:
        for actor in (e.source, e.target):
            if actor is not None:
                assert "jazeera" not in actor.text.lower()
                assert actor.code != "MED"


def test_no_duplicate_events(cli_events) -> None:
    ids = [e.event_id for e in cli_events]
    assert len(ids) == len(set(ids))
    keys = [
        (e.source.code, e.target.code if e.target else None, e.cameo.root, str(e.event_date))
        for e in cli_events
    ]
    assert len(keys) == len(set(keys))


def test_every_event_is_grounded_in_the_clean_text(cli_events) -> None:
    coder = load_coder()
    ((_, _, raw),) = list(read_articles([str(SEED)], published_at=PUBLISHED))
    clean = coder.process(raw).clean
    for e in cli_events:
        assert e.evidence
        for ev in e.evidence:
            assert clean.text[ev.start : ev.end] == ev.text
            # a mention is one sentence of one paragraph, starting with a word
            assert "\n\n" not in ev.text and ev.text[:1].isalnum(), ev.text
            assert ev.text in clean.paragraphs[ev.paragraph]
        assert 0 < e.confidence <= 1


def test_ids_stable_across_runs_and_entry_points(cli_events) -> None:
    coder = load_coder()
    ((_, _, raw),) = list(read_articles([str(SEED)], published_at=PUBLISHED))
    first = coder.process(raw)
    second = coder.process_batch([raw])[0]
    assert [e.event_id for e in first.events] == [e.event_id for e in second.events]
    assert sorted(e.event_id for e in first.events) == sorted(e.event_id for e in cli_events)
    assert set(first.timings) >= {"clean", "parse", "extract", "classify"}
