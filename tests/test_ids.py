"""Product ids as people write them, read one way everywhere."""

from __future__ import annotations

from tools.ids import MAX_ID_LENGTH, id_candidates, id_key


def test_shorthand_spellings_reach_the_p_number():
    for written in ("P42", "p0042", "product 42", "item #42", "#42", "42", "id 42"):
        assert "P0042" in id_candidates(written), written
    assert id_candidates("SKU-9")[:2] == ["SKU-9"]  # other ids are tried as written, then upper-cased


def test_keys_compare_spellings_of_the_same_product():
    assert id_key("P0042") == id_key("p42") == id_key("42") == "42"
    assert id_key("Sku-9") == id_key("SKU-9") != id_key("P9")


def test_huge_ids_are_not_numbers_and_cost_nothing():
    zeros = "0" * 20_000
    assert id_candidates(zeros) == [zeros]  # no P-number guess, and no int() of 20,000 digits
    spaced = "#" + " " * 20_000 + "1"
    assert id_candidates(spaced) == [spaced]
    long_number = "P" + "1" * (MAX_ID_LENGTH - 1)
    assert id_candidates(long_number) == [long_number]  # 63 digits: more than a P-number has
