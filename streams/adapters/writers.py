"""Writers of flat rows (CSV, Parquet) and of event records (JSON lines, PLOVER JSON).

Every writer takes rows as ``streams.adapters.columns`` builds them and a binary
output stream, writes as rows come (CSV row by row, Parquet one row group per
``PARQUET_ROW_GROUP`` rows) and finishes the file in ``close()``: an empty input
still gives a CSV header or a Parquet file with the schema and no rows.
Parquet goes through pyarrow with one Arrow type per column kind, and each column's
description in the field metadata.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any, Protocol

from schemas import DiplomaticEvent
from streams.adapters import columns as cols
from streams.adapters.columns import Column

FLAT_FORMATS = ("csv", "parquet")
EVENT_FORMATS = ("jsonl", "csv", "parquet", "plover")
PARQUET_ROW_GROUP = 10_000


class RowWriter(Protocol):
    def write(self, rows: Iterable[dict[str, Any]]) -> None: ...

    def close(self) -> None: ...


def csv_text(columns: tuple[Column, ...], rows: Iterable[dict[str, Any]]) -> str:
    """Rows as one CSV document (for HTTP answers)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=cols.names(columns), extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


class CsvWriter:
    def __init__(self, columns: tuple[Column, ...], out: IO[bytes]) -> None:
        self._text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        self._csv = csv.DictWriter(
            self._text, fieldnames=cols.names(columns), extrasaction="ignore", lineterminator="\n"
        )
        self._csv.writeheader()

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        self._csv.writerows(rows)
        self._text.flush()

    def close(self) -> None:
        self._text.flush()
        self._text.detach()  # the caller owns ``out``


def arrow_schema(columns: tuple[Column, ...]) -> Any:
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "date": pa.date32(),
        "timestamp": pa.timestamp("us", tz="UTC"),
        "int8": pa.int8(),
        "int32": pa.int32(),
        "int64": pa.int64(),
        "float64": pa.float64(),
    }
    return pa.schema(
        [
            pa.field(c.name, types[c.kind], nullable=True, metadata={"description": c.description})
            for c in columns
        ]
    )


class ParquetWriter:
    def __init__(self, columns: tuple[Column, ...], out: IO[bytes]) -> None:
        import pyarrow.parquet as pq

        self._columns = columns
        self._schema = arrow_schema(columns)
        self._writer = pq.ParquetWriter(out, self._schema, compression="zstd")
        self._pending: list[dict[str, Any]] = []

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        self._pending.extend(cols.typed(self._columns, row) for row in rows)
        if len(self._pending) >= PARQUET_ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._pending:
            self._writer.write_table(pa.Table.from_pylist(self._pending, schema=self._schema))
            self._pending = []

    def close(self) -> None:
        self._flush()
        self._writer.close()


def row_writer(fmt: str, columns: tuple[Column, ...], out: IO[bytes]) -> RowWriter:
    if fmt == "csv":
        return CsvWriter(columns, out)
    if fmt == "parquet":
        return ParquetWriter(columns, out)
    raise ValueError(f"unknown row format {fmt!r} (one of {', '.join(FLAT_FORMATS)})")


class EventSink:
    """``wirewatch code``'s output in one of ``EVENT_FORMATS``."""

    def __init__(
        self,
        fmt: str,
        out: IO[bytes],
        *,
        window_hours: int = 72,
        on_skip: Callable[[DiplomaticEvent, str], None] | None = None,
    ) -> None:
        if fmt not in EVENT_FORMATS:
            raise ValueError(f"unknown format {fmt!r} (one of {', '.join(EVENT_FORMATS)})")
        self.fmt = fmt
        self._out = out
        self._window_hours = window_hours
        self._on_skip = on_skip
        self._rows = row_writer(fmt, cols.EVENT_COLUMNS, out) if fmt in FLAT_FORMATS else None

    def write(self, events: Iterable[DiplomaticEvent]) -> None:
        if self._rows is not None:
            self._rows.write(cols.event_row(e) for e in events)
            return
        if self.fmt == "plover":
            from streams.adapters.plover_json import plover_json

            lines = []
            for e in events:
                try:
                    lines.append(plover_json(e, window_hours=self._window_hours))
                except ValueError as exc:  # PLOVER requires a date; the event has none
                    if self._on_skip is not None:
                        self._on_skip(e, str(exc))
        else:
            lines = [e.model_dump_json() for e in events]
        if lines:
            self._out.write(("\n".join(lines) + "\n").encode("utf-8"))
        self._out.flush()

    def close(self) -> None:
        if self._rows is not None:
            self._rows.close()
        self._out.flush()


class _TextSink(io.RawIOBase):
    """Bytes of a text format to a text-only stdout (e.g. ``contextlib.redirect_stdout(StringIO())``)."""

    def __init__(self, text: IO[str]) -> None:
        self._text = text

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._text.write(bytes(data).decode("utf-8"))
        return len(data)

    def flush(self) -> None:
        self._text.flush()


def binary_output(path: Path | None, fmt: str) -> IO[bytes]:
    """``path`` opened for writing, or stdout as ``binary_stdout`` gives it when there is none."""
    if path is None:
        return binary_stdout(fmt)
    from streams.errors import InputError

    try:
        return path.open("wb")
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from exc


def binary_stdout(fmt: str) -> IO[bytes]:
    """stdout as a byte stream for ``fmt``; Parquet refuses a terminal or a text-only stdout."""
    import sys

    from streams.errors import InputError

    buffer = getattr(sys.stdout, "buffer", None)
    if fmt == "parquet" and (buffer is None or sys.stdout.isatty()):
        raise InputError("parquet is binary: give --output FILE or redirect stdout to a file")
    sys.stdout.flush()
    return buffer if buffer is not None else _TextSink(sys.stdout)  # type: ignore[return-value]
