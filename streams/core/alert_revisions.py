"""Alerts that follow a re-coding (issue 18): raised once per logical event, withdrawn when they stop holding.

Pure, like :mod:`streams.core.alerts`, whose rules it evaluates. The worker feeds these
functions one article's coding at a time (from its ledger, ``streams.adapters.alert_feed``):

- **watch alerts**, per article: the alerts its current events raise, compared with the
  ones already raised for it. A watch alert's id names rule, article, dyad and CAMEO code,
  not the event id (which includes the coder version), so a re-coding that finds the same
  event raises nothing new; an alert no current event supports any more is withdrawn.
- **window alerts**, per dyad: one article's retracted events leave the window state
  *before* its new events enter it, so a re-coding never counts an event twice; a fired
  alert whose window no longer reaches the value it crossed is withdrawn.

A withdrawal is an :class:`~schemas.alerts.Alert` of the same rule and kind with
``withdraws`` set to the id of the alert that no longer holds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from schemas.alerts import Alert
from schemas.events import DiplomaticEvent
from streams.core.alerts import (
    DyadWindowRule,
    DyadWindowState,
    Fired,
    RuleWindow,
    WatchRule,
    evaluate_watch,
    update,
    window_sum,
)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def withdrawal(alert: Alert, *, now: datetime, reason: str, observed: float | None = None) -> Alert:
    """The cancellation of ``alert``: same rule, kind and dyad, ``withdraws`` = its id."""
    return Alert(
        alert_id="alr-" + _digest("withdrawn", alert.alert_id),
        rule=alert.rule,
        kind=alert.kind,
        severity=alert.severity,
        source=alert.source,
        target=alert.target,
        actors=alert.actors,
        window_start=alert.window_start,
        window_end=alert.window_end,
        observed=observed if observed is not None else alert.observed,
        threshold=alert.threshold,
        trailing_mean=alert.trailing_mean,
        event_ids=alert.event_ids,
        message=f"withdrawn ({reason}): {alert.message}",
        created_at=now,
        withdraws=alert.alert_id,
    )


# --- watch alerts, per article ---------------------------------------------------------------------


def revise_watch(
    state: dict[str, Any] | None,
    events: Iterable[DiplomaticEvent],
    *,
    rules: Sequence[WatchRule],
    now: datetime,
) -> tuple[dict[str, Any], list[Alert], list[Alert]]:
    """One article's current ``events`` against the watch alerts already raised for it.

    Returns the new state (``{"alerts": {alert id: alert JSON}, "support": {alert id: [event ids]}}``),
    the alerts to raise and the withdrawals to send. The same events again change nothing.
    """
    before: dict[str, Any] = dict((state or {}).get("alerts", {}))
    current: dict[str, Alert] = {}
    support: dict[str, list[str]] = {}
    for event in sorted(events, key=lambda e: e.event_id):
        for alert in evaluate_watch(rules, event, now=now):
            current.setdefault(alert.alert_id, alert)
            support.setdefault(alert.alert_id, []).append(event.event_id)
    raised = [alert for alert_id, alert in current.items() if alert_id not in before]
    withdrawn = [
        withdrawal(
            Alert.model_validate(before[alert_id]), now=now, reason="its event was retracted by a re-coding"
        )
        for alert_id in sorted(before)
        if alert_id not in current
    ]
    alerts = {
        alert_id: before.get(alert_id) or alert.model_dump(mode="json") for alert_id, alert in current.items()
    }
    state = {"alerts": dict(sorted(alerts.items())), "support": dict(sorted(support.items()))}
    return state, raised, withdrawn


# --- window alerts, per dyad -----------------------------------------------------------------------


def _fired_alert(fired: Fired) -> Alert:
    return Alert.model_validate(fired.alert)


def retract_window(
    state: DyadWindowState | None, event_ids: Iterable[str], *, now: datetime
) -> tuple[DyadWindowState | None, list[Alert]]:
    """Take ``event_ids`` out of a dyad's windows; withdraw fired alerts that no longer hold."""
    gone = set(event_ids)
    if state is None or not gone:
        return state, []
    windows: dict[str, RuleWindow] = {}
    withdrawn: list[Alert] = []
    for name, window in state.rules.items():
        entries = [e for e in window.entries if e.event_id not in gone]
        kept: list[Fired] = []
        for fired in window.fired:
            alert = _fired_alert(fired)
            if gone.isdisjoint(alert.event_ids) or alert.window_start is None or alert.window_end is None:
                kept.append(fired)
                continue
            observed = window_sum(entries, alert.window_start, alert.window_end)
            if alert.threshold is not None and observed >= alert.threshold:
                kept.append(fired)
            else:
                withdrawn.append(
                    withdrawal(
                        alert,
                        now=now,
                        observed=observed,
                        reason=f"a re-coding left {observed:g} in its window",
                    )
                )
        if len(kept) == len(window.fired) and len(entries) == len(window.entries):
            windows[name] = window
            continue
        last = max((f.at for f in kept), default=None)
        windows[name] = RuleWindow(entries=entries, newest=window.newest, last_alert_at=last, fired=kept)
    return DyadWindowState(dyad=state.dyad, rules=windows), withdrawn


def revise_window(
    state: DyadWindowState | None,
    *,
    upserts: Sequence[DiplomaticEvent],
    retracts: Iterable[str],
    rules: Sequence[DyadWindowRule],
    now: datetime,
) -> tuple[DyadWindowState | None, list[Alert], list[Alert]]:
    """One article's coding for one dyad: its retracted events out first, then its current ones in.

    Returns the new state, the alerts raised and the withdrawals. Retracting first is what keeps a
    re-coding from counting the article's events twice (once per coder version).
    """
    state, withdrawn = retract_window(state, set(retracts) - {e.event_id for e in upserts}, now=now)
    raised: list[Alert] = []
    for event in sorted(upserts, key=lambda e: e.event_id):
        state, fired = update(state, event, rules=rules, now=now)
        raised.extend(fired)
    return state, raised, withdrawn
