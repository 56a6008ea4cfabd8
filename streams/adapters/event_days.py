"""The day an event is counted on in the tables, the views and the exports.

Its own module because both the tables (``streams.adapters.tallies``) and the flat rows
(``streams.adapters.columns``) need it, and the tables also build flat rows.
"""

from __future__ import annotations

from datetime import date

from schemas import DiplomaticEvent
from schemas.events import DateRange


def event_day(event: DiplomaticEvent) -> date | None:
    """The day an event is counted on: its own date, else the day it was published."""
    when = event.event_date
    if isinstance(when, DateRange):
        return when.start
    if isinstance(when, date):
        return when
    if event.published_at is not None:
        return event.published_at.date()
    return None
