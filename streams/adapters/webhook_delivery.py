"""Webhook delivery from the alerts topic: concurrent, bounded in time, resumed after a restart (issue 12).

Alerts were handed to the webhook through an in-memory queue, one at a time: against a
target that hangs each took ~43.5 s, and the queue was lost on a restart. Now an agent
reads the alerts topic itself (``wirewatch.alerts.webhook``, ``CONCURRENCY`` deliveries at
once). Its offsets are committed only once an alert is delivered or given up on, so a
worker that stops or crashes resumes where it was: delivery is at least once, and every
POST carries ``Idempotency-Key: <alert id>`` (an alert's id is a hash of rule, dyad and
triggering event), so a receiver can drop the repeats. Each attempt is bounded by the
webhook's ``timeout_s`` and an alert by its ``retries`` (``WebhookSender.deliver``).

While it retries, the alert holds faust's commit and its partitions: faust waits for every
message in flight before it stops or lets partitions go in a rebalance, so a worker retrying
against a dead receiver did not stop on SIGTERM (the whole retry budget: minutes). Now a
delivery between attempts when the worker stops or rebalances is *deferred*: the alert is sent
again to the end of the alerts topic (same key and id) and this record is let go, so the worker
stops at once and whoever holds the partition next delivers the copy. The alerts topic may
therefore hold an alert twice; its id (and the Idempotency-Key) is the same.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from pydantic import ValidationError

from schemas import Alert

log = logging.getLogger(__name__)

CONCURRENCY = 16


def decode(value: Any) -> Alert | None:
    try:
        if isinstance(value, Alert):
            return value
        return (
            Alert.model_validate_json(value)
            if isinstance(value, bytes | str)
            else Alert.model_validate(value)
        )
    except ValidationError as exc:
        log.warning("not an Alert on the alerts topic, not delivered: %s", str(exc).splitlines()[0])
        return None


def stopping(app: Any) -> bool:
    """The worker is stopping, or rebalancing (faust suspended the flow and waits for the agents)."""
    flow = getattr(app, "flow_control", None)
    return bool(getattr(app, "should_stop", False)) or (flow is not None and not flow.is_active())


def attach(app: Any, sender: Any, alerts_topic: Any, *, concurrency: int = CONCURRENCY) -> Any:
    """The delivery agent on ``alerts_topic``; ``sender`` is the ``alerting.WebhookSender``."""
    sessions: list[aiohttp.ClientSession] = []

    @app.agent(alerts_topic, name="wirewatch.alerts.webhook", concurrency=concurrency)
    async def deliver(stream: Any) -> Any:
        async with aiohttp.ClientSession() as session:
            sessions.append(session)
            async for value in stream:
                alert = decode(value)
                if alert is None:
                    yield False
                    continue
                try:
                    ok = await sender.deliver(session, alert, stopping=lambda: stopping(app))
                except Exception:  # noqa: BLE001 - a webhook bug must not stop the delivery agent
                    sender.failed += 1
                    log.exception("webhook delivery of %s failed", alert.alert_id)
                    ok = False
                if ok is None:  # deferred: queued again at the end of the topic, then this one is let go
                    await alerts_topic.send(key=alert.alert_id.encode("utf-8"), value=value)
                yield ok

    return deliver
