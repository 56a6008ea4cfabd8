"""Language detection: English by stopwords, everything else named by py3langid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.core import language
from streams.core.language import detect_language, is_english, language_of, normalise_code

# Short news sentences written for wirewatch, one per line with the language they are in.
SAMPLES = [
    json.loads(line)
    for line in (Path(__file__).resolve().parents[1] / "data" / "language" / "samples.jsonl")
    .read_text("utf-8")
    .splitlines()
    if line.strip()
]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: f"{s['lang']}:{s['text'][:20]}")
def test_samples(sample: dict[str, str]) -> None:
    assert detect_language(sample["text"]) == sample["lang"]


def test_samples_cover_many_languages() -> None:
    assert len({s["lang"] for s in SAMPLES}) >= 15


def test_english_prose_never_reaches_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_model() -> None:
        raise AssertionError("the identifier was consulted for plain English prose")

    monkeypatch.setattr(language, "_identifier", no_model)
    text = "The foreign minister said that the talks with the delegation would resume after the holiday."
    assert detect_language(text) == "en"


@pytest.mark.parametrize("text", ["", "   ", "...", "12 34 56", "NATO", "Xi met Putin"])
def test_too_little_text_gives_no_verdict(text: str) -> None:
    assert detect_language(text) is None


def test_deterministic() -> None:
    text = "Der russische Präsident traf sich letzte Woche mit dem chinesischen Staatschef."
    assert {detect_language(text) for _ in range(5)} == {"de"}


@pytest.mark.parametrize(
    ("code", "norm"), [("en-US", "en"), ("EN", "en"), ("eng", "en"), ("pt_BR", "pt"), (" fr ", "fr")]
)
def test_normalise_code(code: str, norm: str) -> None:
    assert normalise_code(code) == norm


def test_declared_language_is_trusted_over_the_text() -> None:
    assert language_of("de", "The talks with the delegation resumed on Monday.") == "de"
    assert language_of(None, "The talks with the delegation resumed on Monday.") == "en"
    assert language_of("  ", "The talks with the delegation resumed on Monday.") == "en"
    assert is_english("en-GB") and not is_english("fr")
