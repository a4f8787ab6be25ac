"""docmgr.text on real Vietnamese cases."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from docmgr.text import (
    clean_lines,
    detect_legacy_encoding,
    fold,
    folded_key,
    join_lines,
    normalize,
    number_folded_key,
    number_key,
    search_key,
)


@pytest.mark.parametrize("a, b", [
    ("hoà", "hòa"), ("Hoà Bình", "Hòa Bình"), ("uỷ ban", "ủy ban"), ("UỶ BAN", "ỦY BAN"), ("thuỷ lợi", "thủy lợi"),
    ("khoẻ", "khỏe"), ("hoá đơn", "hóa đơn"), ("Thuý", "Thúy"), ("TOÀ ÁN", "TÒA ÁN"),
    # decomposed input (NFD) equals precomposed
    ("Vie\u0302\u0323t Nam", "Việt Nam"),
])
def test_tone_placement_variants_compare_equal(a, b):
    assert normalize(a) == normalize(b)
    assert search_key(a) == search_key(b)


@pytest.mark.parametrize("word", ["quý", "quà", "hoàng", "khuyến", "toán", "thuở", "giày", "ngoài"])
def test_tone_placement_leaves_other_syllables_alone(word):
    assert normalize(word) == word


@pytest.mark.parametrize("text, folded", [
    ("Đồng Nai", "Dong Nai"), ("đường Hồ Chí Minh", "duong Ho Chi Minh"), ("Quảng Ngãi", "Quang Ngai"),
    ("Nghị định 30/2020/NĐ-CP", "Nghi dinh 30/2020/ND-CP"), ("Thượng khẩn", "Thuong khan"),
    ("QUYẾT ÐỊNH số 15/2014/QÐ-UBND", "QUYET DINH so 15/2014/QD-UBND"),  # the eth, «Đ»'s look-alike
])
def test_fold_removes_diacritics_and_maps_d_stroke(text, folded):
    assert fold(text) == folded


def test_folding_merges_different_words_so_exact_keys_stay():
    assert folded_key("bán") == folded_key("bạn") == folded_key("ban")
    assert len({search_key("bán"), search_key("bạn"), search_key("ban")}) == 3


@pytest.mark.parametrize("variant", ["65/kh-ubnd", "65/KH - UBND", "65 / KH-UBND", "65/KH\u2013UBND"])
def test_number_keys(variant):
    assert number_key(variant) == number_key("65/KH-UBND")


def test_number_folded_key_matches_without_accents_but_keeps_codes_apart():
    assert number_folded_key("30/2020/ND-CP") == number_folded_key("30/2020/NĐ-CP")
    assert number_key("01/HD-UBND") != number_key("01/HĐ-UBND")


@pytest.mark.parametrize("text, cleaned", [
    ("a\nb\n\nc", "a\nb\n\nc"),  # clean already: as it is
    ("a\n\n\nb", "a\n\nb"), ("a \nb", "a\nb"), ("a\n \n\nb", "a\n\nb"), ("\na", "a"), ("a\n", "a"),
    ("a\n\f\nb", "a\n\nb"), ("a\u00a0\nb", "a\nb"), ("a\u200b\n\u00a0\n\nb", "a\n\nb"),
])
def test_clean_lines_whether_or_not_the_text_is_clean_already(text, cleaned):
    assert clean_lines(text) == cleaned and clean_lines(cleaned) == cleaned


def test_the_eth_is_the_vietnamese_d_in_a_vietnamese_text_only():
    """A Vietnamese text converted from a legacy encoding may spell «Đ» with its look-alike, the eth: the parser
    and the search then would not know «QUYẾT ÐỊNH» or «QÐ-UBND». In a text with no Vietnamese letter (a
    phonetic transcription) it stays."""
    assert clean_lines("QUYẾT ÐỊNH\nSố: 15/2014/QÐ-UBND, HÐND tỉnh, ðiều") == (
        "QUYẾT ĐỊNH\nSố: 15/2014/QĐ-UBND, HĐND tỉnh, điều")
    assert clean_lines("[xoˈse ðaˈnjel] Ðorðe") == "[xoˈse ðaˈnjel] Ðorðe"


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from("ab \n\r\t\f\v\u00a0\u00ad\u2003\u2028\u200b\ufeffu\u0302\u0309ð")))
@example("a\ufeff\u0302")  # a mark an invisible character kept apart from its letter: NFC joins them once it is gone
def test_a_cleaned_text_is_clean(text):
    """clean_lines hands back the text it returned last as it is: that must be what cleaning it again gives."""
    cleaned = clean_lines(text)
    assert clean_lines(cleaned) is cleaned
    assert clean_lines(("x" + cleaned)[1:]) == cleaned  # a copy of it is cleaned again: the same text


def test_clean_lines_and_join_lines():
    assert clean_lines("a  \r\n\r\n\r\n\r\nb\u00adc\u00a0d") == "a\n\nbc d"
    assert join_lines(["Sở Lao động -", "Thương binh và  Xã hội"]) == "Sở Lao động - Thương binh và Xã hội"


@pytest.mark.parametrize("text, encoding", [
    ("Céng hßa x· héi chñ nghÜa ViÖt Nam §éc lËp - Tù do - H¹nh phóc Sè: 12/UBND", "TCVN3"),
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam Ñoäc laäp - Töï do - Haïnh phuùc", "VNI"),
])
def test_legacy_encodings_are_detected(text, encoding):
    found = detect_legacy_encoding(text)
    assert found is not None and found.encoding == encoding
    assert "bảng mã cũ" in found.message


def test_unicode_vietnamese_is_not_flagged():
    assert detect_legacy_encoding("Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc. Hóa đơn, cà phê.") is None
