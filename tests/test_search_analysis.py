"""Vietnamese analysis and the query language: tables of real cases (no index needed)."""

import pytest

from docmgr.search.analysis import Postings, exact_terms, folded_terms, looks_like_number
from docmgr.search.query import Number, QueryError, Words, parse


@pytest.mark.parametrize("text, exact, folded", [
    ("Văn hoá", ["văn", "hóa"], ["van", "hoa"]),           # new-style tone placement → one form
    ("văn hóa", ["văn", "hóa"], ["van", "hoa"]),
    ("Thuỷ lợi", ["thủy", "lợi"], ["thuy", "loi"]),
    ("Uỷ ban nhân dân", ["ủy", "ban", "nhân", "dân"], ["uy", "ban", "nhan", "dan"]),
    ("QUÝ IV", ["quý", "iv"], ["quy", "iv"]),               # qu- keeps its mark
    ("Đồng Nai", ["đồng", "nai"], ["dong", "nai"]),          # đ folds by hand
    ("ở a to ô", ["ở", "a", "to", "ô"], ["o", "a", "to", "o"]),  # every syllable, no stop list
    ("Số 65/KH-UBND", ["số", "65", "kh", "ubnd"], ["so", "65", "kh", "ubnd"]),
    ("hoà bình, HOÀ BÌNH", ["hòa", "bình", "hòa", "bình"], ["hoa", "binh", "hoa", "binh"]),
    ("Nghị định 30/2020/NĐ-CP", ["nghị", "định", "30", "2020", "nđ", "cp"],
     ["nghi", "dinh", "30", "2020", "nd", "cp"]),
    ("Vie\u0302\u0323t Nam", ["việt", "nam"], ["viet", "nam"]),  # decomposed input
])
def test_terms(text, exact, folded):
    assert exact_terms(text) == exact
    assert folded_terms(text) == folded


def test_postings_positions_and_merge():
    p = Postings("Văn hoá", "văn hóa và bán ban")
    assert list(p.exact["hóa"]) == [1, 103]  # subject, then the body after a gap
    assert list(p.folded["ban"]) == [105, 106]  # "bán" and "ban" fold together, in order
    assert list(p.exact["bán"]) == [105] and list(p.exact["ban"]) == [106]
    assert p.length == 7


@pytest.mark.parametrize("text, is_number", [
    ("65/KH-UBND", True), ("65/kh-ubnd", True), ("65/KH - UBND", True), ("30/2020/NĐ-CP", True),
    ("43-CTr/TU", False), ("văn hóa", False), ("2024", False), ("1234/QĐ-BYT", True),
])
def test_number_detection(text, is_number):
    assert looks_like_number(text) is is_number


def test_plain_words_all_must_match():
    q = parse("văn hóa")
    assert q.alternatives == [[Words(["văn"], ["van"]), Words(["hóa"], ["hoa"])]]


def test_phrase_or_not_and_number():
    q = parse('"ủy ban nhân dân" kế hoạch OR chương trình -dự NOT thảo')
    assert [[w.text for w in alt] for alt in q.alternatives] == [['"ủy ban nhân dân"', "kế", "hoạch"],
                                                                  ["chương", "trình"]]
    assert [w.text for w in q.exclude] == ["dự", "thảo"]
    number = parse("Kế hoạch 65/KH - UBND").alternatives[0][2]
    assert isinstance(number, Number) and number.key == "65/KH-UBND"
    assert parse("30/2020/ND-CP").alternatives[0][0].key == parse("30/2020/NĐ-CP").alternatives[0][0].key


def test_field_filters_with_and_without_diacritics():
    q = parse('so:65/kh-ubnd loại:"quyết định" coquan:"UBND tỉnh" nguoiky:Tuấn linhvuc:y tế năm:2024 '
              'tu:3/2024 den:20/3/2024 huong:di')
    filters = {f.name: f.value for f in q.filters}
    assert filters == {"number": "65/KH-UBND", "doc_type": "QĐ",
                       "issuer_f": [["ubnd", "tinh"], ["uy", "ban", "nhan", "dan", "tinh"]],  # spelled out too
                       "signer_f": [["tuan"]], "sector_f": [["y"]], "year": "2024", "direction": "outgoing"}
    assert {f.name: f.value for f in parse("so:453").filters} == {"number_seq": "453"}
    bare = parse("453").alternatives[0][0]
    assert isinstance(bare, Number) and bare.sequence and bare.key == "453"
    assert q.alternatives == [[Words(["tế"], ["te"])]]
    assert (q.date_from.isoformat(), q.date_to.isoformat()) == ("2024-03-01", "2024-03-20")


def test_colon_in_text_is_not_a_field():
    assert [w.text for w in parse("Điều 5: thi hành").alternatives[0]] == ["điều", "5", "thi", "hành"]


@pytest.mark.parametrize("text, message", [
    ('"ủy ban', "ngoặc kép"),
    ("OR kế hoạch", "OR"),
    ("kế hoạch OR", "OR"),
    ("nam:24", "4 chữ số"),
    ("tu:31/2/2024", "không hợp lệ"),
    ("loai:abc", "Không có loại văn bản"),
    ("huong:len", "huong:den"),
    ("tu:1/5/2024 den:1/3/2024", "sau ngày"),
    ("văn " * 200, "quá dài"),
    ("kế hoạch NOT", "NOT"),
])
def test_malformed_queries_explain_themselves(text, message):
    with pytest.raises(QueryError, match=message):
        parse(text)
