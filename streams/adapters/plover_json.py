"""A ``DiplomaticEvent`` as a PLOVER JSON record (``schemas.plover.PloverRecord``).

What goes where (PLOVER manual draft 2.0, chapter 6):

* ``id`` the event id; ``date``/``enddate`` the event's day (a range's start and end),
  else the publication day — the same day the tables count it on;
* ``actor``/``recipient`` one entity each: ``code`` the country (else the first three
  letters of the CAMEO actor code), ``sector``, ``entity_text`` as written,
  ``identifier_text`` the dictionary's canonical name. wirewatch codes dyads, so a
  compound actor ("A and B met C") is two records, not one record with two actors;
* ``event``, ``mode``, ``context`` as lists (PLOVER allows several; wirewatch gives one);
* ``event_text`` the trigger words; ``quad_code`` the quad class; ``text`` the coded
  sentence with its offsets in ``text_info``;
* ``link`` a per-report grouping id (``streams.core.dedup``: dyad, root and 3-day
  bucket), computable from one record. It is not the canonical story id: canonical
  events depend on the other reports; join a record to ``wirewatch export stories``
  (or ``wirewatch stories``) through their ``event_ids`` instead;
* ``cite_info`` the article's URL, headline and outlet; ``coder`` the coder version;
* ``comment`` the modality when it is not "asserted" (PLOVER has no field for it).

Not filled: ``event_scale`` (PLOVER's own conflict-cooperation scores are not computed;
the CAMEO Goldstein score is in the CSV/Parquet outputs), ``coded_date`` (kept out so
that the same input gives the same output), ``time``.
"""

from __future__ import annotations

from schemas.events import Actor, DateRange, DiplomaticEvent, Modality
from schemas.plover import PloverCiteInfo, PloverEntity, PloverLocation, PloverRecord, PloverTextInfo
from streams.adapters import tallies
from streams.core import dedup

CODEBOOK = "CAMEO, mapped to PLOVER by CAMEO2PLOVER-2021"


def _entity(actor: Actor) -> PloverEntity:
    code = actor.country or (actor.code[:3].upper() if actor.code else None)
    return PloverEntity(code=code, sector=actor.sector, entity_text=actor.text, identifier_text=actor.name)


def _listed(value: str | None) -> list[str] | None:
    return [value] if value else None


def plover_record(event: DiplomaticEvent, *, window_hours: int = 72) -> PloverRecord:
    day = tallies.event_day(event)
    if day is None:
        raise ValueError(f"event {event.event_id} has neither an event date nor a publication date")
    end = event.event_date.end if isinstance(event.event_date, DateRange) else None
    first = event.evidence[0]
    triggers = list(dict.fromkeys(ev.trigger for ev in event.evidence if ev.trigger))
    loc = event.location
    return PloverRecord(
        id=event.event_id,
        has_event=True,
        date=day,
        enddate=end if end is not None and end != day else None,
        actor=[_entity(event.source)],
        recipient=[_entity(event.target)] if event.target is not None else None,
        event=[event.plover.event],
        mode=_listed(event.plover.mode),
        context=_listed(event.plover.context),
        event_text=triggers or None,
        quad_code=event.cameo.quad_class,
        event_loc=PloverLocation(
            resolved_place=loc.name,
            geonameid=loc.geonameid,
            lat=loc.lat,
            lon=loc.lon,
            country_code=loc.country,
        )
        if loc is not None
        else None,
        text=first.text,
        text_info=PloverTextInfo(start=first.start, end=first.end),
        link=dedup.story_id(dedup.story_key(event, window_hours=window_hours)),
        cite_info=PloverCiteInfo(
            url=event.article_url,
            title=event.article_title,
            publication=event.article_source or None,
            codebook=CODEBOOK,
        ),
        coder=event.coder_version,
        comment=None if event.modality is Modality.ASSERTED else f"modality: {event.modality.value}",
    )


def plover_json(event: DiplomaticEvent, *, window_hours: int = 72) -> str:
    """One JSON line; fields without a value are left out."""
    return plover_record(event, window_hours=window_hours).model_dump_json(exclude_none=True)
