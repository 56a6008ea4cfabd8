"""Reading raw articles from .jsonl, .txt and stdin."""

from __future__ import annotations

import gzip
import io
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from schemas import RawArticle
from streams.adapters.inputs import (
    InputProblem,
    count_articles,
    parse_published_at,
    read_articles,
    read_source,
)
from streams.errors import InputError

SEED = Path(__file__).resolve().parents[1] / "data" / "seed" / "wire-russia-china.txt"
DATE = datetime(2022, 9, 20, tzinfo=UTC)


def test_txt_title_is_first_line_and_body_bytes_are_kept() -> None:
    [(name, line_no, art)] = list(read_source(str(SEED), published_at=DATE))
    assert (name, line_no) == (str(SEED), 1)
    assert isinstance(art, RawArticle)
    data = SEED.read_bytes().decode("utf-8")
    assert art.id == "wire-russia-china"
    assert art.title == "Russia Prioritizing Expanding Security Ties With China"
    assert art.title + "\n" + art.body == data  # nothing normalised on the way in
    assert art.published_at == DATE


def test_txt_leading_blank_lines_bom_and_crlf(tmp_path: Path) -> None:
    p = tmp_path / "story.txt"
    p.write_bytes(b"\xef\xbb\xbf\r\n  \r\nThe Title\r\nBody line.\r\n")
    [(_, _, art)] = list(read_source(str(p)))
    assert isinstance(art, RawArticle)
    assert (art.id, art.title, art.body) == ("story", "The Title", "Body line.\r\n")
    assert art.published_at is None


def test_txt_not_utf8_read_as_windows_1252(tmp_path: Path) -> None:
    p = tmp_path / "legacy.txt"
    p.write_bytes("Talks in Genève\n“Quoted” text.".encode("cp1252"))
    [(_, _, art)] = list(read_source(str(p)))
    assert isinstance(art, RawArticle)
    assert art.title == "Talks in Genève" and art.body == "“Quoted” text."


def test_empty_txt_is_a_problem(tmp_path: Path) -> None:
    p = tmp_path / "empty.txt"
    p.write_bytes(b"\n \n")
    [(_, line_no, item)] = list(read_source(str(p)))
    assert isinstance(item, InputProblem) and "title" in item.reason and line_no == 1


def test_jsonl_bad_lines_reported_with_numbers_and_reading_goes_on(tmp_path: Path) -> None:
    p = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "a", "title": "A", "body": "Text.", "extra": 1}),
        "",
        "{not json",
        json.dumps({"title": "no id"}),
        json.dumps(["a list"]),
        json.dumps({"id": "naive", "published_at": "2022-09-20T10:00:00"}),
        '{"id": "sur", "body": "\\ud800"}',
        json.dumps({"id": "b", "published_at": "2022-09-19T10:00:00+02:00"}),
        json.dumps({"id": "c", "published_at": "last week"}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_source(str(p), published_at=DATE))
    assert [n for _, n, _ in items] == [1, 3, 4, 5, 6, 7, 8, 9]
    kinds = {n: it for _, n, it in items}
    assert isinstance(kinds[1], RawArticle) and kinds[1].published_at == DATE  # default date filled in
    assert "invalid JSON" in kinds[3].reason
    assert isinstance(kinds[4], RawArticle) and kinds[4].id.startswith("sha256:")  # no id: the content hash
    assert "JSON object" in kinds[5].reason
    assert kinds[6].published_at == datetime(2022, 9, 20, 10, tzinfo=UTC)  # a naive date is read as UTC
    assert "surrogate" in kinds[7].reason
    b = kinds[8]
    assert isinstance(b, RawArticle) and b.published_at == datetime(2022, 9, 19, 8, tzinfo=UTC)
    # a date naming no moment is dropped, not the article (as on the raw topic): the default applies
    assert isinstance(kinds[9], RawArticle) and kinds[9].published_at == DATE


def test_jsonl_undecodable_bytes_are_one_bad_line(tmp_path: Path) -> None:
    p = tmp_path / "feed.jsonl"
    p.write_bytes(b'{"id": "a"}\n{"id": "\xff\xfe"}\n{"id": "c"}\n')
    items = list(read_source(str(p)))
    assert [type(it).__name__ for _, _, it in items] == ["RawArticle", "InputProblem", "RawArticle"]
    assert items[1][1] == 2


def test_missing_file_and_directory_are_source_problems(tmp_path: Path) -> None:
    items = list(read_articles([str(tmp_path / "nope.jsonl"), str(tmp_path)]))
    assert [(n, type(it).__name__) for _, n, it in items] == [(0, "InputProblem"), (0, "InputProblem")]
    assert "No such file" in items[0][2].reason


def test_stdin_jsonl_is_sniffed() -> None:
    stdin = io.BytesIO(b'\n{"id": "a", "body": "x"}\nbad\n{"id": "b"}\n')
    items = list(read_source("-", stdin=stdin))
    assert [(name, n, type(it).__name__) for name, n, it in items] == [
        ("<stdin>", 2, "RawArticle"),
        ("<stdin>", 3, "InputProblem"),
        ("<stdin>", 4, "RawArticle"),
    ]


def test_stdin_text_is_one_article_with_a_content_hash_id() -> None:
    data = SEED.read_bytes()
    [(_, _, art)] = list(read_source("-", stdin=io.BytesIO(data), published_at=DATE))
    assert isinstance(art, RawArticle)
    assert art.id.startswith("stdin-") and len(art.id) == len("stdin-") + 12
    assert art.title + "\n" + art.body == data.decode("utf-8")
    [(_, _, again)] = list(read_source("-", stdin=io.BytesIO(data)))
    assert again.id == art.id  # the same text gets the same id


