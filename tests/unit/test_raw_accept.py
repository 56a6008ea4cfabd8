"""The raw topic's acceptance rules (issue 12): what `wirewatch publish` accepts, the topic accepts."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime

from schemas import RawArticle
from streams.adapters import codecs, raw_accept
from streams.errors import DL_INVALID, DL_OVERSIZED, DL_UNDECODABLE


def decode(obj: object, **kw: object) -> RawArticle | codecs.Rejected:
    return codecs.decode_raw_article(json.dumps(obj).encode(), **kw)  # type: ignore[arg-type]


def test_a_naive_date_is_read_as_utc():
    got = decode({"id": "a", "body": "x", "published_at": "2022-09-20T08:00:00"})
    assert isinstance(got, RawArticle)
    assert got.published_at == datetime(2022, 9, 20, 8, tzinfo=UTC)


def test_a_date_only_value_is_midnight_utc():
    got = decode({"id": "a", "published_at": "2022-09-20"})
    assert isinstance(got, RawArticle) and got.published_at == datetime(2022, 9, 20, tzinfo=UTC)


def test_impossible_or_implausible_dates_drop_the_date_not_the_article():
    for value in (
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59+00:00",
        "2022-13-45",
        "yesterday",
        12345,
        "2022-02-30",
        "10000-01-01",
    ):
        got = decode({"id": "a", "title": "T", "body": "B", "published_at": value})
        assert isinstance(got, RawArticle), (value, got)
        assert got.published_at is None and got.body == "B"


def test_an_offset_date_keeps_its_zone():
    got = decode({"id": "a", "published_at": "2022-09-20T08:00:00+03:00"})
    assert isinstance(got, RawArticle) and got.published_at.utcoffset().total_seconds() == 3 * 3600


def test_a_utf8_bom_is_ignored():
    data = b"\xef\xbb\xbf" + json.dumps({"id": "bom", "body": "x"}).encode()
    got = codecs.decode_raw_article(data)
    assert isinstance(got, RawArticle) and got.id == "bom"


def test_line_breaking_controls_become_spaces_and_other_controls_go():
    body = "Russia\x0band China\x0csigned\x1ca deal\u2028on Monday.\x00\x07 Done.\r\nNext\tline."
    got = decode({"id": "c", "body": body})
    assert isinstance(got, RawArticle)
    assert got.body == "Russia and China signed a deal on Monday. Done.\r\nNext\tline."
    assert len(got.body.splitlines()) == 2


def test_a_missing_or_empty_id_is_the_content_hash():
    one = decode({"title": "T", "body": "B", "source": "AP"})
    two = decode({"id": "", "title": "T", "body": "B", "source": "AP"})
    other = decode({"title": "T", "body": "B2", "source": "AP"})
    assert isinstance(one, RawArticle) and isinstance(two, RawArticle) and isinstance(other, RawArticle)
    assert one.id == two.id and one.id.startswith("sha256:") and other.id != one.id


def test_deep_nesting_is_a_decode_error_not_a_crash():
    data = b'{"id": "x", "extra": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    got = codecs.decode_raw_article(data)
    assert isinstance(got, codecs.Rejected) and got.code == DL_UNDECODABLE


def test_json_that_is_no_object_is_invalid():
    for value in ([1, 2], "text", 3, None):
        got = decode(value)
        assert isinstance(got, codecs.Rejected) and got.code == DL_INVALID


def test_a_huge_integer_is_rejected_not_raised():
    got = codecs.decode_raw_article(b'{"id": "x", "n": ' + b"9" * 5000 + b"}")
    assert isinstance(got, codecs.Rejected) and got.code == DL_UNDECODABLE


def test_the_size_cap_is_checked_on_the_bytes():
    got = codecs.decode_raw_article(b"x" * 1001, max_bytes=1000)
    assert isinstance(got, codecs.Rejected) and got.code == DL_OVERSIZED


def test_a_small_dead_letter_keeps_the_whole_original():
    data = b"not json at all"
    letter = codecs.dead_letter(
        data, codecs.Origin("t", 0, 1, b"k"), stage="decode", code="DL001", message="m"
    )
    assert base64.b64decode(letter.original_b64) == data
    assert letter.original_length == len(data) and not letter.original_truncated
    assert letter.original_sha256 == hashlib.sha256(data).hexdigest()


def test_a_large_dead_letter_keeps_a_bounded_prefix_with_length_and_sha256():
    data = bytes(range(256)) * 20_000  # 5 MB
    letter = codecs.dead_letter(
        data, codecs.Origin("t", 0, 1, b"k" * 100_000), stage="decode", code="DL004", message="m" * 10_000
    )
    encoded = codecs.encode(letter)
    assert len(encoded) < 1_000_000
    assert letter.original_truncated and letter.original_length == len(data)
    assert base64.b64decode(letter.original_b64) == data[: codecs.KEEP_ORIGINAL_BYTES]
    assert letter.original_sha256 == hashlib.sha256(data).hexdigest()


def test_parse_moment_bounds():
    assert raw_accept.parse_moment("1799-12-31T00:00:00Z") is None
    assert raw_accept.parse_moment("1800-01-02T00:00:00Z") is not None
    assert raw_accept.parse_moment("2199-12-31") is not None
    assert raw_accept.parse_moment("2200-01-02") is None
    assert raw_accept.parse_moment("") is None
