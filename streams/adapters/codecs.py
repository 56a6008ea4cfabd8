"""Bytes on the wire ↔ wirewatch records, and dead letters for what does not decode.

Faust decodes a topic's values before our code runs and acks a message even when
the agent raises, so the input topic carries raw bytes and the decoding happens
here, where a bad payload can become a ``DeadLetter`` instead of a lost message.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import BaseModel, TypeAdapter, ValidationError

from schemas import DeadLetter, RawArticle
from streams.adapters import raw_accept
from streams.errors import DL_INVALID, DL_OVERSIZED, DL_UNDECODABLE

# Built once: a TypeAdapter compiles its validator on construction.
_RAW_ADAPTER: TypeAdapter[RawArticle] = TypeAdapter(RawArticle)

# A dead letter repeats the pydantic errors; this keeps one message readable.
_MAX_MESSAGE_CHARS = 2000
# A dead letter keeps the original bytes up to this many (base64: 4/3 as many); beyond it their
# first KEEP_ORIGINAL_BYTES, their length and sha256, so it always fits the producer's request
# size (1 MB by default) whatever the input was. The whole input stays at topic/partition/offset.
KEEP_ORIGINAL_BYTES = 256 * 1024
KEEP_KEY_BYTES = 16 * 1024


@dataclass(frozen=True)
class Origin:
    """Where a message came from, for the dead letter that may describe it."""

    topic: str
    partition: int | None = None
    offset: int | None = None
    key: bytes | None = None


@dataclass(frozen=True)
class Rejected:
    """Why a message could not become a record: stage, stable code, a readable message."""

    stage: str
    code: str
    message: str


def encode(record: BaseModel) -> bytes:
    """The JSON bytes of a record, as every wirewatch topic carries them."""
    return record.model_dump_json().encode("utf-8")


def decode_raw_article(value: bytes | str | None, *, max_bytes: int | None = None) -> RawArticle | Rejected:
    """Decode one input message; never raises on bad input, returns ``Rejected`` instead."""
    if value is None:
        return Rejected("decode", DL_UNDECODABLE, "empty message (no value)")
    data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    if max_bytes is not None and len(data) > max_bytes:
        return Rejected(
            "decode", DL_OVERSIZED, f"message of {len(data)} bytes exceeds the cap of {max_bytes}"
        )
    try:
        text = raw_accept.strip_bom(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        return Rejected("decode", DL_UNDECODABLE, f"not UTF-8: {exc}")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return Rejected("decode", DL_UNDECODABLE, f"not JSON: {exc}")
    except RecursionError:
        return Rejected("decode", DL_UNDECODABLE, "not JSON this decoder can read: nested too deeply")
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        return Rejected("decode", DL_UNDECODABLE, _short(f"not JSON this decoder can read: {exc}"))
    if not isinstance(obj, dict):
        return Rejected("validate", DL_INVALID, f"expected a JSON object, got {type(obj).__name__}")
    try:
        accepted = raw_accept.accept(obj)
        return _RAW_ADAPTER.validate_python(accepted.record)
    except ValidationError as exc:
        return Rejected("validate", DL_INVALID, _short(str(exc)))
    except (RecursionError, ValueError, TypeError) as exc:
        return Rejected("validate", DL_INVALID, _short(f"{type(exc).__name__}: {exc}"))


def dead_letter(
    value: bytes | str | None,
    origin: Origin,
    *,
    stage: str,
    code: str,
    message: str,
    now: datetime | None = None,
) -> DeadLetter:
    """A dead-letter record that keeps the original bytes (a bounded prefix, length and sha256 of a
    large one) and key, so nothing is lost and the letter itself is never too large to send."""
    data = (
        b""
        if value is None
        else (value.encode("utf-8", "surrogatepass") if isinstance(value, str) else bytes(value))
    )
    key = origin.key
    kept = data[:KEEP_ORIGINAL_BYTES]
    return DeadLetter(
        original_b64=base64.b64encode(kept).decode("ascii"),
        original_length=len(data),
        original_sha256=hashlib.sha256(data).hexdigest(),
        original_truncated=len(kept) < len(data),
        original_key_b64=base64.b64encode(key[:KEEP_KEY_BYTES]).decode("ascii") if key is not None else None,
        topic=origin.topic,
        partition=origin.partition,
        offset=origin.offset,
        stage=stage,
        error_code=code,
        message=_short(message),
        failed_at=now or datetime.now(UTC),
    )


def _short(text: str) -> str:
    return text if len(text) <= _MAX_MESSAGE_CHARS else text[: _MAX_MESSAGE_CHARS - 1] + "…"
