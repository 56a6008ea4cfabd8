"""Language of an article: English or not, and which language when not.

Two tiers, because the stream is overwhelmingly English and detection runs per
article. First a stopword ratio over the opening words decides "English" in
microseconds (English prose is ~40% function words; no other language shares
this list). Only text that fails it goes to py3langid, a deterministic naive
Bayes identifier whose model ships inside the package (no download, no random
seed, unlike langdetect), restricted to the languages a news stream carries so
short texts are not labelled with a rare dialect. Its model (~1 s, ~120 MB) is
loaded once, on the first article that needs it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Languages the identifier may answer (ISO 639-1). A language outside the list is
# reported as its nearest listed neighbour: still "not English", which is what counts.
CANDIDATE_LANGUAGES: tuple[str, ...] = (
    "ar", "bg", "bn", "ca", "cs", "da", "de", "el", "en", "es", "et", "fa", "fi", "fr", "he",
    "hi", "hr", "hu", "id", "it", "ja", "ko", "lt", "lv", "ms", "nl", "no", "pl", "pt", "ro",
    "ru", "sk", "sl", "sr", "sv", "sw", "th", "tr", "uk", "ur", "vi", "zh",
)  # fmt: skip

# Common English function words that are not words in the other candidate languages'
# usual vocabulary ("a", "in", "is", "me", "die" ... are left out for that reason).
_ENGLISH_STOPWORDS = frozenset(
    "the of and to that for on with was were be been by it its from at as this are have has had "
    "will would not but they their them he his she her we our you your which who what when "
    "said says an or also after about than there more into over could should these those "
    "its being other only then some such".split()
)

SAMPLE_CHARS = 3000  # the opening of an article says which language it is in
MIN_LETTERS = 15  # below this, no verdict: too little text to be sure either way
ENGLISH_STOPWORD_RATIO = 0.2
MIN_CONFIDENCE = 0.5  # py3langid's normalised probability needed to call a text non-English

_ALIASES = {"eng": "en", "english": "en"}


def normalise_code(code: str) -> str:
    """``"en-US"``, ``"EN"``, ``"eng"`` → ``"en"``; other tags to their lowercased primary subtag."""
    primary = code.strip().replace("_", "-").split("-", 1)[0].lower()
    return _ALIASES.get(primary, primary)


def is_english(code: str) -> bool:
    return normalise_code(code) == "en"


_LETTERS = re.compile(r"[^\W\d_]+")  # runs of letters (\w less digits and "_")


def _words(text: str) -> list[str]:
    return _LETTERS.findall(text[:SAMPLE_CHARS].lower())


def english_stopword_ratio(text: str) -> float:
    words = _words(text)
    if not words:
        return 0.0
    return sum(1 for w in words if w in _ENGLISH_STOPWORDS) / len(words)


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(CANDIDATE_LANGUAGES))
    return identifier


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``, or None when there is too little text to tell."""
    sample = text[:SAMPLE_CHARS]
    words = _words(sample)
    if sum(map(len, words)) < MIN_LETTERS:
        return None
    if sum(1 for w in words if w in _ENGLISH_STOPWORDS) / len(words) >= ENGLISH_STOPWORD_RATIO:
        return "en"
    code, confidence = _identifier().classify(sample)
    if code != "en" and confidence < MIN_CONFIDENCE:
        return None
    return str(code)


def language_of(declared: str | None, text: str) -> str | None:
    """The declared language when the feed gives one (trusted), else the detected one."""
    if declared and declared.strip():
        return normalise_code(declared)
    return detect_language(text)
