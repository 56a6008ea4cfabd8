"""The cleaner on hand-built input and on the seed wire article (byte for byte)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from schemas import CleanArticle, RawArticle
from streams.core.clean import BOILERPLATE_EXACT, BOILERPLATE_PREFIXES, clean_article

SEED_DIR = Path(__file__).resolve().parents[1] / "data" / "seed"
SEED_SHA256 = "6cf87f24c78008a04afa5b7d900a9d90dbbfb2762dbf1599b16d3ea299171feb"


def raw(body: str, title: str = "", **kw: object) -> RawArticle:
    return RawArticle(id="a1", title=title, body=body, **kw)


def seed_raw() -> RawArticle:
    # As a .txt file is read: the first non-empty line is the title, the rest the body, bytes untouched.
    text = (SEED_DIR / "wire-russia-china.txt").read_bytes().decode("utf-8")
    title, _, body = text.partition("\n")
    return RawArticle(id="wire-russia-china", title=title, body=body)


@pytest.fixture(scope="module")
def seed_clean() -> CleanArticle:
    return clean_article(seed_raw())


# --- the seed ---------------------------------------------------------------


def test_seed_gives_exactly_the_expected_title_and_paragraphs(seed_clean: CleanArticle) -> None:
    expected = json.loads((SEED_DIR / "expected_clean.json").read_text(encoding="utf-8"))
    assert seed_clean.title == expected["title"]
    assert seed_clean.paragraphs == expected["paragraphs"]
    assert seed_clean.truncated is True
    assert seed_clean.text == "\n\n".join(expected["paragraphs"])
    assert seed_clean.codable is True
    assert seed_clean.language == "en"


def test_seed_report_counts_what_was_removed(seed_clean: CleanArticle) -> None:
    r = seed_clean.removed
    assert r.duplicate_titles == 2  # the plain repeat and the one with stray commas
    assert r.duplicate_paragraphs == 5  # paragraphs 1, 2, 4, 5, 7 arrived twice
    assert r.near_duplicate_paragraphs == 1  # "...Shanghai Cooperation." vs the cut-off copy
    assert r.punctuation_only_lines == 2
    assert r.artefacts_fixed == 4  # two " , " before quotations, ".”." and ".\"."
    assert r.boilerplate_lines == 0 and r.html_tags == 0
    assert any("Shanghai" in d or "sidelines" in d for d in r.details)


def test_seed_is_idempotent(seed_clean: CleanArticle) -> None:
    again = clean_article(RawArticle(id="x", title=seed_clean.title, body=seed_clean.text))
    assert again.title == seed_clean.title
    assert again.paragraphs == seed_clean.paragraphs
    assert again.text == seed_clean.text
    assert again.truncated is True
    assert again.removed.model_dump(exclude={"details"}) == dict.fromkeys(
        again.removed.model_dump(exclude={"details"}), 0
    )
    assert again.removed.details == []


def test_seed_fixture_is_the_brief_bytes() -> None:
    data = (SEED_DIR / "wire-russia-china.txt").read_bytes()
    # sha256 of the file as the brief ships it: an editor "fixing" quotes or line ends breaks this.
    assert hashlib.sha256(data).hexdigest() == SEED_SHA256
    assert data.count(b"\xe2\x80\x9c") == 8  # curly opening quotes survive the copy
    assert b"said that , \xe2\x80\x9cin" in data
    assert not data.endswith(b"\n")


# --- each artefact on its own -------------------------------------------------


def test_title_repeats_removed_including_stray_comma_variant() -> None:
    c = clean_article(
        raw("Big Talks Open\n\nBig Talks , Open.\n\nThe talks opened on Monday.", title="Big Talks Open")
    )
    assert c.paragraphs == ["The talks opened on Monday."]
    assert c.removed.duplicate_titles == 2


def test_exact_duplicate_paragraphs_kept_once_in_order() -> None:
    c = clean_article(raw("One is here.\n\nTwo is there.\n\nOne is here.\n\nThree.\n\nTwo is there."))
    assert c.paragraphs == ["One is here.", "Two is there.", "Three."]
    assert c.removed.duplicate_paragraphs == 2


def test_near_duplicate_differing_in_case_and_punctuation() -> None:
    c = clean_article(raw("The minister said , yes.\n\nthe minister said yes.\n\nEnd of story here."))
    assert len(c.paragraphs) == 2
    assert c.removed.near_duplicate_paragraphs == 1


def test_cut_off_prefix_copy_dropped_for_the_full_paragraph() -> None:
    body = (
        "The delegation arrived in Geneva on Tuesday for talks on the\n\n"
        "Other news came later in the day.\n\n"
        "The delegation arrived in Geneva on Tuesday for talks on the ceasefire."
    )
    c = clean_article(raw(body))
    assert c.paragraphs == [
        "Other news came later in the day.",
        "The delegation arrived in Geneva on Tuesday for talks on the ceasefire.",
    ]
    assert c.removed.near_duplicate_paragraphs == 1
    assert c.truncated is False


def test_complete_sentence_that_starts_a_longer_paragraph_is_kept() -> None:
    body = "Talks resumed today.\n\nTalks resumed today. Both sides said progress was made."
    assert len(clean_article(raw(body)).paragraphs) == 2


def test_lone_punctuation_lines_removed() -> None:
    c = clean_article(raw("First part here.\n.\n\n***\n\n—\nSecond part here."))
    assert c.paragraphs == ["First part here.", "Second part here."]
    assert c.removed.punctuation_only_lines == 3


def test_comma_before_quotation_removed() -> None:
    c = clean_article(raw('He said that , “we agree.” She said that , "no." They said , ‘maybe’.'))
    assert c.paragraphs == ['He said that “we agree.” She said that "no." They said ‘maybe’.']
    assert c.removed.artefacts_fixed == 3


def test_ordinary_commas_before_quotes_are_left_alone() -> None:
    text = 'Moscow considers, “strengthening ties” a priority, "core" and "other" , fine.'
    assert clean_article(raw(text)).paragraphs == [text]


def test_doubled_end_punctuation() -> None:
    c = clean_article(raw('He said “yes.”. Then “no?”. Also "core interests.". And done..'))
    assert c.paragraphs == ['He said “yes.” Then “no?” Also "core interests." And done.']
    assert c.removed.artefacts_fixed == 4


def test_ellipsis_and_closing_quote_then_stop_are_kept() -> None:
    text = "He paused... and said “foreign policy”. It ended."
    assert clean_article(raw(text)).paragraphs == [text]


def test_truncated_last_sentence_kept_and_flagged() -> None:
    c = clean_article(raw("A full sentence here.\n\nThe meeting came on the sidelines of a summit of the"))
    assert c.paragraphs[-1] == "The meeting came on the sidelines of a summit of the"
    assert c.truncated is True


@pytest.mark.parametrize(
    "last",
    ["It ended well.", "“It ended,” he said.", "(Reporting by Jane Doe; Editing by John Roe)", "By Staff"],
)
def test_complete_or_bracketed_last_paragraph_not_flagged(last: str) -> None:
    assert clean_article(raw(f"A first sentence here.\n\n{last}")).truncated is False


# --- what web feeds carry -----------------------------------------------------


def test_html_tags_and_entities() -> None:
    body = (
        "<div class='story'><p>Leaders met in <b>Paris</b> &amp; agreed.</p>"
        "<script>var x = '<p>not text</p>';</script>"
        "<p>Talks &#8220;went well&#8221;,<br>officials said.</p><!-- ad --></div>"
    )
    c = clean_article(raw(body))
    # <br> is a line break inside a paragraph: the wrapped clause is rejoined.
    assert c.paragraphs == ["Leaders met in Paris & agreed.", "Talks “went well”, officials said."]
    assert c.removed.html_tags >= 10
    assert c.removed.artefacts_fixed >= 1
    assert all("<" not in p for p in c.paragraphs)


def test_html_newlines_inside_a_block_are_layout() -> None:
    c = clean_article(raw("<p>The envoy\narrived on\nMonday.</p>\n<p>Second.</p>"))
    assert c.paragraphs == ["The envoy arrived on Monday.", "Second."]


def test_double_escaped_html_is_decoded_to_the_end() -> None:
    c = clean_article(raw("&lt;p&gt;Tom &amp;amp; Jerry met.&lt;/p&gt;"))
    assert c.paragraphs == ["Tom & Jerry met."]


def test_angle_brackets_in_prose_are_not_markup() -> None:
    text = "Turnout was <50% and the <unknown> tag stays, as does a < b > c."
    assert clean_article(raw(text)).paragraphs == [text]


def test_mojibake_and_control_characters_fixed() -> None:
    body = "The minister\u2019s visit to Gen\u00e8ve".encode().decode("latin-1") + " was\x00 brief\u200b.\x07"
    c = clean_article(raw(body))
    assert c.paragraphs == ["The minister\u2019s visit to Gen\u00e8ve was brief."]
    assert c.removed.artefacts_fixed >= 2


def test_curly_quotes_are_not_straightened() -> None:
    text = "He said “no” and ‘never’ to Beijing’s offer."
    assert clean_article(raw(text)).paragraphs == [text]


@pytest.mark.parametrize(
    "line",
    [
        "Click to share on Facebook (Opens in new window)",
        "Share this article",
        "Follow us on Twitter and Instagram",
        "Sign up for our newsletter",
        "© 2022 Example News. All rights reserved.",
        "ADVERTISEMENT",
        "Read more: Putin and Xi meet in Samarkand",
    ],
)
def test_boilerplate_lines_removed(line: str) -> None:
    c = clean_article(raw(f"Real news sentence one.\n\n{line}\n\nReal news sentence two."))
    assert c.paragraphs == ["Real news sentence one.", "Real news sentence two."]
    assert c.removed.boilerplate_lines == 1


def test_print_edition_notes_and_newsletter_promotions_go_whatever_their_length() -> None:
    note = (
        "Order Reprints | Today's Paper | Subscribe A version of this article appears in print on , "
        "on Page A 9 of the New York edition with the headline: Ministers Meet on Trade " * 4
    )
    promo = "Sign up for the Morning Brief " + "Get the news that matters to you every day. " * 8
    assert len(note) > 250 and len(promo) > 250
    c = clean_article(raw(f"Real news sentence one.\n\n{note}\n\n{promo}\n\nReal news sentence two."))
    assert c.paragraphs == ["Real news sentence one.", "Real news sentence two."]


def test_boilerplate_list_is_data_and_conservative() -> None:
    assert "advertisement" in BOILERPLATE_EXACT and "click to share" in BOILERPLATE_PREFIXES
    prose = "Share prices fell after the ministers said they would follow us on trade, officials said."
    assert clean_article(raw(prose)).paragraphs == [prose]


def test_whitespace_normalised_and_crlf() -> None:
    c = clean_article(raw("  Leaders \t met\u00a0 today.  \r\n\r\n\r\nThey   agreed. \r\n"))
    assert c.paragraphs == ["Leaders met today.", "They agreed."]


def test_hard_wrapped_lines_rejoined() -> None:
    body = (
        "The foreign ministers of both countries met in the capital on Monday to\n"
        "discuss the border dispute, officials said.\n"
        "A second paragraph starts here.\n"
    )
    c = clean_article(raw(body))
    assert c.paragraphs == [
        "The foreign ministers of both countries met in the capital on Monday to discuss the border dispute,"
        " officials said.",
        "A second paragraph starts here.",
    ]


# --- edges ------------------------------------------------------------------


@pytest.mark.parametrize("body", ["", "   \n\n ", ".\n\n.", "<p></p>", "Share this article"])
def test_empty_body_is_not_codable(body: str) -> None:
    c = clean_article(raw(body, title="Some title"))
    assert c.paragraphs == [] and c.text == ""
    assert c.codable is False and c.skip_reason == "empty"


def test_oversized_body_cut_at_paragraph_boundary() -> None:
    paras = [f"Paragraph number {i} says something about the talks." for i in range(200)]
    c = clean_article(raw("\n\n".join(paras)), max_chars=1000)
    assert len(c.text) <= 1000
    assert c.paragraphs == paras[: len(c.paragraphs)]
    assert len(c.paragraphs) > 10
    assert c.truncated is True
    assert any("max_chars=1000" in d for d in c.removed.details)


def test_one_paragraph_longer_than_the_cap_cut_at_a_word() -> None:
    c = clean_article(raw("word " * 1000), max_chars=1000)
    assert 0 < len(c.text) <= 1000 and c.text.endswith("word")
    assert c.truncated is True


def test_huge_raw_body_is_cut_before_cleaning() -> None:
    c = clean_article(raw("A sentence about talks.\n" * 100_000), max_chars=1000)
    assert c.paragraphs == ["A sentence about talks."]  # the rest were duplicates
    assert any("before cleaning" in d for d in c.removed.details)


def test_non_english_is_not_codable() -> None:
    body = (
        "Le président russe a rencontré son homologue chinois en Ouzbékistan la semaine dernière. "
        "Les deux dirigeants ont promis de renforcer leur coopération."
    )
    c = clean_article(raw(body))
    assert c.language == "fr"
    assert c.codable is False and c.skip_reason == "language:fr"


def test_declared_language_is_trusted() -> None:
    c = clean_article(raw("Leaders met and agreed on the text of the deal.", language="de-DE"))
    assert c.language == "de" and c.skip_reason == "language:de"
    c = clean_article(raw("Le président a parlé avec le ministre de la défense.", language="EN"))
    assert c.language == "en" and c.codable is True


def test_metadata_carried_over() -> None:
    r = RawArticle(id="x9", source="wire", url="https://example.org/a", title="T", body="Body text here.")
    c = clean_article(r)
    assert (c.article_id, c.source, c.url) == ("x9", "wire", "https://example.org/a")
    CleanArticle.model_validate_json(c.model_dump_json())  # round-trips on the wire


def test_details_are_capped() -> None:
    body = "\n\n".join(["."] * 200 + ["Real text."])
    c = clean_article(raw(body))
    assert c.removed.punctuation_only_lines == 200
    assert len(c.removed.details) <= 41 and c.removed.details[-1].startswith("... and")


@pytest.mark.parametrize(
    "body",
    [
        "<" * 5000,
        "&" * 5000,
        "<b>" * 2000,
        "<p class='" + "x" * 5000,
        "<!--" + "a" * 5000,
        "<div>" * 1000 + "text" + "</div>" * 1000,
        "\x00\x01\x1b[31m\u200b" * 1000,
        "\ud800\udfff\ud800" * 1000,
        "&amp;amp;amp;lt;p&amp;gt;" * 1000,
        "\n".join(f"Line number {i} with some words in it" for i in range(3000)),
    ],
    ids=[
        "lt",
        "amp",
        "tags",
        "unclosed-attr",
        "unclosed-comment",
        "nested",
        "controls",
        "surrogates",
        "entities",
        "many-lines",
    ],
)
def test_pathological_bodies_do_not_crash(body: str) -> None:
    c = clean_article(raw(body), max_chars=20_000)
    assert len(c.text) <= 20_000 and c.text == "\n\n".join(c.paragraphs)
    CleanArticle.model_validate_json(c.model_dump_json())


def test_unclosed_tag_in_prose_is_kept_as_text() -> None:
    assert clean_article(raw("Hello <p class='x' there. Bye.")).text == "Hello <p class='x' there. Bye."


def test_html_page_furniture_skipped_but_article_kept() -> None:
    page = """<!DOCTYPE html><html><head><title>Leaders meet | Example News</title>
<style>p { color: red }</style></head><body>
<nav><ul><li>Home</li><li>World</li></ul></nav>
<article><h1>Leaders meet in Geneva</h1>
<p>The foreign ministers met in Geneva on Monday
to discuss a ceasefire, officials said.</p>
<aside><h3>Related</h3><p>Other story</p></aside>
<p>Talks will resume next week.</p>
<button>Share</button>
</article><footer>&copy; 2024 Example News</footer></body></html>"""
    c = clean_article(raw(page, title="Leaders meet in Geneva"))
    assert c.paragraphs == [
        "The foreign ministers met in Geneva on Monday to discuss a ceasefire, officials said.",
        "Talks will resume next week.",
    ]
    assert c.removed.duplicate_titles == 1


def test_unclosed_furniture_tag_does_not_swallow_the_article() -> None:
    c = clean_article(raw("<aside>Related: other story</p><p>The talks resumed on Monday.</p>"))
    assert "The talks resumed on Monday." in c.paragraphs
