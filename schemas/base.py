"""Shared model configuration."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict


class Emitted(BaseModel):
    """A record wirewatch writes: frozen, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Ingested(BaseModel):
    """A record wirewatch reads from others: frozen, unknown fields ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")


def _require_aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("datetime must carry a time zone (e.g. 2022-09-20T00:00:00Z)")
    return value


AwareDatetime = Annotated[datetime, AfterValidator(_require_aware)]
