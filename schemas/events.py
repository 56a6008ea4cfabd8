"""Diplomatic events (``wire.events.diplomatic.v1``, keyed by ``event_id``)."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Literal

from pydantic import Field, model_validator

from schemas.base import AwareDatetime, Emitted


class Modality(str, Enum):  # noqa: UP042 - kept as (str, Enum): the wire schema is pinned
    ASSERTED = "asserted"
    NEGATED = "negated"
    FUTURE = "future"
    HYPOTHETICAL = "hypothetical"


class Actor(Emitted):
    """One side of a dyad, as written and as coded."""

    text: str = Field(description="the mention as it stands in the text")
    code: str | None = Field(default=None, description="CAMEO actor code such as RUSGOV", max_length=30)
    country: str | None = Field(default=None, pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3")
    sector: str | None = Field(default=None, description="CAMEO agent code such as GOV, MIL, OPP")
    name: str | None = Field(default=None, description="canonical name where known, e.g. VLADIMIR_PUTIN")
    start: int | None = Field(default=None, ge=0, description="offset of the mention in CleanArticle.text")
    end: int | None = Field(default=None, ge=0, description="end offset of the mention in CleanArticle.text")


class Cameo(Emitted):
    code: str = Field(pattern=r"^\d{2,4}$", description="CAMEO event code; a string, leading zeros matter")
    root: str = Field(pattern=r"^\d{2}$")
    name: str
    goldstein: float = Field(ge=-10, le=10)
    quad_class: int = Field(
        ge=1, le=4, description="1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict"
    )


class Plover(Emitted):
    event: str
    mode: str | None = None
    context: str | None = None


class DateRange(Emitted):
    start: date
    end: date
    text: str | None = Field(default=None, description="the expression it was resolved from")

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.end < self.start:
            raise ValueError("date range ends before it starts")
        return self


class Location(Emitted):
    name: str
    country: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    geonameid: int | None = None
    feature: Literal["country", "admin1", "city"] | None = Field(
        default=None, description="what the place is: a country, a first-level division or a city"
    )
    admin1: str | None = Field(
        default=None, description="the first-level division (state, province, region) it lies in, by name"
    )
    admin1_code: str | None = Field(
        default=None,
        description="that division's ISO 3166-2 code where it has one (US-CT), else GeoNames' (US.CT)",
    )


# Where an event's date comes from: a date written out ("September 19", "2017"), an
# expression resolved against the publication time ("on Sunday", "last week"), or, when the
# text names no day for the act, the publication date itself.
DateProvenance = Literal["explicit", "relative", "publication"]
# Where an event's place comes from, in the order the coder tries them: a locative of the
# event's own verb or noun, the dateline, the same act's place in a neighbouring sentence,
# the target's place (an attack on a town, arrests of a country's people), the country both
# sides belong to (a domestic event).
PlaceProvenance = Literal["locative", "dateline", "context", "target", "domestic"]


class Evidence(Emitted):
    """One mention of the event: a sentence and its offsets into ``CleanArticle.text``."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    paragraph: int | None = Field(default=None, ge=0)
    trigger: str | None = Field(default=None, description="the verb or noun that triggered the code")


class Quote(Emitted):
    text: str
    speaker: str | None = None
    speaker_code: str | None = None


class DiplomaticEvent(Emitted):
    schema_id: Literal["diplomatic_event.v1"] = "diplomatic_event.v1"
    event_id: str = Field(
        description="hash of article id, dyad, code, date and coder version: stable across replays"
    )
    article_id: str
    article_source: str = Field(default="", description="the outlet that published the article")
    article_url: str | None = Field(default=None, description="the article's URL, as the feed gave it")
    article_title: str | None = Field(default=None, description="the article's (cleaned) headline")
    published_at: AwareDatetime | None = None
    source: Actor
    target: Actor | None = None
    cameo: Cameo
    plover: Plover
    modality: Modality = Modality.ASSERTED
    event_date: date | DateRange | None = None
    event_date_provenance: DateProvenance | None = Field(
        default=None, description="explicit | relative | publication: how the event date was found"
    )
    event_date_text: str | None = Field(
        default=None, description="the time expression the event date was resolved from"
    )
    location: Location | None = None
    location_provenance: PlaceProvenance | None = Field(
        default=None, description="locative | dateline | context | target | domestic: how the place was found"
    )
    evidence: list[Evidence] = Field(min_length=1)
    quote: Quote | None = None
    confidence: float = Field(ge=0, le=1)
    coder_version: str
