"""The real coder, loaded once for the pipeline tests."""

from __future__ import annotations

import pytest

from streams.adapters.nlp import load_coder


@pytest.fixture(scope="session")
def coder():
    return load_coder()
