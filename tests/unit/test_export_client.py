"""``wirewatch export`` pages a date range until every answer is complete, against a real HTTP server."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from streams.adapters.export_client import ExportError, fetch_rows, windows


class Events(BaseHTTPRequestHandler):
    """Answers ``/events`` like a worker: at most ``limit`` rows, ``truncated`` when there were more."""

    per_day: dict[str, int] = {}
    asked: list[tuple[str, str]] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        url = urllib.parse.urlparse(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        self.asked.append((query["from"], query["to"]))
        rows = [
            {"event_id": f"{day}-{n}", "event_date": day}
            for day, count in sorted(self.per_day.items())
            if query["from"] <= day <= query["to"]
            for n in range(count)
        ]
        limit = int(query["limit"])
        body = json.dumps(
            {"count": min(limit, len(rows)), "truncated": len(rows) > limit, "events": rows[:limit]}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Events)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    Events.asked = []
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_windows_cover_a_long_range_in_view_sized_pieces() -> None:
    pieces = list(windows(date(2022, 1, 1), date(2023, 6, 30)))
    assert pieces[0] == (date(2022, 1, 1), date(2023, 1, 1)) and pieces[-1][1] == date(2023, 6, 30)
    assert all(b + timedelta(days=1) == c for (_, b), (c, _) in zip(pieces, pieces[1:], strict=False))


def test_a_truncated_answer_is_split_until_every_row_is_read(server: str) -> None:
    Events.per_day = {"2022-09-19": 6000, "2022-09-20": 6000, "2022-09-21": 10}
    rows = list(fetch_rows(server, "events", date(2022, 9, 19), date(2022, 9, 21)))
    assert len(rows) == 12010 and len({r["event_id"] for r in rows}) == 12010
    assert Events.asked[0] == ("2022-09-19", "2022-09-21")  # one request first, split only when needed
    assert ("2022-09-19", "2022-09-19") in Events.asked


def test_a_day_beyond_one_answer_is_an_error_not_a_short_file(server: str) -> None:
    Events.per_day = {"2022-09-19": 10_001}
    with pytest.raises(ExportError, match="2022-09-19: more than 10000 events on one day"):
        list(fetch_rows(server, "events", date(2022, 9, 19), date(2022, 9, 19)))


def test_no_worker_is_one_clear_error() -> None:
    with pytest.raises(ExportError, match="no worker answers at http://127.0.0.1:9"):
        list(fetch_rows("http://127.0.0.1:9", "events", date(2022, 9, 19), date(2022, 9, 19)))
