"""Paragraph breaks become sentence starts before the parser runs (no model: a blank tokenizer)."""

import spacy

from streams.core.paragraphs import mark_paragraph_starts


def test_first_token_after_a_blank_line_starts_a_sentence():
    nlp = spacy.blank("en")
    doc = mark_paragraph_starts(nlp('He promised "core interests."\n\nPutin praised Xi.\nNot a paragraph.'))
    starts = [t.text for t in doc if t.is_sent_start]
    assert "Putin" in starts
    assert '"' not in starts[1:]
    # a single newline is not a paragraph break: no boundary is forced there
    assert doc[[t.text for t in doc].index("Not")].is_sent_start is None


def test_text_without_breaks_is_left_to_the_parser():
    doc = mark_paragraph_starts(spacy.blank("en")("One sentence. Another one."))
    assert all(t.is_sent_start is None for t in doc[1:])
