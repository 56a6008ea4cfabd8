"""The process agent's work on one batch: every input ends as its outputs or as a dead letter.

Nothing an article does may take a neighbour with it or stop the agent (issue 12):

- the size cap is checked on the raw bytes before anything is decoded;
- decoding and validation never raise (``codecs.decode_raw_article``), deep nesting included;
- the coder runs on its own thread; a failed batch is coded again article by article,
  so only the article that fails becomes a dead letter (``DL003``), whatever it raised
  (``RecursionError``, ``MemoryError`` …), and one that hangs is abandoned after a timeout;
- before anything of an article is sent, every record it would write is encoded and
  measured: an article coded into more than ``ledger_parts.MAX_EVENTS`` events is
  ``DL005``, one whose clean article or event would be larger than the producer takes is
  ``DL006``, so a send can no longer fail half-way through an article; the ledger record
  goes in bounded parts (``ledger_parts``);
- a dead letter always fits (``codecs.dead_letter`` keeps a bounded prefix, the length and
  the sha256 of a large original), and its key is bounded too.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from faust.types import EventT

from schemas import RawArticle
from streams.adapters import codecs, isolation, ledger_parts, retention, tallies
from streams.core.batching import word_batches, words
from streams.errors import DL_EMIT, DL_PROCESSING, DL_TOO_MANY_EVENTS

log = logging.getLogger(__name__)

# The producer's default max.request.size is 1,048,576 bytes: a record (key, value and headers)
# stays well below it, so batching overhead never pushes it past.
MAX_RECORD_BYTES = 900_000
MAX_KEY_BYTES = 16 * 1024


class Unsendable(Exception):
    """An article's outputs cannot all be written: a stable dead-letter code says why."""

    def __init__(self, code: str, stage: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.stage = stage


async def process_batch(
    w: Any, batch: Sequence[EventT], *, max_bytes: int, code: Callable[..., Any]
) -> dict[str, int]:
    """Decode, code and emit one batch; ``code(w, good)`` returns an outcome or exception per article."""
    good: list[tuple[RawArticle, EventT]] = []
    dead = 0
    for event in batch:
        decoded = codecs.decode_raw_article(event.value, max_bytes=max_bytes)
        if isinstance(decoded, codecs.Rejected):
            await send_dead(w, event, stage=decoded.stage, code=decoded.code, message=decoded.message)
            dead += 1
        else:
            good.append((decoded, event))
    events_out = articles = 0
    # word-sized runs (issue 11): each is coded and sent before the next, so a long story
    # does not hold the short ones of its take (streams.core.batching)
    runs = word_batches(good, lambda item: words(item[0].title, item[0].body), w.settings.nlp.batch_words)
    for run in runs:
        sent = await emit_run(w, run, await code(w, run))
        events_out, articles, dead = events_out + sent[0], articles + sent[1], dead + sent[2]
    if any(len(event.value or b"") > LARGE_RECORD_BYTES for event in batch):
        loop = asyncio.get_running_loop()  # once the batch (and faust's references) are gone
        for delay in (5.0, 30.0):
            loop.call_later(delay, release_memory)
    return {"articles": articles, "events": events_out, "dead_letters": dead, "runs": len(runs)}


async def emit_run(w: Any, run: list[tuple[RawArticle, EventT]], outcomes: list[Any]) -> tuple[int, int, int]:
    """Send each coded article of a run, or its dead letter: (events, articles, dead letters)."""
    events_out = articles = dead = 0
    for (raw, event), outcome in zip(run, outcomes, strict=True):
        if isinstance(outcome, BaseException):
            stage = getattr(outcome, "stage", "process")
            await send_dead(
                w, event, stage=str(stage), code=DL_PROCESSING, message=f"{type(outcome).__name__}: {outcome}"
            )
            dead += 1
            continue
        try:
            planned = plan(
                raw,
                outcome,
                coder=w.coder,
                extra_cells=getattr(w, "extra_cells", ()),
                with_payloads=bool(getattr(w, "sinks", None)),
            )
        except Unsendable as exc:
            await send_dead(w, event, stage=exc.stage, code=exc.code, message=str(exc))
            dead += 1
            continue
        except Exception as exc:  # noqa: BLE001 - encoding a coded article must not stop the agent
            await send_dead(w, event, stage="emit", code=DL_EMIT, message=f"{type(exc).__name__}: {exc}")
            dead += 1
            continue
        if w.metrics is not None:
            w.metrics.coded(getattr(outcome, "timings", None) or {})
        await send_planned(w, planned)
        events_out += len(outcome.events)
        articles += 1
    return events_out, articles, dead


# After a batch held a record this large, the memory it took is given back to the system.
LARGE_RECORD_BYTES = 8 * 1024 * 1024


def release_memory() -> None:
    """Collect, then ask glibc to return freed heap pages (a 52 MB record left the worker at 1 GiB)."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


def plan(
    raw: RawArticle, outcome: Any, *, coder: Any = None, extra_cells: Any = (), with_payloads: bool = False
) -> list[tuple[str, Any, Any]]:
    """Every record one coded article writes, as ``(topic role, key, value)``, all checked for size."""
    events = list(outcome.events)
    if len(events) > ledger_parts.MAX_EVENTS:
        raise Unsendable(
            DL_TOO_MANY_EVENTS,
            "emit",
            f"coded into {len(events)} events; one article may hold at most {ledger_parts.MAX_EVENTS}",
        )
    article_id = raw.id.encode("utf-8", "surrogatepass")
    records: list[tuple[str, Any, Any]] = [("clean", article_id, codecs.encode(outcome.clean))]
    records += [("events", event.event_id.encode("utf-8"), codecs.encode(event)) for event in events]
    for role, key, value in records:
        if len(key) + len(value) > MAX_RECORD_BYTES:
            raise Unsendable(
                DL_EMIT,
                "emit",
                f"its {role} record would be {len(key) + len(value)} bytes; "
                f"the broker takes at most {MAX_RECORD_BYTES}",
            )
    # Sent for every coded article, even with no events: a re-coding that finds none retracts the old ones.
    cells = tallies.article_cells(events, extra_cells)
    # the events as JSON for the stories and alerts the ledger feeds (issue 18), split with the cells
    payloads = {e.event_id: e.model_dump(mode="json") for e in events} if with_payloads else None
    identity = {
        "coder_version": getattr(coder, "version", None),  # issue 18's event sets
        "coder_fingerprint": getattr(coder, "fingerprint", None),
        "source": raw.source,  # an article is its outlet and id
        # when the article happened, for the ledger's retention window (issue 12)
        retention.AT: retention.iso(
            retention.article_time(
                raw.published_at, (tallies.event_day(e) for e in events), coded_at=datetime.now(UTC)
            )
        ),
    }
    for message in ledger_parts.split(raw.id, cells, payloads=payloads, **identity):
        if ledger_parts.size(message) > MAX_RECORD_BYTES:  # one event larger than a part: cannot split
            raise Unsendable(DL_EMIT, "emit", f"an event's table cells exceed {MAX_RECORD_BYTES} bytes")
        records.append(("ledger", raw.id, message))
    return records


async def send_planned(w: Any, records: list[tuple[str, Any, Any]]) -> None:
    topics = {"clean": w.clean, "events": w.events, "ledger": w.ledger_topic}
    for role, key, value in records:
        await topics[role].send(key=key, value=value)


def bounded_key(key: bytes | None) -> bytes | None:
    """A dead letter's key: the input's, or its sha256 when it is too large to send again."""
    if key is None or len(key) <= MAX_KEY_BYTES:
        return key
    return b"sha256:" + hashlib.sha256(key).hexdigest().encode("ascii")


async def send_dead(w: Any, event: EventT, *, stage: str, code: str, message: str) -> None:
    msg = event.message
    key = msg.key if isinstance(msg.key, bytes | type(None)) else str(msg.key).encode("utf-8")
    origin = codecs.Origin(topic=msg.topic, partition=msg.partition, offset=msg.offset, key=key)
    letter = codecs.dead_letter(event.value, origin, stage=stage, code=code, message=message)
    size = len(event.value or b"")
    log.warning(
        "dead letter %s (%s) for %s[%s]@%s (%d bytes): %s",
        code,
        stage,
        msg.topic,
        msg.partition,
        msg.offset,
        size,
        message[:300],
    )
    if w.metrics is not None:
        w.metrics.dead_letter(code, stage)
    await w.deadletter.send(key=bounded_key(key), value=codecs.encode(letter))


async def code_isolated(
    w: Any, good: list[tuple[RawArticle, EventT]], *, in_thread: Callable[..., Any]
) -> list[Any]:
    """Outcomes in input order by the one isolation policy (``isolation``): the batch at once, and
    when it fails, article by article; an article that fails is its exception."""

    def whole(raws: Sequence[RawArticle]) -> Any:
        return in_thread(w, w.coder.process_batch, raws, timeout_s=2 * w.coder_timeout_s)

    def one(raw: RawArticle) -> Any:
        return in_thread(w, w.coder.process, raw, timeout_s=w.coder_timeout_s)

    return await isolation.run_async([raw for raw, _ in good], whole, one, on_failure=_log_failure)


def _log_failure(step: isolation.Step, exc: BaseException) -> None:
    if isinstance(step, isolation.Whole):
        log.warning(
            "batch of %d failed (%s: %s); coding one by one to isolate the failure",
            len(step.raws),
            type(exc).__name__,
            str(exc)[:200],
        )
    else:
        log.warning("article %r failed: %s: %s", step.raw.id[:200], type(exc).__name__, str(exc)[:200])
