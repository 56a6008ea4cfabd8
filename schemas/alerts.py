"""Alerts (``wire.alerts.v1``, keyed by ``alert_id``), raised by the rules in ``streams.core.alerts``."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from schemas.base import AwareDatetime, Emitted

AlertKind = Literal["watch", "dyad_window"]
Severity = Literal["info", "low", "medium", "high", "critical"]


class Alert(Emitted):
    schema_id: Literal["alert.v1"] = "alert.v1"
    alert_id: str = Field(
        description="watch: hash of rule, article, dyad and CAMEO code; dyad_window: hash of rule, dyad and "
        "triggering event. A replay yields the same id"
    )
    rule: str = Field(description="the rule's name in the rules file")
    kind: AlertKind
    severity: Severity = "medium"
    source: str | None = Field(default=None, description="source actor code (watch) or first dyad side")
    target: str | None = Field(default=None, description="target actor code (watch) or second dyad side")
    actors: list[str] = Field(default_factory=list, description="the watched actor codes that matched")
    window_start: AwareDatetime | None = None
    window_end: AwareDatetime | None = None
    observed: float | None = Field(default=None, description="count or Goldstein intensity in the window")
    threshold: float | None = Field(default=None, description="the value it crossed (absolute or k x mean)")
    trailing_mean: float | None = None
    event_ids: list[str] = Field(min_length=1, description="the events that triggered it, latest last")
    message: str = Field(description="one human-readable line")
    created_at: AwareDatetime
    withdraws: str | None = Field(
        default=None,
        description="set on a cancellation: the alert_id of an earlier alert that no longer holds "
        "(its events were retracted by a re-coding); the alert with that id is void",
    )
