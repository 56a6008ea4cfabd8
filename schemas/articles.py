"""Articles: what arrives on the raw topic and what the cleaner makes of it."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from schemas.base import AwareDatetime, Emitted, Ingested


class RawArticle(Ingested):
    """A news article as it arrives from a feed (``wire.articles.raw.v1``)."""

    schema_id: Literal["raw_article.v1"] = "raw_article.v1"
    id: str = Field(min_length=1, max_length=512)
    source: str = ""
    url: str | None = None
    published_at: AwareDatetime | None = None
    title: str = ""
    body: str = ""
    language: str | None = None


class CleaningReport(Emitted):
    """What the cleaner removed or fixed, counted, so a reader can audit it."""

    duplicate_paragraphs: int = 0
    near_duplicate_paragraphs: int = 0
    duplicate_titles: int = 0
    punctuation_only_lines: int = 0
    boilerplate_lines: int = 0
    html_tags: int = 0
    artefacts_fixed: int = 0
    details: list[str] = Field(default_factory=list)


class CleanArticle(Emitted):
    """A cleaned article (``wire.articles.clean.v1``, keyed by ``article_id``)."""

    schema_id: Literal["clean_article.v1"] = "clean_article.v1"
    article_id: str
    source: str = ""
    url: str | None = None
    published_at: AwareDatetime | None = None
    title: str
    paragraphs: list[str]
    text: str = Field(description="paragraphs joined by a blank line; evidence offsets point into it")
    truncated: bool = False
    dateline: str | None = Field(
        default=None, description='where the story was filed, as its dateline says: "RAMALLAH, West Bank"'
    )
    language: str | None = None
    codable: bool = True
    skip_reason: str | None = Field(
        default=None, description="why the article is not coded, e.g. non-English"
    )
    removed: CleaningReport = Field(default_factory=CleaningReport)
