"""Kinds of bad input for the poison suite (issue 12), each with the outcome it must have.

A kind is ``(name, key, value, expect)``: ``expect`` is a dead-letter code (``"DL001"`` …)
or ``CODED`` (the article is coded: its clean record comes out). Values are built here,
from nothing but the sample wire's shape, so no third-party text is involved.
"""

from __future__ import annotations

import gzip
import json
from datetime import date, timedelta

from streams.errors import DL_INVALID, DL_OVERSIZED, DL_UNDECODABLE

CODED = "coded"
CAP = 800_000  # nlp.max_body_chars (100 000) × 8: the worker's cap on one raw message

GOOD_BODY = (
    "TOKYO, Sept 21 (Meridian Wire) - Japan's foreign minister met India's foreign minister "
    "in Tokyo on September 21 to discuss maritime security.\n\nThe two ministers agreed to "
    "expand joint naval exercises, according to a statement issued after the meeting."
)


def article(article_id: str | None = "x", **fields: object) -> dict[str, object]:
    record: dict[str, object] = {
        "source": "Poison Wire",
        "title": "Japan and India hold talks",
        "body": GOOD_BODY,
        "published_at": "2022-09-21T06:00:00Z",
    }
    if article_id is not None:
        record["id"] = article_id
    record.update(fields)
    return record


def js(obj: object) -> bytes:
    return json.dumps(obj).encode()


