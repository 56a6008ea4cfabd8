"""The story-level gate (streams.core.topic), on word lists written for the test."""

from __future__ import annotations

from streams.core.topic import score


def words(text: str, times: int = 1) -> list[str]:
    return text.split() * times


def test_a_political_story_passes():
    text = "The government said the minister met the ambassador and the opposition party protested"
    s = score(words(text, 8))
    assert s.political


def test_a_sports_story_is_off_topic():
    text = "The team won the match after the coach brought on the striker and the fans cheered the goal"
    assert not score(words(text, 8)).political


def test_politics_in_a_business_story_must_match_the_business_words():
    business = "shares investors profit revenue market company earnings quarter"
    assert not score(words(business, 10) + words("government", 3)).political
    assert score(words(business, 2) + words("government minister sanctions embassy", 3)).political


def test_a_short_item_gets_the_benefit_of_the_doubt_unless_a_rival_leads():
    assert score(words("Ecuador has granted asylum to the activist")).political
    assert not score(words("The striker scored twice as the team won the final")).political


def test_a_long_story_without_politics_is_off_topic():
    filler = "the quick brown fox jumped over a lazy dog near the river bank today"
    assert not score(words(filler, 10)).political


def test_economic_vocabulary_marks_a_business_story_not_a_short_item():
    economy = "the debt deficit exports oil sector investment jobs"
    politics = "government minister"
    story = words(economy, 10) + words(politics, 4) + words("the a of in and to it", 10)
    s = score(story)
    assert s.rival == ("business", 70) and not s.political
    item = words("the government cut tariffs on exports of oil and gas to narrow the deficit")
    s = score(item)
    assert s.words < 80 and s.rival == ("", 0) and s.political


def test_in_a_long_story_politics_must_lead_its_rival_by_a_quarter():
    filler = words("the a of in and to it was on for", 10)
    business = words("shares investors profit revenue market", 2)  # 10 business words
    assert not score(filler + business + words("government minister", 6)).political  # 12 vs 10
    assert score(filler + business + words("government minister", 7)).political  # 14 vs 10


def test_party_and_parliament_vocabulary_is_political():
    s = score(words("Labour MPs and the Tories in the Commons attacked the chancellor 's policy"))
    assert s.politics == 6  # Labour MPs Tories Commons chancellor policy
