"""The wire contract: pydantic v2 models carried on every wirewatch topic.

This package imports pydantic and nothing of wirewatch's own. Rules:
frozen models; strict on what we emit (``extra="forbid"``), tolerant on what we
ingest (``extra="ignore"``); every record has a literal ``schema_id``.
An additive optional field keeps the version; anything else is a new model.
"""

from schemas.alerts import Alert
from schemas.articles import CleanArticle, CleaningReport, RawArticle
from schemas.canonical import CanonicalEvent
from schemas.deadletter import DeadLetter
from schemas.event_sets import EventSet
from schemas.events import (
    Actor,
    Cameo,
    DateRange,
    DiplomaticEvent,
    Evidence,
    Location,
    Modality,
    Plover,
    Quote,
)

__all__ = [
    "Actor",
    "Alert",
    "Cameo",
    "CanonicalEvent",
    "CleanArticle",
    "CleaningReport",
    "DateRange",
    "DeadLetter",
    "DiplomaticEvent",
    "EventSet",
    "Evidence",
    "Location",
    "Modality",
    "Plover",
    "Quote",
    "RawArticle",
]