def many_meetings(n: int) -> str:
    """``n`` sentences, each one meeting on its own day: about one event each."""
    countries = [
        "Japan",
        "India",
        "China",
        "France",
        "Germany",
        "Russia",
        "Iran",
        "Turkey",
        "Brazil",
        "Egypt",
        "Israel",
        "Canada",
    ]
    lines = []
    for i in range(n):
        a, b = countries[i % 12], countries[(i // 12 + 1 + i) % 12]
        b = "Mexico" if a == b else b
        d = date(2020, 1, 1) + timedelta(days=i)
        lines.append(f"{a}'s foreign minister met {b}'s foreign minister on {d:%B} {d.day}, {d.year}.")
    return "\n\n".join(lines)


def kinds() -> list[tuple[str, bytes | None, bytes | None, str]]:
    deep_list = b'{"id": "deep", "x": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    deep_obj = b'{"id": "deep2", "x": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_000 + b"}"
    out: list[tuple[str, bytes | None, bytes | None, str]] = [
        # --- not JSON, or JSON nothing can read: DL001
        ("invalid utf-8", b"k-utf8", b"\xff\xfe\x00{", DL_UNDECODABLE),
        ("plain text", b"k-text", b"not json at all", DL_UNDECODABLE),
        ("empty value", b"k-empty", b"", DL_UNDECODABLE),
        ("tombstone (no value)", b"k-none", None, DL_UNDECODABLE),
        ("truncated json", b"k-trunc", b'{"id": "t", "body": "abc', DL_UNDECODABLE),
        ("deeply nested arrays", b"k-deep", deep_list, DL_UNDECODABLE),
        ("deeply nested objects", b"k-deep2", deep_obj, DL_UNDECODABLE),
        ("integer of 5000 digits", b"k-int", b'{"id": "n", "n": ' + b"9" * 5000 + b"}", DL_UNDECODABLE),
        (
            "latin-1 json",
            b"k-latin1",
            json.dumps(article("l1", title="Café"), ensure_ascii=False).encode("latin-1"),
            DL_UNDECODABLE,
        ),
        ("utf-16 json", b"k-utf16", json.dumps(article("u16")).encode("utf-16"), DL_UNDECODABLE),
        ("gzip bytes", b"k-gz", gzip.compress(js(article("gz"))), DL_UNDECODABLE),
        ("trailing garbage", b"k-trail", js(article("tg")) + b" trailing", DL_UNDECODABLE),
        ("two objects", b"k-two", js(article("two-a")) + js(article("two-b")), DL_UNDECODABLE),
        ("single quotes", b"k-quotes", b"{'id': 'q', 'body': 'x'}", DL_UNDECODABLE),
        ("xml", b"k-xml", b"<article><id>1</id></article>", DL_UNDECODABLE),
        # --- JSON that is no RawArticle: DL002
        ("json array", b"k-array", js([article("arr")]), DL_INVALID),
        ("json string", b"k-string", js("an article"), DL_INVALID),
        ("json number", b"k-number", b"42", DL_INVALID),
        ("json null", b"k-null", b"null", DL_INVALID),
        ("id a number", b"k-idnum", js(article(None, id=12345)), DL_INVALID),
        ("id a list", b"k-idlist", js(article(None, id=["a"])), DL_INVALID),
        ("id of 600 characters", b"k-idlong", js(article("i" * 600)), DL_INVALID),
        ("title a list", b"k-titlelist", js(article("tl", title=["a", "b"])), DL_INVALID),
        ("body an object", b"k-bodyobj", js(article("bo", body={"text": "x"})), DL_INVALID),
        ("language a number", b"k-lang", js(article("lg", language=7)), DL_INVALID),
        ("url a number", b"k-url", js(article("ur", url=3)), DL_INVALID),
        ("source a list", b"k-src", js(article("sr", source=["AP"])), DL_INVALID),
        # --- too large: DL004, with a bounded prefix and the sha256 of the whole
        ("944 KB message", b"k-944", js(article("big944", body="a" * 944_000)), DL_OVERSIZED),
        ("1.2 MB message", b"k-1mb", js(article("big1m", body="Word. " * 200_000)), DL_OVERSIZED),
        ("5 MB message, gzip-compressed", b"k-5mb", js(article("big5m", body="b" * 5_000_000)), DL_OVERSIZED),
        (
            "52 MB message, gzip-compressed",
            b"k-52mb",
            js(article("big52m", body="c" * 52_000_000)),
            DL_OVERSIZED,
        ),
        ("800 KB unknown field", b"k-extra", js(article("ex", extra="e" * 820_000)), DL_OVERSIZED),
        ("oversized key and value", b"K" * 200_000, b"z" * (CAP + 10), DL_OVERSIZED),
        # --- odd but valid: coded
        ("naive date", b"k-naive", js(article("naive-date", published_at="2022-09-21T06:00:00")), CODED),
        (
            "far-future date",
            b"k-future",
            js(article("future-date", published_at="9999-12-31T00:00:00Z")),
            CODED,
        ),
        ("far-past date", b"k-past", js(article("past-date", published_at="0001-01-01T00:00:00Z")), CODED),
        ("date not a date", b"k-notdate", js(article("not-date", published_at="last Tuesday")), CODED),
        ("date an object", b"k-dateobj", js(article("obj-date", published_at={"y": 2022})), CODED),
        ("utf-8 bom", b"k-bom", b"\xef\xbb\xbf" + js(article("bom")), CODED),
        (
            "vertical tabs and form feeds",
            b"k-vt",
            js(article("vtab", body=GOOD_BODY.replace(" met ", "\x0bmet\x0c ").replace("\n\n", "\x0c"))),
            CODED,
        ),
        (
            "nul and bell characters",
            b"k-nul",
            js(article("nul", body=GOOD_BODY.replace(" ", "\x00 ", 3) + "\x07")),
            CODED,
        ),
        ("no id", b"k-noid", js(article(None)), CODED),
        ("empty id", b"k-emptyid", js(article("")), CODED),
        ("empty title and body", b"k-emptybody", js(article("empty", title="", body="")), CODED),
        ("whitespace body", b"k-ws", js(article("ws", title=" ", body=" \n\t\n " * 1000)), CODED),
        (
            "one 90 KB sentence",
            b"k-sentence",
            js(article("long-sentence", body="and Japan met India " * 4500)),
            CODED,
        ),
        (
            "html and script",
            b"k-html",
            js(article("html", body="<html><script>alert(1)</script><p>" + GOOD_BODY + "</p></html>")),
            CODED,
        ),
        ("mojibake", b"k-moji", js(article("moji", body=GOOD_BODY.replace("'", "â€™"))), CODED),
        (
            "emoji and right-to-left text",
            b"k-rtl",
            js(article("rtl", body="\u202e" + GOOD_BODY + " 🇯🇵🤝🇮🇳 \u05e9\u05dc\u05d5\u05dd")),
            CODED,
        ),
        (
            "lone surrogate escape",
            b"k-sur",
            b'{"id": "sur", "title": "T", "body": "Japan \\ud800 met India."}',
            CODED,
        ),
        (
            "non-English article",
            b"k-fr",
            js(
                article(
                    "fr",
                    title="Réunion",
                    body="Le ministre japonais a rencontré son homologue indien à Tokyo mardi. " * 5,
                )
            ),
            CODED,
        ),
        (
            "duplicate json keys",
            b"k-dupkey",
            b'{"id": "dup-a", "id": "dupkey", "body": "' + GOOD_BODY.encode().replace(b"\n", b"\\n") + b'"}',
            CODED,
        ),
        ("control characters in the id", b"k-idctl", js(article("id\nwith\tcontrols")), CODED),
        (
            "10 000 one-word paragraphs",
            b"k-paras",
            js(article("paras", body="\n\n".join(["Tokyo."] * 10_000))),
            CODED,
        ),
        (
            "a 60 KB url",
            b"k-longurl",
            js(article("long-url", url="https://example.org/" + "p" * 60_000)),
            CODED,
        ),
        ("non-utf-8 key", b"\xff\xfe-key", js(article("bad-key")), CODED),
        ("no key", None, js(article("no-key")), CODED),
        (
            "500 meetings (~1,400 KB of ledger cells)",
            b"k-many",
            js(article("many-events", body=many_meetings(500))),
            CODED,
        ),
    ]
    return out
