"""Every use of faust-streaming and aiokafka internals, in one place, checked against their versions.

wirewatch works around upstream bugs and reads state faust keeps no public accessor for. Each
such use lives here, and nowhere else, with what upstream does wrong, the upstream issue, and
the versions it was written for (``WORKAROUNDS``). ``install`` applies the patches once, from
``create_app``, after :func:`check_versions` has refused an untested faust-streaming or
aiokafka (one line; ``WIREWATCH_APP__ALLOW_UNTESTED_VERSIONS=1`` starts anyway, at the
operator's risk). ``tests/agents/test_faust_patches.py`` holds one tripwire per workaround: it
fails when upstream fixes the bug (the patch may then go) or moves the internal (the patch
must follow it). Upgrading faust-streaming or aiokafka: bump the pins in ``pyproject.toml``,
run the tripwires, then add the version to ``TESTED_VERSIONS``.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from streams.errors import ConfigError

if TYPE_CHECKING:  # faust itself is not needed to read the state below (the lag report imports this)
    import faust

# The versions every workaround below was written for and its tripwire passes on.
TESTED_VERSIONS: Mapping[str, tuple[str, ...]] = {
    "faust-streaming": ("0.15.3",),
    "aiokafka": ("0.14.0",),
}
WRITTEN_FOR = "faust-streaming 0.15.3, aiokafka 0.14.0"


@dataclass(frozen=True)
class Workaround:
    """One use of an upstream internal: why, where upstream tracks it, what it was written for."""

    name: str
    internals: tuple[str, ...]
    wrong: str
    upstream: str
    written_for: str = WRITTEN_FOR


WORKAROUNDS: tuple[Workaround, ...] = (
    Workaround(
        "drain_producer_buffer_before_commit",
        (
            "faust.transport.producer.ProducerBuffer.flush",
            "ProducerBuffer._send_pending",
            "ProducerBuffer.flush_atmost",
            "ProducerBuffer.size",
        ),
        "the flush before a commit gives up as soon as one send takes longer than 0.1 s, so the "
        "commit goes ahead with table changelog writes still buffered; a crash then loses them",
        "no upstream issue found; the flush-before-commit it completes is faust-streaming/faust#273",
    ),
    Workaround(
        "cap_commits",
        ("faust.transport.consumer.Consumer._new_offset", "faust.App._new_consumer"),
        "commits past records that were fetched but never reached the agent: a one-record hole at "
        "the head of the acknowledged offsets, and read gaps, count as acknowledged",
        "faust-streaming/faust#606 (open), #312, #378",
    ),
    Workaround(
        "committed_offset",
        ("faust.transport.consumer.Consumer._committed_offset",),
        "faust keeps no public accessor for the offset it last committed per partition",
        "none (no accessor requested upstream)",
    ),
    Workaround(
        "chop_read_gap",
        ("faust.transport.consumer.Consumer._gap",),
        "offsets faust recorded as a read gap (meant for compaction) count as acknowledged, so "
        "records it fetched but never delivered would be committed past on the next commit",
        "faust-streaming/faust#216, #221, #596, #606",
    ),
    Workaround(
        "rewind_to_committed",
        ("faust.transport.consumer.Consumer.perform_seek",),
        "after an offset reset or a rebalance the agent sometimes receives nothing more although "
        "its committed offsets are behind the end of its topics (not diagnosed upstream); seeking "
        "every partition to its committed offset brings the records again",
        "faust-streaming/faust#216, #221, #596",
    ),
    Workaround(
        "leaderless_batches",
        (
            "aiokafka.AIOKafkaProducer._message_accumulator",
            "MessageAccumulator._batches",
            "faust.transport.drivers.aiokafka.Producer._producer",
        ),
        "diagnostics only: a producer once held records for partitions with no known leader for "
        "minutes and every commit waited on them (docs/streaming.md, Known problems)",
        "not diagnosed; no upstream issue found",
    ),
    Workaround(
        "kafka_client",
        ("faust.transport.drivers.aiokafka.Producer._producer", "aiokafka.AIOKafkaProducer.client"),
        "faust has no public way to ask the broker anything, so /healthz reaches the aiokafka "
        "client under faust's producer for a metadata round trip (issue 12)",
        "none (no accessor requested upstream)",
    ),
    Workaround(
        "ensure_partitions_known",
        ("faust.transport.drivers.aiokafka.Producer._ensure_producer",),
        "faust's router hashes a table key with the producer's partitioner, which fails with a "
        "TypeError when the producer's metadata lacks the changelog topic (one it has not written to)",
        "robinhood/faust#499 (fixed for topics faust created on that boot only), faust-streaming/faust#514",
    ),
    Workaround(
        "drop_blueprint",
        ("faust.web.base.BlueprintManager._enabled",),
        "the index at / has no setting of its own: it is mounted whenever statistics are off, "
        "and takes / from the live page",
        "none",
    ),
)


class UntestedVersionError(ConfigError):
    """faust-streaming or aiokafka is at a version the workarounds were not tested on."""

    code = "WW110"


def installed_versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name in TESTED_VERSIONS:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = None
    return found


def untested(versions: Mapping[str, str | None]) -> list[str]:
    """``name version`` for each package not at a tested version (empty: all tested)."""
    return [
        f"{name} {versions.get(name) or 'not installed'}"
        for name, tested in TESTED_VERSIONS.items()
        if versions.get(name) not in tested
    ]


def check_versions(*, allow_untested: bool, versions: Mapping[str, str | None] | None = None) -> None:
    """Refuse, in one line, faust-streaming or aiokafka versions the workarounds were not tested on."""
    bad = untested(installed_versions() if versions is None else versions)
    if bad and not allow_untested:
        tested = ", ".join(f"{name} {' or '.join(v)}" for name, v in TESTED_VERSIONS.items())
        raise UntestedVersionError(
            f"{' and '.join(bad)}: the faust workarounds (streams/adapters/faust_patches.py) are tested "
            f"with {tested} only; install those, or set WIREWATCH_APP__ALLOW_UNTESTED_VERSIONS=1 to "
            "start anyway"
        )


CommitCap = Callable[[Any, "int | None"], "int | None"]


def install(app: faust.App, *, commit_cap: CommitCap, allow_untested: bool = False) -> None:
    """Apply every patch to a new, unstarted app, once (after :func:`check_versions`)."""
    check_versions(allow_untested=allow_untested)
    if getattr(app, "_wirewatch_patched", False):
        return
    drain_producer_buffer_before_commit(app)
    cap_commits(app, commit_cap)
    app._wirewatch_patched = True  # type: ignore[attr-defined]


# --- the producer buffer -------------------------------------------------------------------------


def drain_producer_buffer_before_commit(app: faust.App) -> None:
    """Make the commit's producer flush wait for *every* buffered table write.

    faust writes table changes to their changelog through a buffer (``send_soon``) and
    flushes it before committing the source offsets, so a crash never commits an update
    whose changelog record is lost. But ``ProducerBuffer.flush`` gives up as soon as one send
    takes longer than 0.1 s (``flush_atmost``'s timeout), which happens on a busy event loop;
    the commit then went ahead with writes still buffered, and a SIGKILL right after lost
    them: table counts short after a restart (seen in the crash test). Here the flush waits
    until the buffer is empty *and* the message its sender took last has been handed to the
    Kafka producer, whose own flush follows.
    """
    buffer = app.producer.buffer
    flush_atmost = buffer.flush_atmost
    send_pending = buffer._send_pending  # type: ignore[attr-defined]
    in_flight = 0

    async def counted_send(fut: Any) -> None:
        nonlocal in_flight
        in_flight += 1
        try:
            await send_pending(fut)
        finally:
            in_flight -= 1

    async def flush() -> None:
        while buffer.size or in_flight:
            if buffer.size:
                await flush_atmost(None)  # type: ignore[arg-type]  # ProducerBufferT says int; None: no cap
            else:
                await asyncio.sleep(0.001)

    # The sender task looks ``_send_pending`` up when it starts, after this (the app is unstarted).
    buffer._send_pending = counted_send  # type: ignore[attr-defined]
    buffer.flush = flush  # type: ignore[method-assign]


# --- the consumer's offsets ----------------------------------------------------------------------


def cap_commits(app: faust.App, cap: CommitCap) -> None:
    """Pass every offset faust is about to commit through ``cap(tp, offset)`` first.

    Applied when faust creates the app's consumer (or now, if it exists): creating it here
    would start a consumer thread's event loop for an app that may never run.
    """
    if app._consumer is not None:
        _cap_consumer(app.consumer, cap)
        return
    new_consumer = app._new_consumer

    def patched_new_consumer() -> Any:
        consumer = new_consumer()
        _cap_consumer(consumer, cap)
        return consumer

    app._new_consumer = patched_new_consumer  # type: ignore[method-assign]


def _cap_consumer(consumer: Any, cap: CommitCap) -> None:
    compute = consumer._new_offset

    def new_offset(tp: Any) -> int | None:
        return cap(tp, compute(tp))

    consumer._new_offset = new_offset


def committed_offset(consumer: Any, tp: Any) -> int | None:
    """The offset faust last committed for ``tp`` (None: nothing yet)."""
    committed: int | None = getattr(consumer, "_committed_offset", {}).get(tp)
    return committed


def chop_read_gap(consumer: Any, tp: Any, start: int, end: int) -> None:
    """Take ``start..end-1`` out of faust's read gaps of ``tp``, which faust counts as acknowledged."""
    gaps = getattr(consumer, "_gap", {}).get(tp)
    if gaps:
        gaps.chop(start, end)


async def rewind_to_committed(consumer: Any) -> None:
    """Seek every assigned partition back to its committed offset."""
    await consumer.perform_seek()


# --- the producer's metadata ---------------------------------------------------------------------


def leaderless_batches(app: faust.App) -> tuple[list[str], int, dict[str, list[int]]]:
    """Partitions the Kafka producer holds records for with no known leader: names
    (``topic[partition]``), how many brokers it knows, and the partitions it knows of those topics.
    """
    inner = app.producer._producer  # type: ignore[attr-defined]
    waiting = inner._message_accumulator._batches
    cluster = inner.client.cluster
    stuck = sorted(
        f"{tp.topic}[{tp.partition}]"
        for tp, batches in list(waiting.items())
        if batches and cluster.leader_for_partition(tp) in (None, -1)
    )
    topics = {name.rsplit("[", 1)[0] for name in stuck}
    known = {topic: sorted(cluster.partitions_for_topic(topic) or ()) for topic in topics}
    return stuck, len(cluster.brokers()), known


class NotChecked(RuntimeError):
    """An internal was asked of an app ``install`` has not version-checked and patched."""


def kafka_client(app: faust.App) -> Any:
    """The aiokafka client (``AIOKafkaClient``) under faust's producer; None until the producer starts.

    Only for an app ``install`` has version-checked: the internal it reads moves between
    faust versions, and an unchecked app raises ``NotChecked`` rather than guessing.
    """
    if not getattr(app, "_wirewatch_patched", False):
        raise NotChecked("faust_patches.install has not checked this app's faust and aiokafka versions")
    inner = app.producer._producer  # type: ignore[attr-defined]  # faust's aiokafka driver
    return None if inner is None else inner.client


async def ensure_partitions_known(app: faust.App, topic: str) -> None:
    """Make the producer's metadata hold ``topic``'s partitions, so faust's router can hash a key."""
    producer = app.producer._ensure_producer()  # type: ignore[attr-defined]  # the AIOKafkaProducer
    await producer.partitions_for(topic)


# --- the web server ------------------------------------------------------------------------------


def drop_blueprint(app: faust.App, blueprint: str) -> None:
    """Unmount one of faust's own blueprints (``module:attribute``) before the web server starts."""
    blueprints = app.web.blueprints
    blueprints._enabled = [(prefix, bp) for prefix, bp in blueprints._enabled if bp != blueprint]
