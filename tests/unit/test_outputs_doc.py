"""docs/outputs.md prints the column tables the code writes (``python -m streams.adapters.columns``)."""

from pathlib import Path

import pytest

from streams.adapters import columns

DOC = Path(__file__).resolve().parents[2] / "docs" / "outputs.md"


@pytest.mark.parametrize("kind", sorted(columns.KINDS))
def test_the_documented_columns_are_the_written_ones(kind: str) -> None:
    table = f"<!-- columns:{kind} -->\n{columns.markdown_table(columns.KINDS[kind])}<!-- /columns:{kind} -->"
    assert table in DOC.read_text(encoding="utf-8"), (
        "docs/outputs.md is stale: paste the output of `python -m streams.adapters.columns`"
    )
