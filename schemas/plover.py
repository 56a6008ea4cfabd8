"""PLOVER's own JSON record (``wirewatch code --format plover``).

The fields and their names are those of the PLOVER manual's data-interchange chapter
(draft 2.0, 2024: Table 6.1 the record, 6.2 entities, 6.3 text information, 6.5
citations, 6.6 locations; multi-word names joined by ``_``). Only those names are
allowed (``extra="forbid"``), so a record that validates here uses PLOVER's
vocabulary and nothing else. Required, as in the manual: ``id``, ``date``,
``actor`` and ``event``. This is not a wirewatch wire record (no ``schema_id``): it is
the format other PLOVER tools read.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from schemas.base import Emitted


class PloverEntity(Emitted):
    """Table 6.2: an actor or recipient."""

    code: str | None = Field(default=None, description="3-char top-level entity code (e.g., country)")
    sector: str | None = Field(default=None, description="3- or 6-char sector (GOV, MIL, etc)")
    entity_text: str | None = Field(default=None, description="extracted text for source")
    identifier_id: str | None = None
    identifier_text: str | None = None
    religion: str | None = None
    ethnicity: str | None = None
    office: str | None = None
    gender: str | None = None
    age: int | None = None


class PloverTextInfo(Emitted):
    """Table 6.3: where the coded text sits."""

    sequence: int | None = Field(default=None, description="sequence number of sentence")
    start: int | None = Field(default=None, ge=0, description="character offset for start of text")
    end: int | None = Field(default=None, ge=0, description="character offset for end of text")
    text_story: list[str] | None = None


class PloverCiteInfo(Emitted):
    """Table 6.5: the text's citation."""

    corpus: str | None = None
    citation: str | None = None
    url: str | None = None
    title: str | None = None
    language: str | None = None
    publication: str | None = None
    license: str | None = None
    copyright: str | None = None
    coder: str | None = None
    codebook: str | None = None
    version: str | None = None


class PloverLocation(Emitted):
    """Table 6.6: the event's location (geonames field names)."""

    extracted_place: str | None = None
    resolved_place: str | None = None
    geonameid: int | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    city: str | None = None
    district: str | None = None
    province: str | None = None
    country: str | None = None
    country_code: str | None = None
    feature_class: str | None = None
    feature_code: str | None = None
    resolution: int | None = Field(default=None, ge=1, le=5)


class PloverRecord(Emitted):
    """Table 6.1: one PLOVER event record."""

    id: str = Field(min_length=1)
    has_event: bool | None = None
    date: dt.date
    time: str | None = None
    enddate: dt.date | None = None
    endtime: str | None = None
    actor: list[PloverEntity] = Field(min_length=1)
    recipient: list[PloverEntity] | None = None
    event: list[str] = Field(min_length=1)
    event_loc: PloverLocation | None = None
    event_text: list[str] | None = None
    quad_code: int | None = Field(default=None, ge=1, le=4)
    event_scale: float | None = None
    mode: list[str] | None = None
    context: list[str] | None = None
    link: str | None = None
    text: str | None = None
    text_info: PloverTextInfo | None = None
    cite_info: PloverCiteInfo | None = None
    coder: str | None = None
    coded_date: dt.date | None = None
    coded_time: str | None = None
    comment: str | None = None
