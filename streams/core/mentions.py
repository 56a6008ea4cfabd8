"""What the extract stage finds in a parsed article, handed to classify.

Plain frozen dataclasses (not wire records): offsets are character offsets into
``CleanArticle.text``; token indices are into the spaCy ``Doc`` of that text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from schemas.events import Actor, DateRange, Location


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    text: str
    actor: Actor
    token_start: int
    token_end: int
    # dictionary | context | nationality | agent | coreference | generic (an unnamed agent) |
    # modifier (a state that only qualifies its head) | implied | place (a city, never a party)
    how: str = "dictionary"


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    text: str
    location: Location


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    value: date | DateRange


@dataclass(frozen=True)
class QuoteMention:
    start: int  # offsets of the quoted text, quotation marks excluded
    end: int
    text: str
    speaker_text: str | None = None
    speaker: ActorMention | None = None


@dataclass(frozen=True)
class Mentions:
    actors: tuple[ActorMention, ...] = ()
    places: tuple[PlaceMention, ...] = ()
    dates: tuple[DateMention, ...] = ()
    quotes: tuple[QuoteMention, ...] = ()
    countries: tuple[str, ...] = field(default=())  # ISO3 codes the article is about, most mentioned first
