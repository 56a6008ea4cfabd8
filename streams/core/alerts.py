"""Alert rules and their evaluation (pure: no clock, no I/O; the adapter parses the file).

Two kinds of rule:

``watch``
    Any event involving a watched actor whose quad class *or* CAMEO root is
    listed (an empty list does not filter; both empty: every event of the
    watched actors). Actors are CAMEO code prefixes (``RUS`` matches ``RUSGOV``
    and ``RUSMIL``; ``CHNGOV`` matches only the Chinese government); ``involving:
    any`` (default) needs one side to match, ``both`` needs both. Stateless: one
    alert per matching event.

``dyad_window``
    Per unordered country dyad (``CHN|RUS``: conflict in either direction), the
    ``metric`` of the dyad's events of ``quad_classes`` (default 3, 4: conflict)
    in a sliding window of ``window_hours`` ending at the newest event's time.
    ``count`` counts events; ``goldstein`` sums ``-goldstein`` of the negative
    ones, so a larger value is always worse. It fires when the value reaches
    ``threshold`` or ``multiplier`` times the mean of the ``trailing_windows``
    windows of the same width before it (with at least ``min_value``, so a dyad
    that was quiet does not fire on its first event). After firing, the rule is
    quiet for that dyad for one window (``cooldown``), so a surge is one alert,
    not one per event.

An event's time is its publication time, else its event date at 00:00 UTC;
events with neither, or with no target, are not windowed. ``update`` is
idempotent on event id: the window state remembers the ids it holds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, HttpUrl, model_validator

from schemas.alerts import Alert, Severity
from schemas.events import Actor, DateRange, DiplomaticEvent
from streams.core.dedup import actor_key


def _roots_as_strings(value: object) -> object:
    # YAML reads an unquoted 04 as the integer 4; CAMEO roots are two-digit strings.
    if isinstance(value, list):
        return [f"{v:02d}" if isinstance(v, int) and not isinstance(v, bool) else v for v in value]
    return value


RootList = Annotated[list[str], BeforeValidator(_roots_as_strings)]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WatchRule(_Strict):
    name: str = Field(min_length=1)
    kind: Literal["watch"] = "watch"
    severity: Severity = "medium"
    actors: list[str] = Field(min_length=1, description="CAMEO actor code prefixes, e.g. RUS, CHNGOV")
    involving: Literal["any", "both"] = "any"
    quad_classes: list[int] = Field(default_factory=list)
    cameo_roots: RootList = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> WatchRule:
        _check_quads(self.quad_classes)
        _check_roots(self.cameo_roots)
        return self


class DyadWindowRule(_Strict):
    name: str = Field(min_length=1)
    kind: Literal["dyad_window"] = "dyad_window"
    severity: Severity = "medium"
    metric: Literal["count", "goldstein"] = "count"
    quad_classes: list[int] = Field(default_factory=lambda: [3, 4])
    cameo_roots: RootList = Field(default_factory=list, description="if set, only these roots count")
    actors: list[str] = Field(default_factory=list, description="if set, one side must match a prefix")
    window_hours: float = Field(default=24, gt=0)
    threshold: float | None = Field(default=None, gt=0)
    multiplier: float | None = Field(default=None, gt=1)
    trailing_windows: int = Field(default=7, ge=1, le=365)
    min_value: float = Field(default=3, gt=0)

    @model_validator(mode="after")
    def _check(self) -> DyadWindowRule:
        if self.threshold is None and self.multiplier is None:
            raise ValueError(f"rule {self.name!r}: set threshold, multiplier or both")
        _check_quads(self.quad_classes)
        _check_roots(self.cameo_roots)
        return self

    @property
    def window(self) -> timedelta:
        return timedelta(hours=self.window_hours)

    @property
    def horizon(self) -> timedelta:
        return self.window * (self.trailing_windows + 1)


class Webhook(_Strict):
    url: HttpUrl
    timeout_s: float = Field(default=5.0, gt=0, le=60)
    retries: int = Field(default=3, ge=0, le=10)
    backoff_s: float = Field(default=0.5, ge=0, le=30)
    headers: dict[str, str] = Field(default_factory=dict)


Rule = Annotated[WatchRule | DyadWindowRule, Field(discriminator="kind")]


class RuleSet(_Strict):
    rules: list[Rule] = Field(default_factory=list)
    webhook: Webhook | None = None

    @model_validator(mode="after")
    def _unique(self) -> RuleSet:
        names = [r.name for r in self.rules]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"rule names must be unique: {', '.join(dupes)}")
        return self

    @property
    def watch_rules(self) -> list[WatchRule]:
        return [r for r in self.rules if isinstance(r, WatchRule)]

    @property
    def window_rules(self) -> list[DyadWindowRule]:
        return [r for r in self.rules if isinstance(r, DyadWindowRule)]


def _check_quads(quads: Sequence[int]) -> None:
    bad = [q for q in quads if q not in (1, 2, 3, 4)]
    if bad:
        raise ValueError(f"quad classes are 1-4, not {bad}")


def _check_roots(roots: Sequence[str]) -> None:
    bad = [r for r in roots if not (len(r) == 2 and r.isdigit() and 1 <= int(r) <= 20)]
    if bad:
        raise ValueError(f"CAMEO roots are two-digit strings 01-20 (quote them in YAML), not {bad}")


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def _matches_prefix(code: str | None, prefixes: Iterable[str]) -> str | None:
    if not code:
        return None
    code = code.upper()
    for prefix in prefixes:
        if code.startswith(prefix.upper()):
            return prefix
    return None


def _side_codes(event: DiplomaticEvent) -> tuple[str | None, str | None]:
    def code(actor: Actor | None) -> str | None:
        return None if actor is None else (actor.code or actor.country)

    return code(event.source), code(event.target)


def _classified(event: DiplomaticEvent, quads: Sequence[int], roots: Sequence[str]) -> bool:
    if not quads and not roots:
        return True
    return event.cameo.quad_class in quads or event.cameo.root in roots


# --- watch rules -----------------------------------------------------------


def watch_alert_id(rule_name: str, event: DiplomaticEvent) -> str:
    """Rule, article, dyad and CAMEO code: the same event coded again (a new coder version, hence a
    new event id) raises the same alert, which is then not raised twice (issue 18)."""
    source, target = _side_codes(event)
    return "alr-" + _digest(rule_name, event.article_id, source or "", target or "-", event.cameo.code)


def evaluate_watch(rules: Iterable[WatchRule], event: DiplomaticEvent, *, now: datetime) -> list[Alert]:
    """One alert per watch rule the event matches."""
    alerts = []
    source, target = _side_codes(event)
    for rule in rules:
        if not _classified(event, rule.quad_classes, rule.cameo_roots):
            continue
        hits = [_matches_prefix(source, rule.actors), _matches_prefix(target, rule.actors)]
        matched = [h for h in hits if h]
        if not matched or (rule.involving == "both" and len(matched) < 2):
            continue
        alerts.append(
            Alert(
                alert_id=watch_alert_id(rule.name, event),
                rule=rule.name,
                kind="watch",
                severity=rule.severity,
                source=source,
                target=target,
                actors=sorted(set(matched)),
                event_ids=[event.event_id],
                message=(
                    f"{rule.name}: {source or '?'} -> {target or '-'} {event.cameo.code} {event.cameo.name}"
                    f" (quad {event.cameo.quad_class})"
                ),
                created_at=now,
            )
        )
    return alerts


# --- dyad window rules -----------------------------------------------------


class WindowEntry(_Strict):
    event_id: str
    at: datetime
    value: float


class Fired(_Strict):
    """An alert a window rule raised, kept so that a re-coding can withdraw it (issue 18)."""

    at: datetime
    alert: dict  # the Alert as JSON


class RuleWindow(_Strict):
    entries: list[WindowEntry] = Field(default_factory=list, description="sorted by (at, event_id)")
    newest: datetime | None = None
    last_alert_at: datetime | None = None
    fired: list[Fired] = Field(default_factory=list, description="alerts raised within the horizon")


class DyadWindowState(_Strict):
    """What the alert agent keeps per unordered dyad in a Faust table (JSON via ``model_dump``)."""

    dyad: str
    rules: dict[str, RuleWindow] = Field(default_factory=dict)


def event_time(event: DiplomaticEvent) -> datetime | None:
    if event.published_at is not None:
        return event.published_at.astimezone(UTC)
    when = event.event_date
    if isinstance(when, DateRange):
        when = when.start
    if when is None:
        return None
    return datetime(when.year, when.month, when.day, tzinfo=UTC)


def dyad_key(event: DiplomaticEvent) -> str | None:
    """The unordered country dyad ``A|B`` a window rule counts under; None without a target."""
    if event.target is None:
        return None
    a, b = actor_key(event.source), actor_key(event.target)
    return f"{min(a, b)}|{max(a, b)}"


def _value(rule: DyadWindowRule, event: DiplomaticEvent) -> float | None:
    if not _classified(event, rule.quad_classes, rule.cameo_roots):
        return None
    if rule.actors:
        source, target = _side_codes(event)
        if not (_matches_prefix(source, rule.actors) or _matches_prefix(target, rule.actors)):
            return None
    if rule.metric == "count":
        return 1.0
    intensity = max(0.0, -event.cameo.goldstein)
    return intensity or None


def _sum(entries: Sequence[WindowEntry], start: datetime, end: datetime) -> float:
    """Sum of values with ``start < at <= end``."""
    return sum(e.value for e in entries if start < e.at <= end)


window_sum = _sum


def update(
    state: DyadWindowState | None,
    event: DiplomaticEvent,
    *,
    rules: Sequence[DyadWindowRule],
    now: datetime,
) -> tuple[DyadWindowState | None, list[Alert]]:
    """Apply one event to its dyad's window state; return the new state and any alerts.

    ``state`` None: the dyad's first event. Returns ``(state, [])`` unchanged for an
    event without a dyad or time, or one already applied.
    """
    key = dyad_key(event)
    at = event_time(event)
    if key is None or at is None:
        return state, []
    if state is None:
        state = DyadWindowState(dyad=key)
    elif state.dyad != key:
        raise ValueError(f"event {event.event_id} belongs to dyad {key}, not {state.dyad}")
    windows = dict(state.rules)
    alerts: list[Alert] = []
    for rule in rules:
        value = _value(rule, event)
        if value is None:
            continue
        window = windows.get(rule.name, RuleWindow())
        if any(e.event_id == event.event_id for e in window.entries):
            continue  # redelivered: already counted
        newest = max(window.newest, at) if window.newest else at
        if at <= newest - rule.horizon:
            continue  # too late to matter for any window we still evaluate
        entries = sorted(
            [e for e in window.entries if e.at > newest - rule.horizon]
            + [WindowEntry(event_id=event.event_id, at=at, value=value)],
            key=lambda e: (e.at, e.event_id),
        )
        fired = [f for f in window.fired if f.at > newest - rule.horizon]
        window = RuleWindow(entries=entries, newest=newest, last_alert_at=window.last_alert_at, fired=fired)
        alert = _check_window(rule, key, window, trigger=event.event_id, at=at, now=now)
        if alert is not None:
            alerts.append(alert)
            fired = [*fired, Fired(at=at, alert=alert.model_dump(mode="json"))]
            window = RuleWindow(entries=entries, newest=newest, last_alert_at=at, fired=fired)
        windows[rule.name] = window
    return DyadWindowState(dyad=key, rules=windows), alerts


def _check_window(
    rule: DyadWindowRule, dyad_name: str, window: RuleWindow, *, trigger: str, at: datetime, now: datetime
) -> Alert | None:
    """Evaluate the window ending at ``at`` (the event just applied)."""
    if window.last_alert_at is not None and abs(at - window.last_alert_at) < rule.window:
        return None
    start = at - rule.window
    observed = _sum(window.entries, start, at)
    trailing = [
        _sum(window.entries, at - rule.window * (i + 1), at - rule.window * i)
        for i in range(1, rule.trailing_windows + 1)
    ]
    mean = sum(trailing) / len(trailing)
    crossed: float | None = None
    if rule.threshold is not None and observed >= rule.threshold:
        crossed = rule.threshold
    elif rule.multiplier is not None and observed >= rule.min_value and observed >= rule.multiplier * mean:
        crossed = max(rule.multiplier * mean, rule.min_value)
    if crossed is None:
        return None
    in_window = [e.event_id for e in window.entries if start < e.at <= at]
    a, _, b = dyad_name.partition("|")
    label = "events" if rule.metric == "count" else "Goldstein intensity"
    return Alert(
        alert_id="alr-" + _digest(rule.name, dyad_name, trigger),
        rule=rule.name,
        kind="dyad_window",
        severity=rule.severity,
        source=a,
        target=b,
        window_start=start,
        window_end=at,
        observed=observed,
        threshold=crossed,
        trailing_mean=mean,
        event_ids=in_window,
        message=(
            f"{rule.name}: {a}-{b} {label} {observed:g} in {rule.window_hours:g}h"
            f" (threshold {crossed:g}, trailing mean {mean:.2f})"
        ),
        created_at=now,
    )
