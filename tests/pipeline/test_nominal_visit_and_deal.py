"""A nominal visit's host hosts (043), and "deal with" is handling, not cooperation (coder
0.9.5), by the real model and codebook on sentences written for wirewatch."""

from __future__ import annotations

from readkit import codings


def test_the_host_of_a_nominal_visit_hosts(coder):
    found = set(codings(coder, "The Japanese prime minister's visit to China began with a banquet."))
    assert ("042", "JPNGOV", "CHN") in found, found
    assert ("043", "CHN", "JPNGOV") in found, found
    assert ("042", "CHN", "JPNGOV") not in found


def test_dealing_with_claims_is_no_cooperation(coder):
    assert codings(coder, "The minister dealt with claims that the government had misled Parliament.") == []
