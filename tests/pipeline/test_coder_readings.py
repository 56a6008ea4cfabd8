"""Readings of whole sentences by the real model and codebook (sentences written for wirewatch):
who faces whom when subjects are coordinated, forecasts, reporters' questions, captions."""

from __future__ import annotations

from readkit import codings as events


def test_coordinated_subjects_each_doing_the_act_do_not_face_each_other(coder):
    found = events(
        coder, "The Netherlands, Portugal and the Czech Republic have announced their imminent withdrawal."
    )
    assert found and all(target is None for _, _, target in found)
    assert {source for _, source, _ in found} == {"NLD", "PRT", "CZE"}


def test_coordinated_subjects_of_an_interaction_face_each_other(coder):
    found = events(coder, "Israel and the Palestinians renewed negotiations.")
    assert {(source, target) for _, source, target in found} == {("ISR", "PSE"), ("PSE", "ISR")}


def test_a_forecast_is_not_an_event(coder):
    assert events(coder, "Russia is likely to reject the proposal from Japan.") == []
    assert events(coder, "Russia rejected the proposal from Japan.")


def test_a_reporters_question_is_not_an_appeal(coder):
    found = events(coder, "Asked whether China would investigate, the spokesman said he had no comment.")
    assert not any(code.startswith("02") for code, _, _ in found)


def test_a_country_that_only_locates_a_situation_does_not_act(coder):
    assert events(coder, "The war in Iraq has provoked dissent from backbenchers.") == []
    assert ("111", "GBR", "IRQ") in events(coder, "Britain condemned the war in Iraq.")


def test_a_pronoun_refers_to_its_clauses_own_subject_before_an_earlier_official(coder):
    context = "President Francois Hollande spoke in Paris. "
    sentence = (
        "The driver, a Tunisian resident in France, also appeared to open fire before officers shot him dead."
    )
    assert not any(target == "FRAGOV" for _, _, target in events(coder, sentence, context))
    # the speaker's own pronoun still refers to him
    assert ("036", "RUSGOV", "TURGOV") in events(coder, "Putin said he would meet Erdogan.")
