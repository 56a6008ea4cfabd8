"""Flat rows for analysts: one column per fact, named the way GDELT, ICEWS and Phoenix users expect.

Three row kinds, each a fixed list of typed columns:

* ``EVENT_COLUMNS`` — one row per ``DiplomaticEvent`` (``wirewatch code --format csv``,
  ``GET /events``, ``wirewatch export events``);
* ``DYAD_DAY_COLUMNS`` — one row per directed dyad and day (``GET /dyads``, ``export dyads``);
* ``STORY_COLUMNS`` — one row per ``CanonicalEvent`` (``GET /stories``, ``export stories``).

Rows are plain JSON-able dicts (dates and times as ISO 8601 strings), so the same row
travels over HTTP and is written to CSV; ``typed`` turns one into Python values of the
column types for Parquet. Each column names its GDELT 2.0 / ICEWS / Phoenix equivalent
where one means the same (docs/outputs.md prints the table).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from schemas import CanonicalEvent, DiplomaticEvent
from schemas.events import Actor, DateRange
from streams.adapters.event_days import event_day

Kind = Literal["string", "date", "timestamp", "int8", "int32", "int64", "float64"]

# Text cells are cut here: a flat row is for counting and reading, the events topic keeps everything.
MAX_TEXT_CHARS = 2000
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    description: str
    gdelt: str = ""
    icews: str = ""
    phoenix: str = ""


def _actor_columns(side: str, n: int, ic: str, ph: str) -> list[Column]:
    return [
        Column(f"{side}_text", "string", f"the {side} as written in the article", "", "", ""),
        Column(
            f"{side}_name",
            "string",
            f"canonical name of the {side} where known (e.g. VLADIMIR_PUTIN)",
            f"Actor{n}Name",
            f"{ic} Name",
            "",
        ),
        Column(
            f"{side}_code",
            "string",
            f"CAMEO actor code of the {side} (e.g. RUSGOV)",
            f"Actor{n}Code",
            "",
            f"{ph}ActorFull",
        ),
        Column(
            f"{side}_country",
            "string",
            f"ISO 3166-1 alpha-3 country of the {side}",
            f"Actor{n}CountryCode",
            f"{ic} Country",
            f"{ph}ActorEntity",
        ),
        Column(
            f"{side}_sector",
            "string",
            f"CAMEO agent / sector code of the {side} (GOV, MIL, OPP …)",
            f"Actor{n}Type1Code",
            f"{ic} Sectors",
            f"{ph}ActorRole",
        ),
    ]


EVENT_COLUMNS: tuple[Column, ...] = (
    Column(
        "event_id",
        "string",
        "deterministic event id (stable across replays)",
        "GLOBALEVENTID",
        "Event ID",
        "EventID",
    ),
    Column(
        "event_date",
        "date",
        "the day the event happened (a range's start), else the publication day",
        "SQLDATE",
        "Event Date",
        "Date",
    ),
    Column("event_date_end", "date", "last day of a date range such as 'last week' (else = event_date)"),
    Column(
        "event_date_provenance",
        "string",
        "explicit (written out), relative (resolved against publication), publication (no date in the text)",
    ),
    *_actor_columns("source", 1, "Source", "Source"),
    *_actor_columns("target", 2, "Target", "Target"),
    Column(
        "cameo_code",
        "string",
        "CAMEO event code, a string: leading zeros matter (e.g. 042)",
        "EventCode",
        "CAMEO Code",
        "EventCode",
    ),
    Column("cameo_base", "string", "the code's first three digits", "EventBaseCode"),
    Column("cameo_root", "string", "CAMEO root (cue category), 01-20", "EventRootCode", "", "EventRootCode"),
    Column("cameo_name", "string", "name of the CAMEO code", "", "Event Text", ""),
    Column(
        "quad_class",
        "int8",
        "1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict",
        "QuadClass",
        "",
        "QuadClass",
    ),
    Column(
        "goldstein",
        "float64",
        "Goldstein score of the CAMEO code, -10..10",
        "GoldsteinScale",
        "Intensity",
        "GoldsteinScore",
    ),
    Column("plover_event", "string", "PLOVER event category (e.g. CONSULT)"),
    Column("plover_mode", "string", "PLOVER mode where the CAMEO code implies one"),
    Column("plover_context", "string", "PLOVER context where the CAMEO code implies one"),
    Column("modality", "string", "asserted, negated, future or hypothetical"),
    Column(
        "location_name",
        "string",
        "where it happened, as resolved",
        "ActionGeo_FullName",
        "City",
        "LocationName",
    ),
    Column(
        "location_country",
        "string",
        "ISO3 country of the location (GDELT uses FIPS codes here)",
        "ActionGeo_CountryCode",
        "Country",
        "CountryCode",
    ),
    Column("latitude", "float64", "latitude of the location", "ActionGeo_Lat", "Latitude", "Lat"),
    Column("longitude", "float64", "longitude of the location", "ActionGeo_Long", "Longitude", "Lon"),
    Column("geonameid", "int64", "GeoNames id of the location", "ActionGeo_FeatureID"),
    Column(
        "location_admin1",
        "string",
        "first-level division (state, province) of the location",
        "",
        "Province",
        "",
    ),
    Column("location_admin1_code", "string", "its ISO 3166-2 code where it has one (else GeoNames')"),
    Column(
        "location_provenance", "string", "locative, dateline, context, target or domestic: how it was placed"
    ),
    Column("publisher", "string", "the outlet that published the article", "", "Publisher", "NewsSources"),
    Column("url", "string", "the article's URL", "SOURCEURL", "", "URLs"),
    Column("title", "string", "the article's headline"),
    Column("published_at", "timestamp", "when the article was published (UTC)", "DATEADDED"),
    Column("article_id", "string", "the raw article's id", "", "Story ID", ""),
    Column("evidence", "string", "the sentence the event was coded from", "", "", ""),
    Column("evidence_start", "int32", "character offset of the sentence in the cleaned text"),
    Column("evidence_end", "int32", "end offset of the sentence"),
    Column("evidence_paragraph", "int32", "paragraph of the sentence (0-based)"),
    Column("evidence_count", "int32", "sentences of the article coding this event", "NumMentions"),
    Column("trigger", "string", "the verb or noun that triggered the code"),
    Column("quote", "string", "a quotation attached to the event"),
    Column("quote_speaker", "string", "who said it"),
    Column("confidence", "float64", "the coder's confidence, 0..1"),
    Column("coder_version", "string", "coder that produced the event (part of its id)"),
)

DYAD_DAY_COLUMNS: tuple[Column, ...] = (
    Column("date", "date", "the day", "SQLDATE", "Event Date", "Date"),
    Column(
        "source",
        "string",
        "country-level code of the source (RUSGOV → RUS)",
        "Actor1CountryCode",
        "Source Country",
        "SourceActorEntity",
    ),
    Column(
        "target",
        "string",
        "country-level code of the target",
        "Actor2CountryCode",
        "Target Country",
        "TargetActorEntity",
    ),
    Column("events", "int32", "events of the dyad that day"),
    *(Column(f"quad_{q}", "int32", f"events of quad class {q}", "QuadClass") for q in range(1, 5)),
    Column("goldstein_sum", "float64", "sum of the events' Goldstein scores", "GoldsteinScale"),
    *(
        Column(f"root_{r:02d}", "int32", f"events of CAMEO root {r:02d}", "EventRootCode")
        for r in range(1, 21)
    ),
)

STORY_COLUMNS: tuple[Column, ...] = (
    Column("story_id", "string", "stable id of one real-world event across outlets and reports"),
    Column("story_key", "string", "the block (first day of its bucket) and the smallest member event id"),
    Column(
        "event_date",
        "date",
        "the representative report's event date (a range's start)",
        "SQLDATE",
        "Event Date",
        "Date",
    ),
    *(c for c in _actor_columns("source", 1, "Source", "Source") if c.name != "source_text"),
    *(c for c in _actor_columns("target", 2, "Target", "Target") if c.name != "target_text"),
    Column(
        "cameo_code",
        "string",
        "CAMEO code of the representative report",
        "EventCode",
        "CAMEO Code",
        "EventCode",
    ),
    Column("cameo_root", "string", "CAMEO root", "EventRootCode", "", "EventRootCode"),
    Column("cameo_name", "string", "name of the CAMEO code", "", "Event Text"),
    Column("quad_class", "int8", "quad class", "QuadClass", "", "QuadClass"),
    Column("goldstein", "float64", "Goldstein score", "GoldsteinScale", "Intensity", "GoldsteinScore"),
    Column("plover_event", "string", "PLOVER event category"),
    Column("location_name", "string", "location", "ActionGeo_FullName", "City", "LocationName"),
    Column("latitude", "float64", "latitude", "ActionGeo_Lat", "Latitude", "Lat"),
    Column("longitude", "float64", "longitude", "ActionGeo_Long", "Longitude", "Lon"),
    Column("mention_count", "int32", "distinct articles reporting the story", "NumArticles"),
    Column("source_count", "int32", "distinct outlets reporting it", "NumSources"),
    Column(
        "publishers", "string", f"the outlets, '{LIST_SEPARATOR}'-separated", "", "Publisher", "NewsSources"
    ),
    Column("first_seen", "timestamp", "earliest report publication (UTC)"),
    Column("last_seen", "timestamp", "latest report publication (UTC)"),
    Column("representative_event_id", "string", "the report the story's fields come from"),
    Column("confidence", "float64", "the representative report's confidence"),
    Column("merge_confidence", "float64", "the weakest member's strongest link score (empty: one report)"),
    Column("event_ids", "string", f"the member event ids, '{LIST_SEPARATOR}'-separated"),
)

ACTOR_TIMELINE_COLUMNS: tuple[Column, ...] = (
    Column("event_id", "string", "event id", "GLOBALEVENTID", "Event ID", "EventID"),
    Column("event_date", "date", "the day the event is counted on", "SQLDATE", "Event Date", "Date"),
    Column("source_code", "string", "source actor code", "Actor1Code", "", "SourceActorFull"),
    Column("target_code", "string", "target actor code", "Actor2Code", "", "TargetActorFull"),
    Column("cameo_code", "string", "CAMEO code", "EventCode", "CAMEO Code", "EventCode"),
    Column("cameo_root", "string", "CAMEO root", "EventRootCode", "", "EventRootCode"),
    Column("quad_class", "int8", "quad class", "QuadClass", "", "QuadClass"),
    Column("goldstein", "float64", "Goldstein score", "GoldsteinScale", "Intensity", "GoldsteinScore"),
    Column("plover_event", "string", "PLOVER event category"),
    Column("publisher", "string", "outlet", "", "Publisher", "NewsSources"),
    Column("url", "string", "article URL", "SOURCEURL", "", "URLs"),
    Column("published_at", "timestamp", "publication time (UTC)", "DATEADDED"),
    Column("article_id", "string", "raw article id", "", "Story ID"),
    Column("evidence", "string", "the sentence (first 300 characters)"),
)

KINDS: dict[str, tuple[Column, ...]] = {
    "events": EVENT_COLUMNS,
    "dyads": DYAD_DAY_COLUMNS,
    "stories": STORY_COLUMNS,
    "actor": ACTOR_TIMELINE_COLUMNS,
}


def names(columns: tuple[Column, ...]) -> list[str]:
    return [c.name for c in columns]


# --- building rows ------------------------------------------------------------------------------


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _cut(text: str | None) -> str | None:
    return text[:MAX_TEXT_CHARS] if text else text


def _actor(prefix: str, actor: Actor | None, *, with_text: bool = True) -> dict[str, Any]:
    row: dict[str, Any] = {}
    if with_text:
        row[f"{prefix}_text"] = actor.text if actor else None
    row.update(
        {
            f"{prefix}_name": actor.name if actor else None,
            f"{prefix}_code": actor.code if actor else None,
            f"{prefix}_country": actor.country if actor else None,
            f"{prefix}_sector": actor.sector if actor else None,
        }
    )
    return row


def _date_span(when: date | DateRange | None) -> tuple[date | None, date | None]:
    if isinstance(when, DateRange):
        return when.start, when.end
    return when, when


def event_row(event: DiplomaticEvent) -> dict[str, Any]:
    """The flat row of one event (JSON-able)."""
    day = event_day(event)
    _, end = _date_span(event.event_date)
    first = event.evidence[0]
    loc = event.location
    row: dict[str, Any] = {
        "event_id": event.event_id,
        "event_date": _iso(day),
        "event_date_end": _iso(end or day),
        "event_date_provenance": event.event_date_provenance,
        **_actor("source", event.source),
        **_actor("target", event.target),
        "cameo_code": event.cameo.code,
        "cameo_base": event.cameo.code[:3],
        "cameo_root": event.cameo.root,
        "cameo_name": event.cameo.name,
        "quad_class": event.cameo.quad_class,
        "goldstein": event.cameo.goldstein,
        "plover_event": event.plover.event,
        "plover_mode": event.plover.mode,
        "plover_context": event.plover.context,
        "modality": event.modality.value,
        "location_name": loc.name if loc else None,
        "location_country": loc.country if loc else None,
        "latitude": loc.lat if loc else None,
        "longitude": loc.lon if loc else None,
        "geonameid": loc.geonameid if loc else None,
        "location_admin1": loc.admin1 if loc else None,
        "location_admin1_code": loc.admin1_code if loc else None,
        "location_provenance": event.location_provenance,
        "publisher": event.article_source or None,
        "url": event.article_url,
        "title": event.article_title,
        "published_at": _iso(event.published_at),
        "article_id": event.article_id,
        "evidence": _cut(first.text),
        "evidence_start": first.start,
        "evidence_end": first.end,
        "evidence_paragraph": first.paragraph,
        "evidence_count": len(event.evidence),
        "trigger": first.trigger,
        "quote": _cut(event.quote.text) if event.quote else None,
        "quote_speaker": event.quote.speaker if event.quote else None,
        "confidence": event.confidence,
        "coder_version": event.coder_version,
    }
    return row


def dyad_day_row(source: str, target: str, stats: dict[str, Any]) -> dict[str, Any]:
    """One ``tallies.day_stats`` point as a flat row."""
    by_quad = stats.get("by_quad", {})
    by_root = stats.get("by_root", {})
    row: dict[str, Any] = {
        "date": stats["date"],
        "source": source,
        "target": target,
        "events": stats["events"],
        **{f"quad_{q}": int(by_quad.get(str(q), 0)) for q in range(1, 5)},
        "goldstein_sum": stats["goldstein_sum"],
        **{f"root_{r:02d}": int(by_root.get(f"{r:02d}", 0)) for r in range(1, 21)},
    }
    return row


def story_row(story: CanonicalEvent) -> dict[str, Any]:
    """The flat row of one canonical story."""
    start, _ = _date_span(story.event_date)
    loc = story.location
    return {
        "story_id": story.story_id,
        "story_key": story.story_key,
        "event_date": _iso(start or (story.first_seen.date() if story.first_seen else None)),
        **_actor("source", story.source, with_text=False),
        **_actor("target", story.target, with_text=False),
        "cameo_code": story.cameo.code,
        "cameo_root": story.cameo.root,
        "cameo_name": story.cameo.name,
        "quad_class": story.cameo.quad_class,
        "goldstein": story.cameo.goldstein,
        "plover_event": story.plover.event,
        "location_name": loc.name if loc else None,
        "latitude": loc.lat if loc else None,
        "longitude": loc.lon if loc else None,
        "mention_count": story.mention_count,
        "source_count": len(story.sources),
        "publishers": LIST_SEPARATOR.join(story.sources) or None,
        "first_seen": _iso(story.first_seen),
        "last_seen": _iso(story.last_seen),
        "representative_event_id": story.representative_event_id,
        "confidence": story.confidence,
        "merge_confidence": story.merge_confidence,
        "event_ids": LIST_SEPARATOR.join(story.event_ids),
    }


def actor_timeline_row(summary: dict[str, Any]) -> dict[str, Any]:
    """One actor-timeline entry (``tallies.summary``) under the flat column names."""
    return {
        "event_id": summary.get("event_id"),
        "event_date": summary.get("date"),
        "source_code": summary.get("source"),
        "target_code": summary.get("target"),
        "cameo_code": summary.get("cameo"),
        "cameo_root": summary.get("root"),
        "quad_class": summary.get("quad"),
        "goldstein": summary.get("goldstein"),
        "plover_event": summary.get("plover"),
        "publisher": summary.get("article_source") or None,
        "url": summary.get("url"),
        "published_at": summary.get("published_at"),
        "article_id": summary.get("article_id"),
        "evidence": summary.get("evidence"),
    }


# --- typing rows ---------------------------------------------------------------------------------


def _value(kind: Kind, value: Any) -> Any:
    if value is None or value == "":
        return None
    if kind == "string":
        return str(value)
    if kind == "date":
        return (
            value
            if isinstance(value, date) and not isinstance(value, datetime)
            else date.fromisoformat(str(value)[:10])
        )
    if kind == "timestamp":
        return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if kind == "float64":
        return float(value)
    return int(value)


def typed(columns: tuple[Column, ...], row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with every column converted to its Python type (missing columns: None)."""
    return {c.name: _value(c.kind, row.get(c.name)) for c in columns}


def pandas_dtypes(columns: tuple[Column, ...]) -> dict[str, str]:
    """``dtype=`` for ``pandas.read_csv`` (dates and times go to ``parse_dates``)."""
    mapping = {"string": "string", "int8": "Int8", "int32": "Int32", "int64": "Int64", "float64": "float64"}
    return {c.name: mapping[c.kind] for c in columns if c.kind in mapping}


def date_columns(columns: tuple[Column, ...]) -> list[str]:
    return [c.name for c in columns if c.kind in ("date", "timestamp")]


def markdown_table(columns: tuple[Column, ...]) -> str:
    """The columns as the Markdown table of docs/outputs.md (a test keeps the two equal)."""
    lines = ["| column | type | meaning | GDELT 2.0 | ICEWS | Phoenix |", "|---|---|---|---|---|---|"]
    for c in columns:
        names = (f"`{v}`" if v else "" for v in (c.gdelt, c.icews, c.phoenix))
        cells = [f"`{c.name}`", c.kind, c.description, *names]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m streams.adapters.columns: the tables of docs/outputs.md
    for kind, cols in KINDS.items():
        print(f"<!-- columns:{kind} -->\n{markdown_table(cols)}<!-- /columns:{kind} -->\n")
