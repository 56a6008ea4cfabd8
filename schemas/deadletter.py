"""Dead letters: inputs that could not be decoded, validated or processed."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from schemas.base import AwareDatetime, Emitted


class DeadLetter(Emitted):
    """One rejected input (``wire.deadletter.v1``). Nothing is dropped silently."""

    schema_id: Literal["dead_letter.v1"] = "dead_letter.v1"
    original_b64: str = Field(
        description="the original message value, base64; only its first bytes when original_truncated"
    )
    original_length: int | None = Field(default=None, description="bytes in the original value")
    original_sha256: str | None = Field(default=None, description="sha256 of the whole original value, hex")
    original_truncated: bool = Field(
        default=False, description="original_b64 holds a prefix; the whole value is at topic/partition/offset"
    )
    original_key_b64: str | None = None
    topic: str
    partition: int | None = None
    offset: int | None = None
    stage: str = Field(description="decode | validate | clean | extract | classify | ...")
    error_code: str = Field(description="stable code, see streams.errors (DL001 ...)")
    message: str
    failed_at: AwareDatetime
