"""Word-sized batches: every item once, in order, no run over the budget unless one item is."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from streams.core.batching import word_batches, words


def test_a_long_article_is_coded_alone() -> None:
    sizes = [100, 200, 3000, 50, 60]
    runs = word_batches(sizes, lambda n: n, 1000)
    assert runs == [[100, 200], [3000], [50, 60]]


def test_words_counts_title_and_body() -> None:
    assert words("Putin meets Xi", "The two met in Samarkand.\n\nThey agreed.") == 3 + 7
    assert words(None, "") == 0


@given(
    st.lists(st.integers(min_value=0, max_value=5000), max_size=40), st.integers(min_value=1, max_value=4000)
)
def test_runs_partition_the_input_within_the_budget(sizes: list[int], budget: int) -> None:
    runs = word_batches(sizes, lambda n: n, budget)
    assert [x for run in runs for x in run] == sizes
    for run in runs:
        assert run
        assert sum(run) <= budget or len(run) == 1
    # greedy: a run closes only when the next item would not fit
    for a, b in zip(runs, runs[1:], strict=False):
        assert sum(a) + b[0] > budget
