"""A canonical block's state in the ``blocks`` table, kept in bounded parts.

A block (one ``canonical_block_days`` bucket of reports of one root family,
``streams.core.canonical``) keeps every report it holds, with its MinHash signature and
headline: about 3 KB each. A busy block passed faust's producer request limit
(``producer_max_request_size``, 1,000,000 bytes) at a few hundred reports: the table's
changelog write failed inside faust's ProducerBuffer, which crashes the whole worker; the
message that caused it was not committed, so a restarted worker took it again and crashed
again, and the group never caught up (seen in the crash, view-flood and re-coding tests once
the canonical stage was fed by the ledger; a real wire week of one family holds thousands).

Here a block whose JSON is over ``PART_BYTES`` is stored as a head under the block key
(``{"block": key, "parts": n}``) and ``n`` parts under ``<key>|part<i>/<n>``, each holding
the members whose id hashes (crc32) to ``i`` and the links whose pair of ids does (a report
of a dense story links to hundreds of others: by pair, no part collects them all). A change
rewrites only the parts it touched (a new report: its own part and those of its new links),
so the changelog no longer carries the whole block per report either. The parts
are written by the same agent, from the same message, as the head, so faust writes them to
the same changelog partition (co-partitioned, restored together). A small block is stored
as before, as one value: tables written by earlier versions read unchanged.

Readers go through :func:`load` (the agents, ``GET /stories/{id}``) or :func:`heads`
(``GET /stories``), never ``table[key]`` directly. A reader off the event loop (a view's scan
runs on a thread) reads a :func:`snapshot` taken on the loop: the agent rewrites a block's
parts one after another, and a thread reading the live table between two of those writes
assembled a new part with an old one, a link to a report its part did not hold yet (a 500
from ``GET /stories`` under a view flood).
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

# faust's producer refuses records over 1,000,000 bytes; a part stays well under it.
PART_BYTES = 256 * 1024
MAX_PARTS = 1024
MARK = "|part"


def size(obj: Any) -> int:
    return len(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"))


def is_part(key: Any) -> bool:
    """True for the key of a part (not a block)."""
    return isinstance(key, str) and MARK in key


def part_key(key: str, n: int, i: int) -> str:
    return f"{key}{MARK}{i}/{n}"


def _bucket(event_id: str, n: int) -> int:
    return zlib.crc32(event_id.encode("utf-8", "surrogatepass")) % n


@dataclass
class Stored:
    """A block as read from the table: its state JSON and what is stored for it now."""

    value: dict[str, Any] | None  # ``canonical.to_json`` form; None: no such block
    head: Any = None  # what the block key holds (the whole value, or a head)
    parts: dict[str, dict[str, Any]] = field(default_factory=dict)  # part key -> part, when split

    @property
    def count(self) -> int:
        return int(self.head["parts"]) if _is_head(self.head) else 0


def _is_head(value: Any) -> bool:
    return isinstance(value, dict) and "parts" in value and "members" not in value


def _empty() -> dict[str, Any]:
    return {"members": {}, "links": []}


def assemble(head: Any, parts: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The block state JSON from a head and its parts (a plain value is returned as it is)."""
    if not _is_head(head):
        return head if isinstance(head, dict) else None
    key, n = head["block"], int(head["parts"])
    members: dict[str, Any] = {}
    links: list[Any] = []
    for i in range(n):
        part = parts.get(part_key(key, n, i))
        if part is None:
            log.warning("block %s: part %d of %d missing; read as empty", key, i, n)
            continue
        members.update(part["members"])
        links.extend(part["links"])
    return {"block": key, "members": dict(sorted(members.items())), "links": sorted(links)}


def load(table: Any, key: str) -> Stored:
    head = table.get(key)
    if not _is_head(head):
        return Stored(value=head, head=head)
    n = int(head["parts"])
    parts = {}
    for i in range(n):
        name = part_key(key, n, i)
        part = table.get(name)
        if part is not None:
            parts[name] = part
    return Stored(value=assemble(head, parts), head=head, parts=parts)


def split(
    value: dict[str, Any], *, part_bytes: int | None = None, previous: int = 0
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """``(what the block key holds, parts)`` for a block state JSON.

    One plain value while the block is small; ``previous`` (the part count stored now) is
    kept while every part still fits, so a block near a boundary does not rewrite all its
    parts on each change, and a split block goes back to one value only at half the bound.
    """
    part_bytes = part_bytes or PART_BYTES
    total = size(value)
    if total <= part_bytes and (previous == 0 or total <= part_bytes // 2):
        return value, {}
    key = value["block"]

    def spread(n: int) -> list[dict[str, Any]]:
        parts = [_empty() for _ in range(n)]
        for event_id, member in value["members"].items():
            parts[_bucket(event_id, n)]["members"][event_id] = member
        for link in value["links"]:
            parts[_bucket(f"{link[0]} {link[1]}", n)]["links"].append(link)
        return parts

    def fits(parts: list[dict[str, Any]]) -> bool:
        return all(size(part) <= part_bytes for part in parts)

    fresh = 2
    while fresh * part_bytes < 2 * total:  # about half full: room to grow before the count changes
        fresh *= 2
    if 1 < previous <= 2 * fresh and fits(parts := spread(previous)):
        count = previous
    else:
        count, parts = fresh, spread(fresh)
        while not fits(parts) and count < MAX_PARTS:
            count *= 2
            parts = spread(count)
    head = {"block": key, "parts": count}
    return head, {part_key(key, count, i): part for i, part in enumerate(parts)}


def save(
    table: Any, key: str, value: dict[str, Any], stored: Stored, *, part_bytes: int | None = None
) -> int:
    """Write ``value`` as the block's new state, touching only what changed; the number of writes.

    Parts go first and the head last, so a head never names parts not yet written; a layout
    change writes every part (empty ones too), and stale parts are deleted after the head.
    """
    head, parts = split(value, part_bytes=part_bytes, previous=stored.count)
    writes = 0
    same_layout = _is_head(head) and head == stored.head
    for name, part in parts.items():
        if not same_layout or stored.parts.get(name) != part:
            table[name] = part
            writes += 1
    if head != stored.head:
        table[key] = head
        writes += 1
    for name in stored.parts:
        if name not in parts:
            del table[name]
            writes += 1
    return writes


def delete(table: Any, key: str, stored: Stored) -> None:
    """Remove the block and its parts."""
    del table[key]
    for name in stored.parts:
        del table[name]


def snapshot(table: Any) -> dict[Any, Any]:
    """Every key of ``table`` with the value it holds now, for reading off the event loop.

    Take it on the loop: an agent's :func:`save` runs without an await between its writes, so
    the copy holds each block as one save left it. Values are replaced on a write, never
    changed in place, so copying the references is enough (O(keys), no value is copied).
    """
    return {key: table.get(key) for key in list(table.keys())}


def heads(table: Any) -> Iterator[dict[str, Any]]:
    """Every block state JSON in ``table`` (parts assembled; part keys are not blocks)."""
    for key in list(table.keys()):
        if is_part(key):
            continue
        value = table.get(key)
        if _is_head(value):
            value = load(table, key).value
        if value:
            yield value
