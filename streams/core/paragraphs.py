"""Paragraph breaks are sentence breaks.

spaCy's parser sometimes carries a closing quotation mark and the blank line after a
paragraph into the next paragraph's first sentence (`interests."` + `"\n\nPutin …`), so
evidence would start with a stray quote and cross a paragraph. Marking the first token
after a blank line as a sentence start before the parser runs prevents it; the parser
keeps boundaries that are already set.
"""

from __future__ import annotations

from spacy.tokens import Doc


def mark_paragraph_starts(doc: Doc) -> Doc:
    after_break = False
    for token in doc:
        if token.is_space:
            if "\n\n" in token.text:
                after_break = True
            continue
        if after_break:
            token.is_sent_start = True
            after_break = False
        elif "\n\n" in token.whitespace_:
            after_break = True
    return doc
