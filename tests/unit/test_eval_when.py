"""``wirewatch eval dates|places``: rates over a verdict file (made up here, no corpus)."""

from __future__ import annotations

import json

from streams.cli import main
from streams.commands.eval_when import date_rates, place_rates

VERDICTS = [
    # real events: two dates right (a day, a range), one wrong; not-events are not scored
    {
        "event_id": "a",
        "event_ok": True,
        "date_ok": True,
        "event_date": "2017-09-15",
        "event_date_provenance": "relative",
        "place_named": True,
        "place_country_ok": True,
        "place_city_ok": True,
        "location_provenance": "dateline",
        "location": {"name": "Moscow"},
    },
    {
        "event_id": "b",
        "event_ok": True,
        "date_ok": True,
        "event_date": {"start": "2017-09-04", "end": "2017-09-10"},
        "event_date_provenance": "relative",
        "place_named": False,
        "place_country_ok": True,
        "place_city_ok": True,
    },
    {
        "event_id": "c",
        "event_ok": True,
        "date_ok": False,
        "date_failure": "other_act",
        "event_date": "2017-09-15",
        "event_date_provenance": "publication",
        "place_named": True,
        "place_country_ok": False,
        "place_city_ok": False,
        "place_failure": "unplaced",
    },
    {"event_id": "d", "event_ok": False, "date_ok": False, "place_country_ok": False},
]


def test_date_rates_count_real_events_only():
    r = date_rates(VERDICTS)
    assert (r["real_events"], r["date_ok"]["k"], r["date_ok"]["n"]) == (3, 2, 3)
    assert r["by_kind"]["range"]["k"] == 1 and r["by_kind"]["day"]["n"] == 2
    assert r["by_provenance"]["publication"] == {
        "k": 0,
        "n": 1,
        "rate": 0.0,
        "ci95": r["by_provenance"]["publication"]["ci95"],
    }
    assert r["failures"] == {"other_act": 1}
    lo, hi = r["date_ok"]["ci95"]
    assert lo < 2 / 3 < hi


def test_place_rates():
    r = place_rates(VERDICTS)
    assert r["country_ok"]["k"] == 2 and r["city_or_admin1_ok"]["k"] == 2 and r["country_ok"]["n"] == 3
    assert r["text_names_a_place"] == 2 and r["placed"] == 1 and r["unplaced_where_named"] == 1
    assert r["placed_where_none_named"] == 0


def test_cli_reads_provenance_from_the_events_file(tmp_path, capsys):
    verdicts = tmp_path / "v.jsonl"
    verdicts.write_text(
        "\n".join(json.dumps({k: v for k, v in x.items() if k != "event_date_provenance"}) for x in VERDICTS)
    )
    events = tmp_path / "e.jsonl"
    events.write_text(json.dumps({"event_id": "c", "event_date_provenance": "explicit"}) + "\n")
    assert main(["eval", "dates", str(verdicts), "--events", str(events)]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["by_provenance"]["explicit"]["n"] == 1
    assert main(["eval", "places", str(verdicts)]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["country_ok"]["k"] == 2


def test_cli_refuses_an_empty_or_missing_file(tmp_path, capsys):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    assert main(["eval", "dates", str(empty)]) != 0
    assert main(["eval", "places", str(tmp_path / "missing.jsonl")]) != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
