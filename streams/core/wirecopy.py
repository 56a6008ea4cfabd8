"""Furniture of wire and web copy inside paragraphs: datelines, photo credits, captions.

Neither is reporting, and both put names where the coder looks for actors: a dateline
("RAMALLAH, West Bank (Reuters) —") is where the story was filed, a credit ("Mike
Stewart/AP", "(Rick Loomis / Los Angeles Times)", "AFP/Getty Images") who took a picture,
a gallery caption ("Hide Caption 8 of 25 Photos:") page chrome. The cleaner takes them out
of the text; the dateline is kept on the article, where it tells where the story happened
(:attr:`schemas.articles.CleanArticle.dateline`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Agencies and picture desks that sign datelines and credits.
_AGENCY = (
    r"(?:Reuters|REUTERS|AP|A\.P\.|AFP|Associated Press|Xinhua|XINHUA|UPI|Bloomberg|dpa|DPA|ANSA|EFE|"
    r"Anadolu|Yonhap|Kyodo|IANS|PTI|TASS|Interfax|CNN|BBC|IRNA|WAFA|Sputnik|RIA Novosti|Al Jazeera|"
    r"Getty Images|Getty|EPA|AAP|CP|The Canadian Press|NYT|The New York Times|Washington Post)"
)
# "MOSCOW", "NEW YORK", "OFER PRISON, West Bank", "KUNDUZ, Afghanistan", "BEIJING, Sept 20"
_CAPS_PLACE = r"[A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+){0,3}"
_TITLE_PLACE = r"[A-Z][a-z.'’\-]+(?: [A-Z][a-z.'’\-]+){0,2}"
_REGION = r"(?:,\s*[A-Z][A-Za-z.'’\-]+(?: [A-Z][A-Za-z.'’\-]+){0,2})?"
_DAY = r"(?:,\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2})?"
_SEP = r"\s*(?:—|–|--|-|:)\s+"
DATELINE = re.compile(
    r"^(?P<dateline>"
    rf"(?P<caps>{_CAPS_PLACE}){_REGION}{_DAY}\s*(?:\((?P<agency>[A-Z][\w .&'’-]{{1,30}})\))?{_SEP}"
    r"|"
    rf"(?P<title>{_TITLE_PLACE}){_REGION}{_DAY}\s*\((?P<agency2>{_AGENCY})\){_SEP}"
    r"|"
    rf"(?P<title2>{_TITLE_PLACE}){_REGION}{_DAY}\s*(?:—|–|--)\s+"
    r")"
)
# An all-caps word run that is a shouted headline or an acronym sentence, not a place.
_NOT_PLACES = frozenset(
    {"UPDATE", "BREAKING", "EXCLUSIVE", "WATCH", "VIDEO", "PHOTOS", "LIVE", "OPINION", "FILE", "FILE PHOTO"}
)

CREDITS = re.compile(
    "|".join(
        (
            # "(Richard Drew, File/Associated Press)", "(Rick Loomis / Los Angeles Times)", "(Photo: AFP)"
            r"\((?:[^()]{0,60}?(?:/|\bPhoto:|\bPhotograph:|\bFile\b)[^()]{0,60}?)\)",
            rf"\([^()]{{0,40}}\b{_AGENCY}\)",
            # "Mike Stewart/AP", "AFP/Getty Images", "REUTERS/Muhammad Hamed/File Photo"
            rf"(?:[A-Z][\w.'’\-]+ ){{0,3}}[A-Z][\w.'’\-]+ ?/ ?{_AGENCY}(?:/[\w ]{{1,30}}?(?:Photo|Images))?",
            rf"{_AGENCY} ?/ ?(?:[A-Z][\w.'’\-]+ ?){{1,3}}(?:/ ?File Photo)?",
            # "VLERICK BUSINESS SCHOOL•GETTY"
            r"[A-Z][A-Z ]{2,40}•(?:GETTY|AP|AFP|REUTERS|EPA)",
            # a caption's bare credit at its end, without a full stop ("… in Pyongyang. EPA")
            r"(?<=[\w.,”\"'])\s+(?:EPA|AFP|AP|REUTERS|Reuters|Getty Images|Xinhua|KCNA|Yonhap)$",
            # an agency caption run into the text, up to its credit: "People lay flowers in
            # Nice on July 15, 2016 ©Anne-Christine Poujoulat" (the caption has no full stop;
            # the earliest word start wins, so captions run together go one after another)
            r"(?:^|(?<=\s))[^.!?©]{0,300}©\s?[A-Z][\w.'’\-]+(?: [A-Z][\w.'’\-]+)?",
            # a gallery item: photographer, its number and year, and its caption sentence
            # ("Paula Bronstein 8/16 2009 An elderly man holds his granddaughter …")
            r"(?:[A-Z][\w.'’\-]+ ){1,3}\d{1,2}/\d{1,2} (?:19|20)\d\d [^.!?]*[.!?]",
            # gallery chrome
            r"Hide Caption \d+ of \d+(?: Photos:)?",
            # a bracketed picture credit opening a paragraph ("[Photo/Agencies] UNITED NATIONS --")
            r"^\[(?:Photo|Video|Image)(?:/[^\[\]]{1,40})?\]",
            r"\bPhotos?: ",
            r"(?:Image|Picture) (?:copyright|caption) ",
            r"Enlarge this image toggle caption",
        )
    )
)


@dataclass(frozen=True)
class Dateline:
    text: str  # as written, without its separator: "RAMALLAH, West Bank (Reuters)"
    place: str  # "RAMALLAH, West Bank"
    agency: str | None


def split_dateline(paragraph: str) -> tuple[Dateline | None, str]:
    """(the dateline, the paragraph after it); (None, paragraph) when it opens with none."""
    m = DATELINE.match(paragraph)
    if m is None:
        return None, paragraph
    rest = paragraph[m.end() :]
    place_head = m.group("caps") or m.group("title") or m.group("title2") or ""
    if place_head.strip(".") in _NOT_PLACES or len(rest.split()) < 4 or not rest[:1].isupper():
        return None, paragraph
    raw = m.group("dateline").rstrip(" —–-:")
    agency = m.group("agency") or m.group("agency2")
    place = re.sub(r"\s*\([^)]*\)$", "", raw).strip()
    place = re.sub(_DAY.replace("(?:,", "(?:,", 1) + "$", "", place).strip().rstrip(",")
    return Dateline(text=raw, place=place, agency=agency), rest


CAPTION_LINE = re.compile(
    r"^(?:(?:Image|Picture|Photo|Video) (?:copyright|caption|credit)|Photo:|Photograph:|Caption:)\s",
    re.IGNORECASE,
)
BYLINE = re.compile(
    r"^By [A-Z][\w.'’\-]+(?: [A-Z][\w.'’\-]+){0,3}(?:,? (?:and|&) [A-Z][\w.'’\-]+(?: [A-Z][\w.'’\-]+){0,3})?"
    r"(?:,? [A-Z][\w ]{0,40})?$"
)


def furniture_line(paragraph: str) -> bool:
    """A whole paragraph that is a caption line ("Image caption ...", "Photo: ...") or a
    byline ("By Jane Doe, Reuters")."""
    if len(paragraph.split()) > 40:
        return False
    return bool(CAPTION_LINE.match(paragraph) or BYLINE.match(paragraph))


def strip_credits(text: str) -> tuple[str, int]:
    """Photo credits and gallery captions taken out of a paragraph, and how many."""
    out, n = CREDITS.subn(" ", text)
    if not n:
        return text, 0
    out = re.sub(r"[ \t]{2,}", " ", out).strip().lstrip("•·|").strip()
    out = re.sub(r"\s+([,.;:])", r"\1", out)
    return out, n


__all__ = ["CREDITS", "DATELINE", "Dateline", "furniture_line", "split_dateline", "strip_credits"]
