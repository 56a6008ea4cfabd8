"""Datelines, photo credits and gallery captions (streams.core.wirecopy), on lines written here."""

from __future__ import annotations

import pytest

from streams.core.wirecopy import split_dateline, strip_credits


@pytest.mark.parametrize(
    ("paragraph", "place", "agency"),
    [
        (
            "TOWNVILLE, Northland — The council voted on Monday to close the bridge.",
            "TOWNVILLE, Northland",
            None,
        ),
        (
            "CAPITAL CITY (Reuters) - The ministry said on Tuesday it would hold talks.",
            "CAPITAL CITY",
            "Reuters",
        ),
        ("PORTOVIA, Sept 20 (AP) — Police said the suspect was arrested.", "PORTOVIA", "AP"),
        ("HARBOUR TOWN (Local Wire): The mayor resigned after the vote.", "HARBOUR TOWN", "Local Wire"),
        ("Riverton — The governor signed the bill into law on Friday.", "Riverton", None),
    ],
)
def test_datelines_are_split_off(paragraph, place, agency):
    line, rest = split_dateline(paragraph)
    assert line is not None and line.place == place and line.agency == agency
    assert rest[0].isupper() and not rest.startswith(("—", "-", ":"))


@pytest.mark.parametrize(
    "paragraph",
    [
        "UPDATE - The numbers have changed again today in the count.",
        "NATO - the alliance said on Monday it would expand its force.",
        "Leaders met in the capital and agreed to talk again next week.",
        "President: We will not allow this to happen again, she said.",
    ],
)
def test_sentences_that_only_look_like_datelines_are_kept(paragraph):
    assert split_dateline(paragraph) == (None, paragraph)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(Jane Doe, File/Associated Press) The deal was signed.", "The deal was signed."),
        ("Enlarge this image toggle caption John Roe/AP John Roe/AP The mayor spoke.", "The mayor spoke."),
        ("Hide Caption 3 of 9 • The minister arrived late.", "The minister arrived late."),
        ("The singer will tour in May (Ann Poe / City Times)", "The singer will tour in May"),
        ("REUTERS/Sam Moe/File Photo Soldiers patrol the border.", "Soldiers patrol the border."),
        # an agency caption without a full stop, run into the text up to its © credit
        (
            "The talks ended. Crowds gather in the square on May 2, 2019 ©Ann Poe The envoy left.",
            "The talks ended. The envoy left.",
        ),
        # a gallery item: photographer, number and year, caption
        ("Jo Roe 3/12 2011 Soldiers march to the barracks. The minister spoke.", "The minister spoke."),
    ],
)
def test_credits_and_captions_are_removed(text, expected):
    out, n = strip_credits(text)
    assert (out, n > 0) == (expected, True)


def test_an_ordinary_parenthesis_stays():
    text = "The treaty (signed in 2010) still holds."
    assert strip_credits(text) == (text, 0)


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("Image caption The minister left the building on Monday", True),
        ("Image copyright Agency Name", True),
        ("Photo: The delegates arrive for the talks.", True),
        ("By Jane Doe, Reuters", True),
        ("By Jane Doe and John Roe", True),
        ("By the end of the week the talks had collapsed and both sides left.", False),
        ("The image caption was wrong, the ministry said.", False),
    ],
)
def test_caption_lines_and_bylines(paragraph, expected):
    from streams.core.wirecopy import furniture_line

    assert furniture_line(paragraph) is expected


def test_a_bare_credit_at_a_captions_end_goes_but_a_sentence_naming_an_agency_stays():
    assert strip_credits("Kim Jong Un watches the launch in Pyongyang. EPA") == (
        "Kim Jong Un watches the launch in Pyongyang.",
        1,
    )
    text = "The agency confirmed the report to AFP."
    assert strip_credits(text) == (text, 0)