def test_empty_stdin_is_a_problem() -> None:
    [(_, _, item)] = list(read_source("-", stdin=io.BytesIO(b"")))
    assert isinstance(item, InputProblem)


def test_json_objects_one_after_another_and_markdown_text(tmp_path: Path) -> None:
    p = tmp_path / "feed.json"
    p.write_text('{"id": "x"}\n{"id": "y"}\n', encoding="utf-8")
    assert [it.id for _, _, it in read_source(str(p))] == ["x", "y"]
    q = tmp_path / "story.md"
    q.write_text("Title\n\nBody.", encoding="utf-8")
    [(_, _, art)] = list(read_source(str(q)))
    assert art.id == "story" and art.title == "Title"


def test_a_name_without_suffix_is_sniffed(tmp_path: Path) -> None:
    p = tmp_path / "feed"
    p.write_text('{"id": "x"}\n{"id": "y"}\n', encoding="utf-8")
    assert [it.id for _, _, it in read_source(str(p))] == ["x", "y"]
    q = tmp_path / "story"
    q.write_text("Title\n\nBody.", encoding="utf-8")
    [(_, _, art)] = list(read_source(str(q)))
    assert art.id.startswith("story-") and art.title == "Title"
    r = tmp_path / "array"
    r.write_text('[{"id": "a"}, {"id": "b"}]', encoding="utf-8")
    assert [it.id for _, _, it in read_source(str(r))] == ["a", "b"]


def test_json_array_elements_keep_their_line_numbers(tmp_path: Path) -> None:
    p = tmp_path / "feed.json"
    p.write_text('[\n  {"id": "a", "body": "x"},\n  {"id": 5},\n\n  {"id": "c"}\n]\n', encoding="utf-8")
    items = list(read_source(str(p)))
    assert [(n, getattr(it, "id", None)) for _, n, it in items] == [(2, "a"), (3, None), (5, "c")]
    assert "id: Input should be a valid string" in items[1][2].reason


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ('[{"id": "a"},\n {"id": "b"', 2, "invalid JSON"),
        ('[{"id": "a"} {"id": "b"}]', 1, "expected ',' or ']'"),
        ('[{"id": "a"}', 1, "not closed"),
        ('[{"id": "a"}] trailing', 1, "after the closing"),
        ("  \n", 0, "empty"),
        ('[1, "x"]', 1, "expected a JSON object"),
    ],
)
def test_broken_json_files_are_one_problem_each(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    p = tmp_path / "feed.json"
    p.write_text(text, encoding="utf-8")
    problems = [(n, it.reason) for _, n, it in read_source(str(p)) if isinstance(it, InputProblem)]
    assert problems and problems[0][0] == line and fragment in problems[0][1]


def test_gzip_of_every_format_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(b'{"id": "j1"}\n\n{"id": "j2"}\n'))
    (tmp_path / "b.json.gz").write_bytes(gzip.compress(b'[{"id": "a1"}]'))
    (tmp_path / "c.txt.gz").write_bytes(gzip.compress(b"Title\nBody."))
    paths = [str(tmp_path / n) for n in ("a.jsonl.gz", "b.json.gz", "c.txt.gz")]
    items = list(read_articles(paths))
    assert [(n, it.id) for _, n, it in items] == [(1, "j1"), (3, "j2"), (1, "a1"), (1, "c")]
    assert count_articles([paths[0], paths[2]]) == 3


def test_a_corrupt_gzip_is_one_problem(tmp_path: Path) -> None:
    p = tmp_path / "a.jsonl.gz"
    p.write_bytes(b'{"id": "not compressed"}\n')
    [(_, n, item)] = list(read_source(str(p)))
    assert n == 0 and isinstance(item, InputProblem) and "gzip" in item.reason


@pytest.mark.parametrize("name", ["feed.csv", "feed.xml", "page.html", "feed.csv.gz", "corpus.zip"])
def test_unsupported_formats_are_refused_by_name(tmp_path: Path, name: str) -> None:
    p = tmp_path / name
    p.write_bytes(b"id,title\na,b\n")
    [(_, n, item)] = list(read_source(str(p)))
    assert n == 0 and isinstance(item, InputProblem)
    suffix = name[name.index(".") :]
    assert item.reason.startswith(f"unsupported input format {suffix!r}: wirewatch reads .jsonl")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-09-20", datetime(2022, 9, 20, tzinfo=UTC)),
        ("2022-09-20T08:30:00Z", datetime(2022, 9, 20, 8, 30, tzinfo=UTC)),
        ("2022-09-20T08:30:00", datetime(2022, 9, 20, 8, 30, tzinfo=UTC)),
        ("2022-09-20T08:30:00+03:00", datetime(2022, 9, 20, 8, 30, tzinfo=timezone(timedelta(hours=3)))),
    ],
)
def test_parse_published_at(value: str, expected: datetime) -> None:
    got = parse_published_at(value)
    assert got == expected and got.tzinfo is not None


@pytest.mark.parametrize("value", ["yesterday", "2022-13-01", "", "20-09-2022"])
def test_parse_published_at_rejects(value: str) -> None:
    with pytest.raises(InputError, match="2022-09-20"):
        parse_published_at(value)
