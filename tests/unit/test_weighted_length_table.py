"""The weighted-length table the console's rule is tested against (tests/fixtures/
weighted_length.json) says what the server's rule says: case by case, code point by code point.

If this fails, the server's rule (miniprograms.domain) and the table disagree: either the
rule changed by mistake, or on purpose and the table (and so the console's copy) must follow:
`.venv/bin/python console/scripts/weighted-length-table.py`.
"""

import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from miniprograms.domain import _weighs_two, weighted_length

TABLE_PATH = Path(__file__).resolve().parents[1] / "fixtures" / "weighted_length.json"
TABLE: dict[str, Any] = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = TABLE["cases"]


def _ranges(codes: list[int]) -> list[list[int]]:
    """Consecutive code points as [first, last] ranges."""
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return ranges


def test_the_table_was_made_with_this_unicode_version() -> None:
    # The ranges follow the Unicode database of the Python that computed them.
    assert TABLE["unicode_version"] == unicodedata.unidata_version


@pytest.mark.parametrize("case", CASES, ids=[c["note"] for c in CASES])
def test_each_case_weighs_what_the_server_says(case: dict[str, Any]) -> None:
    assert weighted_length(case["text"]) == case["weight"]
    # What the validators compare with the limits: the text trimmed first.
    assert weighted_length(case["text"].strip()) == case["trimmed_weight"]


def test_the_cases_cover_what_a_client_copy_gets_wrong() -> None:
    """Weights of one and two, astral code points, and texts whose trim changes the weight."""
    texts = [c["text"] for c in CASES]
    assert len(CASES) >= 30
    assert any(c["weight"] == 2 * len(c["text"]) > 0 for c in CASES)  # all weigh two
    assert any(c["weight"] == len(c["text"]) > 0 for c in CASES)  # all weigh one
    assert any(any(ord(ch) > 0xFFFF for ch in t) for t in texts)  # UTF-16 surrogate pairs
    assert any(c["weight"] != c["trimmed_weight"] for c in CASES)


def test_exactly_the_listed_code_points_weigh_two() -> None:
    weighing_two = [code for code in range(sys.maxunicode + 1) if _weighs_two(chr(code))]
    assert _ranges(weighing_two) == TABLE["weighs_two_ranges"]


def test_exactly_the_listed_code_points_are_trimmed() -> None:
    trimmed = [code for code in range(sys.maxunicode + 1) if not chr(code).strip()]
    assert trimmed == TABLE["whitespace"]
