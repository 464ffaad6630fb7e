from hypothesis import given
from hypothesis import strategies as st

from miniprograms.domain import can_create, can_see, name_key, weighted_length

cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
ascii_printable = st.characters(min_codepoint=0x20, max_codepoint=0x7E)


@given(st.text(), st.text())
def test_weighted_length_adds_up(a: str, b: str) -> None:
    assert weighted_length(a + b) == weighted_length(a) + weighted_length(b)


@given(st.text())
def test_each_character_weighs_one_or_two(text: str) -> None:
    assert len(text) <= weighted_length(text) <= 2 * len(text)


@given(st.text(ascii_printable))
def test_latin_text_weighs_its_length(text: str) -> None:
    assert weighted_length(text) == len(text)


@given(st.text(cjk))
def test_chinese_text_weighs_twice_its_length(text: str) -> None:
    assert weighted_length(text) == 2 * len(text)


def test_full_width_cjk_punctuation_weighs_two_and_ascii_punctuation_one() -> None:
    assert weighted_length("，。！？：；（）【】「」、") == 26
    assert weighted_length(",.!?:;()[]") == 10
    assert weighted_length("中" * 15) == 30
    assert weighted_length("中" * 15 + "a") == 31


def test_only_owners_and_masters_create_and_developers_see_what_they_are_assigned() -> None:
    assert can_create("owner")
    assert can_create("master")
    assert not can_create("developer")
    assert not can_create(None)
    assert can_see("developer", account_id="d", developer_ids=["d"])
    assert not can_see("developer", account_id="d", developer_ids=[])
    assert not can_see(None, account_id="x", developer_ids=["x"])


def test_names_compare_regardless_of_case_and_width() -> None:
    assert name_key("Lunch Box") == name_key("LUNCH BOX")
    assert name_key("Ａｃｍｅ") == name_key("acme")
