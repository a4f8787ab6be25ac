"""The closing part of a document: recipients (Nơi nhận) and signature block."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from docmgr.extraction.header import is_motto, known_spelling
from docmgr.extraction.names import (
    ABBREVIATIONS,
    TITLE_WORDS,
    is_title_text,
    mend_given_names,
    mend_surname,
    mend_titles,
    person_case,
    split_titles,
    starts_with_body_kind,
    starts_with_surname,
)
from docmgr.text import folded_key, is_upper_text, join_lines, search_key
from docmgr.text.syllables import is_syllable


# «Nơi nhận::», «-_ Nơi nhận:»: specks a scan's OCR read after the label or before it
# (after specks, only a label with its colon: «- Nơi nhận hồ sơ, hình thức …» is an item of a body's list)
# (and «Nơi nhộn:», «Nơi nhân:», «Nơi nhậu:»: the label's vowel, its mark or its last letter misread, with its
# colon)
_RECIPIENTS_RE = re.compile(
    r"^(?:(?:Nơi nhận|NƠI NHẬN|Nơi gửi)\s*:?|[-–_.'`~]{1,3}\s?(?:Nơi nhận|NƠI NHẬN|Nơi gửi)\s*:"
    r"|Nơi nh[aăâôơáàảãạắằẳẵặấầẩẫậốồổỗộớờởỡợ]n\s*:|Nơi nhậ[uư]\s*:"
    r"|Nơi \S nhận\s*:"  # «Nơi i nhận:»: a speck read as a letter between its words
    r"|nhận\s*:(?=\s*$))[:;.]*\s*(.*)$",  # «nhận:» alone on its line: OCR lost «Nơi» (a stamp's edge, a fold)
    re.IGNORECASE)
# An item's dash, also as OCR reads it: «= », «~ », «: », «¬ », «_- », «._= », «~-», «.~- »
_BULLET_RE = re.compile(r"^[_.~]{0,2}(?:[-–—+•*]|[=~:¬](?=\s))\s*")
_SIGNED_RE = re.compile(
    r"^[(\[]?\s*(đã ký|đã kí|da ky|daky|ký|kí|chữ ký|signed|ký tên|ký, ghi rõ|ký và ghi rõ|đóng dấu)[^)\]]*[)\]]?\.?$",
    re.IGNORECASE,
)
_NAME_PREFIX_RE = re.compile(
    r"^(?:(?:GS|PGS|TS|ThS|BS|KS|CN|LS|NGƯT|NGND|TTƯT|Ths|Tiến sĩ|Thạc sĩ|Bác sĩ|Kỹ sư|"
    r"Đại tướng|Thượng tướng|Trung tướng|Thiếu tướng|Đại tá|Thượng tá|Trung tá|Thiếu tá|Đồng chí)\.?\s*)+",
)
_NAME_WORD_RE = re.compile(r"^[^\W\d_]+$")
# «Trương Công Thái 2», «… ,», «Nguyễn Anh Chức Ễ» (a lone marked letter: an initial would be plain, «Văn A»)
_TRAILING_SPECK_RE = re.compile(r"(?<=[^\W\d_])\s+(?:\d{1,2}|[^\w\s]{1,2}|[^\W\d_a-zA-Z])$")
_HEADING_RE = re.compile(r"^([IVXLC]+|\d+|[a-zđ])[.)]\s|^(Điều|Chương|Mục|Phần|PHỤ LỤC|Phụ lục)\b", re.IGNORECASE)


_NOT_TITLES = {"XÁC THỰC VĂN BẢN HỢP NHẤT", "XÁC THỰC VĂN BẢN", "HỢP NHẤT"}  # a consolidated text's attestation


@dataclass
class Closing:
    recipients: list[str] = field(default_factory=list)
    signer: str | None = None
    signer_title: str | None = None
    recipients_at: int | None = None
    prefix_told: bool = False  # the title's first prefix, lost by a scan, told by the «KT.» line under it
    deputy_told: bool = False  # a «KT.» lost by a scan, told by the deputy's title under the head's


# What OCR makes of the list's fixed abbreviations: «(để b/c)» read «(đế b/©)», «(b/€)», «(b/C)»; the
# records office's own «Lưu: VT» read «Lưu: VI». Neither misreading is in any page of the corpus.
# «Lưu: VT; CS» (a comma read as a semicolon between the records office's abbreviations; «VT; Cục …» as typed
# stays), «Lưu: VTF, CS»; «Cống TTĐT» (a culvert) for «Cổng», «Phố CT» for «Phó», «Chỉ cục» for «Chi cục»,
# «Tống Bí thư» (a surname) for «Tổng»; «(để th)», «(để thiện)» for «(để t/h)», «(để t/hiện)», «(để b/» at the end;
# «Tỉnhủy» run together; «;,» (a speck before a comma).
# («(đế-b/c)»: a speck for the space)
_MISREAD_FIXES = ((re.compile(r"\((?:đế|để)(?:\s+|\s?-\s?)b/"), "(để b/"), (re.compile(r"\bb/\s?[€©C]\)"), "b/c)"),
                  # «(đế báo cáo)», «(đề b/c)», «(đế t/h)»: the note's «để» misread; «… các đoàn thế» for «đoàn
                  # thể» at the end
                  (re.compile(r"\(đ[ếề]\s+(?=b/|báo|biết|t/|thực|p/|phối|chỉ|theo|đăng)"), "(để "),
                  (re.compile(r"\b([Đđ]oàn) thế(?=[;,.]?$)"), r"\1 thể"),
                  # «bưu: VT», «1ưu: V1»: the «L» misread, or its marks («Lựu», «Lừữu»); «Lưu::», «Lưu;»: a speck
                  # beside the colon, or for it
                  (re.compile(r"^(?:[b1Il|]ưu|L[ưựừứửữ]?[ựừứửữ]u)(?=\s*[:;]?\s*V[TI1]\b)"), "Lưu"),
                  (re.compile(r"^Lưu\s*(?:::|;)\s*"), "Lưu: "),
                  (re.compile(r"^(Lưu\s*:?\s*)V[IỊÍ1]\b"), r"\1VT"),  # «Lưu: VI», «VỊ», «V1»
                  (re.compile(r"^(Lưu\s*:?\s*)V(?:T?[EF]|FE)(?=,)"), r"\1VT"),  # «VTF», «VE», «VF», «VFE»
                  (re.compile(r"^Lưu\s*:[.,'`]+\s*"), "Lưu: "),  # «Lưu:.VT»
                  # «VT; Hcc7», «VTj NNMT»
                  (re.compile(r"^(Lưu\s*:?\s*VT)[;j](?=\s*[A-ZĐ0-9][A-Za-z0-9]{0,6}\b)"), r"\1,"),
                  (re.compile(r"^(Lưu\b.*[A-ZĐ0-9]);(?=\s*[A-ZĐ]{2,6}\b)"), r"\1,"),  # «Lưu: VT, HCC; HCTC»
                  (re.compile(r"\(đểb/"), "(để b/"), (re.compile(r"\(b/\)(?=[;.,]?$)"), "(b/c)"),  # «(đểb/c)», «(b/)»
                  (re.compile(r"\b(UBND|HĐND)(tỉnh|huyện|xã|phường)\b"), r"\1 \2"),  # «UBNDtỉnh»: the space lost
                  (re.compile(r"\bCống(?= TT|\s+thông tin)"), "Cổng"), (re.compile(r"\bPhố(?= CT\b| Chủ tịch)"), "Phó"),
                  (re.compile(r"\bChỉ cục\b"), "Chi cục"), (re.compile(r"\bTống(?= Bí thư| GĐ\b| Giám đốc)"), "Tổng"),
                  (re.compile(r"\(để\s+th\)"), "(để t/h)"), (re.compile(r"\(để\s+thiện\)"), "(để t/hiện)"),
                  (re.compile(r"\(để b/$"), "(để b/c)"), (re.compile(r"\(để\s+b[íi]c?\)"), "(để b/c)"),
                  # «(để bíc)», «(để bí)», «(để b/ - C)», «(để bí©)»: the note's «/c» misread as marks and one
                  # letter, no word
                  (re.compile(r"\(để b(?=[^)]{1,5}\))(?![^)]*[^\W\d_]{2})(?=[^)]*[^\w\s)])[^)]*\)"), "(để b/c)"),
                  (re.compile(r"\b(Tỉnh|Thành|Huyện|Quận|Đảng)(ủy|uỷ)\b"), r"\1 \2"),  # «Tỉnhủy»: the space lost
                  (re.compile(r"\b([Tt])r(?:ưng|unø)(?= ương\b)"), r"\1rung"),  # «Trưng ương», «trunø ương»
                  (re.compile(r"\b([Tt])rung[:;.,](?= ương\b)"), r"\1rung"),  # «Trung: ương»: a speck between
                  # «Ban Chấp hành Trừng ương», «TẾ ương», «THẾ ương»: in a list, a short capitalised word before
                  # «ương» is its «Trung» misread; «… trực thuộc ương»: lost after a linking word
                  (re.compile(r"(?<!\S)(?!Trung\b)[A-ZĐÀ-Ỹ][^\W\d_]{0,4}(?= ương\b)"), "Trung"),
                  (re.compile(r"(?<!\S)(thuộc|của)(?= ương\b)"), r"\1 Trung"),
                  # «NN&MIT», «NN&MTT» for «NN&MT» (Nông nghiệp và Môi trường): no code ends so in the corpus
                  (re.compile(r"(?<=[A-ZĐ]&M)(?:IT|TT)\b"), "T"),
                  # «Lưu: VT;, PL», «NNMT,; ĐT», «TTTT,, TTPVHCC»: a speck read as «;» or «,» beside the comma
                  (re.compile(r"(?<=\w)(?:;,|,;|,,)(?=\s)"), ","))


_DOT_IN_NAME_RE = re.compile(r"\b([^\W\d_]{2,7})\. (?=([^\W\d_]{2,7})\b)")
_DOT_GLUED_AFTER_WORD_RE = re.compile(r"(?<![\w.])([^\W\d_][a-zà-ỹđ]+)\.(?=[A-ZĐÀ-Ỹ])")
# Words that need the next one: a speck read after one («của.Thành ủy», «thuộc: Trung ương») is no dot or colon
_LINKING = frozenset("các và của thuộc với tại về cho những trên đến theo ở trong".split())
# Words no recipient ends on: an item whose last word is one was cut by the wrap («… trực» / «thuộc Trung ương»;
# «Thường trực: Tỉnh ủy» keeps its colon)
_DANGLING_WORDS = _LINKING | {"trực"}
_COLON_AFTER_LINKING_RE = re.compile(r"(?<!\S)(%s|Các|Của)\s*:\s+" % "|".join(sorted(_LINKING)))
_DOT_BEFORE_WORD_RE = re.compile(r"(?<=[^\W\d_]{2})\. (?=([^\W\d_]))")
_DOT_BETWEEN_WORDS_RE = re.compile(r"(?<!\S)([^\W\d_][^\W\d_A-ZĐ]+)\.([^\W\d_A-ZĐ]{2,})(?=[\s,;]|$)")
# «… thuộc .Chính phủ», «Trung tâm 'TT - HN»: a speck glued before a word, a space before it
_SPECK_BEFORE_WORD_RE = re.compile(r"(?<=\s)(?:\.|['`])(?=[A-ZĐÀ-Ỹ])")
# «… đại biểu của a Quốc hội», «… và v các Ban»: a letter alone, in small letters, after a word that needs the next
# (a consonant or «a»: no word; «về y tế» keeps its «y»)
_LETTER_AFTER_LINKING_RE = re.compile(r"(?<!\S)(%s) [abcdđghklmnpqrstvx](?= \S)" % "|".join(sorted(_LINKING)))


def _dot_parted(match: re.Match) -> str:
    """«cơ quan.ngang bộ», «Tổng Bí.thư»: a speck read as a dot between two words, a space again; an address
    («chinhphu.vn») or an abbreviation («Tp.hcm») keeps its dot."""
    left, right = match.group(1), match.group(2)
    syllables = is_syllable(left) and is_syllable(right)
    if left[0].isupper():
        parted = syllables and not left.isascii()
    else:
        parted = syllables or not (left + right).isascii()
    return f"{left} {right}" if parted else match.group()


def _clean_recipient(text: str) -> str:
    text = _BULLET_RE.sub("", text.strip())
    for misread, meant in _MISREAD_FIXES:
        text = misread.sub(meant, text)
    text = re.sub(r"\s*\./\.\s*$", "", text)
    text = re.sub(r"^(Như (?:Điều|điều|Khoản|khoản))(?=\d)", r"\1 ", text)  # «Như Điều3»: OCR lost the space
    text = re.sub(r"^Nhưtrên\b", "Như trên", text)
    # «'CVP, các PCVP …», «:TT. Công nghệ», «. ~ Như trên»: specks before it
    text = re.sub(r"^(?:['`:;.~_¬=\-]\s?)+(?=[^\W\d_])", "", text)  # «=Cơ quan …», «; Văn phòng Bộ» too
    text = _DOT_BETWEEN_WORDS_RE.sub(_dot_parted, text)  # «cơ quan ngang.bộ», «Tổng Bí.thư»
    text = _SPECK_BEFORE_WORD_RE.sub("", text)  # «… thuộc .Chính phủ»
    text = re.sub(r"(?<=[^\W\d_])['`](?=\s)", "", text)  # «… vi phạm' hành chính»: one glued after a word
    text = _LETTER_AFTER_LINKING_RE.sub(r"\1", text)  # «… của a Quốc hội»
    text = re.sub(r"(?<=\w), (?=- \w)", " ", text)  # «QPPL, - BTP»: a speck read as a comma
    # «Văn phòng Chính phủ,.Văn phòng Quốc hội», «Các Bộ,:cơ quan», «Lưu: VT,.QLĐĐ»: a speck beside a comma
    text = re.sub(r"(?<=\w),[.:](?=[^\W\d_])", ", ", text)
    # «Bộ trưởng Trần Đức. Thắng»: a speck read as a dot inside a name (two capitalised syllables)
    text = _DOT_IN_NAME_RE.sub(lambda m: m.group(1) + " " if m.group(1).istitle() and m.group(2).istitle()
                               and is_syllable(m.group(1)) else m.group(), text)
    text = re.sub(r"(?<=\w):[.;,]$", ":", text)  # «… trực thuộc Trung ương:.»: specks after its end
    if not text.startswith("Lưu"):  # («Lưu» notes keep theirs: a clerk's initials, «P.KT (Tú.NN)», «CN (2). Ha»)
        # «PCT Âu.Anh Tuấn», «Cổng.TTĐT»: a speck read as a dot glued between a word with a mark and the next
        # (an initial's dot stays: «Đ.Q.Hùng»)
        text = _DOT_GLUED_AFTER_WORD_RE.sub(lambda m: m.group(1) + " " if (
            not m.group(1).isascii() and is_syllable(m.group(1))) or m.group(1) in _LINKING else m.group(), text)
        # «… đảng uỷ trực thuộc: Trung ương», «Các: vị đại biểu»: a speck read as a colon after a word that needs
        # the next one
        text = _COLON_AFTER_LINKING_RE.sub(r"\1 ", text)
        # «… cơ quan thuộc Chính. phủ»: a speck read as a dot before a word in small letters
        text = _DOT_BEFORE_WORD_RE.sub(lambda m: " " if m.group(1).islower() else m.group(), text)
    if not re.fullmatch(r"Lưu\s*:", text):  # «Lưu:» with nothing after it is a form's blank
        text = re.sub(r"(?<=[\w)]):$", "", text)  # «UBND xã, phường:», «Lưu: VT:»: a speck read as «:»
    text = re.sub(r",\s*\((?=để\b)", " (", text)  # «… VHTTDL, (để đăng tải)»: a speck read as a comma
    text = re.sub(r"[;,.]\s*[-–]$", "", text)  # «… thuộc tỉnh; -»: a speck OCR read as the next item's dash
    text = re.sub(r"([;,.])\s*[:_'`ˆ][:_'`ˆ.]*$", r"\1", text)  # «… xã, phường; :», «… TP;_», «… thể;_.»: specks
    text = re.sub(r"\s*;\s*(\([^()]*\))\s*[;.,]?\s*$", r" \1", text)  # "Bộ Tài chính; (Báo cáo)"
    # «… thuộc Chính phủ; i», «Công báo điện tử tỉnh; Tớ»: a scrap of a seal or a stroke read after the end
    text = re.sub(r";\s+(?![A-ZĐ]+[,.;]?$)[^\W\d_]{1,2}[,.;]?$", "", text)
    text = re.sub(r";\s+(?:PHÓ|KT\.|TM\.|TL\.)$", "", text)  # «… ban đảng Trung ương; PHÓ»: a title's word read in
    return known_spelling(text.strip().rstrip(";,. ").strip())  # «Viễn thông Cao Băng»: a province's marks misread


# The dash that starts the next item of a list run on in one line: "A; - B" or "A; -B" (glued to a word)
_NEXT_ITEM = r";\s*-(?:\s+|(?=[^\W\d_]))"
_NEXT_ITEM_RE = re.compile(_NEXT_ITEM)
# A Nơi nhận list whose label a converter dropped, squeezed into one table cell: "- A; - B; - Lưu: VT."
_UNLABELLED_LIST_RE = re.compile(rf"^-\s+\S.*?{_NEXT_ITEM}\S.*?{_NEXT_ITEM}\S")


def _find_list(lines: list[str], start: int) -> tuple[int, str] | None:
    """The Nơi nhận list: (its first line, the text after the label)."""
    labelled = next((i for i in range(start, len(lines)) if _RECIPIENTS_RE.match(lines[i])), None)
    for i in range(start, len(lines) if labelled is None else labelled):  # the first list there is
        if _UNLABELLED_LIST_RE.match(lines[i]) and (any("Lưu" in x for x in lines[i : i + 3])
                                                     or len(_NEXT_ITEM_RE.findall(lines[i])) >= 3
                                                     or _ends_document(lines, i)):
            return i, lines[i]
    if labelled is None:
        return None
    rest = _RECIPIENTS_RE.match(lines[labelled]).group(1).strip()
    # «Nơi nhận: i»: a scrap of a letter or two in small letters after the label (a stroke, a speck), no item
    return labelled, "" if re.fullmatch(r"[a-zà-ỹđ]{1,2}", rest) else rest


def _ends_document(lines: list[str], i: int) -> bool:
    """Nothing but a signature's title lines after line ``i``: the list closes the document."""
    rest = [x for x in lines[i + 1 : i + 8] if x]
    return all(_is_title_line(x) for x in rest) and len(rest) < 4


def parse_recipients(lines: list[str], start: int) -> tuple[list[str], int | None, int]:
    """Return (recipients, index of the "Nơi nhận" line, index after the list)."""
    found = _find_list(lines, start)
    if found is None:
        return [], None, start
    at, rest = found
    items: list[str] = []
    if rest:  # "Nơi nhận: - Như trên; - Lưu: VT." on one line
        items.extend(x for x in re.split(r"[;.]\s*[-–]\s*", rest) if x.strip(" -"))
    i = at + 1
    pending_bullet = interleaved = False  # interleaved: the signature's titles were read into the list
    while i < len(lines):
        line = lines[i]
        if line.isdigit() and len(line) <= 3:
            i += 1  # «7» between two items: a page's number where a text layer's pages run together
            continue
        if not line:
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if (items and (_BULLET_RE.match(nxt) or nxt.startswith("Lưu")
                           or _bullet_lost(items[-1], nxt, lines[i + 2 : i + 5]))  # an item whose dash was lost
                    and not pending_bullet and _dashed_title(nxt) is None):
                i += 1
                continue
            if not items or pending_bullet or _body_tail_read_in(lines, i + 1, items) \
                    or _goes_on_after_blank(items[-1], lines, i + 1):
                i += 1
                continue
            resume = _after_interleaved_titles(lines, i + 1, items)
            if resume is not None:
                i, interleaved = resume, True
                continue
            break
        if items and _speck_between_items(lines, i):
            i += 1  # «- UBND các xã, phường;» / «ˆ» / «- Cổng …»: a mark a scan read between two items
            continue
        if items and _dash_read_as_word(items[-1], line):
            items.append(line.split(" ", 1)[1])  # «- Tòa án nhân dân tối cao;» / «và Viện kiểm sát …;»
            i += 1
            continue
        if items and _glued_dash_wraps(items, line):
            items[-1] = f"{items[-1].rstrip()} {line[1:]}"  # «… TGĐ Cổng» / «-TTĐT, các Vụ, …;»
            i += 1
            continue
        if line.startswith("+ ") and items and not line[2:].lstrip().startswith(("Lưu", "LƯU")):
            sub = line[2:].strip()  # "- VP UBND tỉnh:" / "+ LĐVP, KGVX;": a part of the item above
            items[-1] = f"{items[-1]} {sub}" if items[-1].rstrip().endswith(":") else f"{items[-1].rstrip(' ;')}; {sub}"
        elif _BULLET_RE.match(line):
            content = _BULLET_RE.sub("", line).strip()
            pending_bullet = not content
            if content and _NEXT_ITEM_RE.search(content):  # several items on one line
                items.extend(x for x in _NEXT_ITEM_RE.split(content) if x.strip())
            else:
                items.append(content)
        elif pending_bullet or (line.startswith(("Lưu", "LƯU")) and len(line) < 80):
            if pending_bullet:
                items[-1] = line
            else:
                items.append(line)
            pending_bullet = False
        elif _body_tail_read_in(lines, i, items):
            i += 1  # the titles under it, then the list going on, are read on the next turns
            continue
        elif items and _continues(items[-1], line, lines[i + 1] if i + 1 < len(lines) else ""):
            if len(items[-1]) > _LONGEST_ITEM:
                break  # no recipient is that long: text that only looks like a list's wrapped lines
            items[-1] = _end_despecked(items[-1]) + " " + line
        elif items and _bullet_lost(items[-1], line, lines[i + 1 : i + 4]):
            items.append(line)
        elif not items and _first_item_lost(lines, i):
            items.append(line)
        elif interleaved and _name_amid_items(lines, i):
            pass  # the signer's name read into the list after its titles were, the list's items going on under it
        else:
            resume = _after_interleaved_titles(lines, i, items)
            if resume is None:
                break
            i, interleaved = resume, True
            continue
        i += 1
    # "… (để báo cáo) - Lưu: VT"; «… Chủ tịch nước;' Viện kiểm sát …», «… Tài chính;: Chi cục …»: a speck read
    # for the next item's dash
    items = [part for item in items for part in re.split(r"\s+[-–]\s+(?=Lưu\b)|;['`:]\s+(?=[A-ZĐÀ-Ỹ])", item)]
    # «… Đặng Ngọc Minh (để bí) - Như trên;», «… Chính phủ (để hỗ - Lãnh đạo BQP;»: after an item's note (its end
    # garbled, or lost), the next item with its dash
    items = [part for item in items for part in _NOTE_THEN_ITEM_RE.sub("\\1\n", item).split("\n")]
    # «… thành phố trực thuộc» / «trung ương; - Văn phòng …»: the next item run on in an item's wrapped line
    items = [part for item in items for part in _NEXT_ITEM_RE.split(item) if part.strip()]
    recipients = [r for r in (_clean_recipient(x) for x in items) if r]
    return recipients, at, i


# (not a dash inside the note: «(để phối hợp - Bộ Công an)»)
_NOTE_THEN_ITEM_RE = re.compile(r"(\((?:để|đế)\s[^()]{1,12}\)?)\s+[-–]\s+(?=[A-ZĐÀ-Ỹ])(?![^()]*\))")


def _speck_between_items(lines: list[str], i: int) -> bool:
    """Is line ``i`` a mark alone («ˆ», «'»), no dash, with the list's dashed items going on after it?"""
    line = lines[i].strip()
    # («ˆ» is a letter to Unicode, a modifier with no case)
    if len(line) > 2 or any(ch.isdigit() or ch.isupper() or ch.islower() for ch in line) or _BULLET_RE.match(line):
        return False
    return any(_BULLET_RE.match(x) or x.startswith(("Lưu", "LƯU")) for x in lines[i + 1 : i + 4] if x)


_WORD_FOR_DASH_RE = re.compile(r"^(?!(?:các|những) )[a-zà-ỹđ]{1,3} (?P<first>\S).*[;.]$")


def _dash_read_as_word(item: str, line: str) -> bool:
    """Is ``line`` («và Viện kiểm sát nhân dân tối cao;», «nề Cổng thông tin điện tử tỉnh;») an item whose dash a
    scan's OCR read as a short word in small letters: after an item that ended with «;», a capitalised item's
    words, ending as an item does? («các Vụ: KGVX, QHĐP;» under «- VPCP: …;» goes on with its groups.)"""
    match = _WORD_FOR_DASH_RE.match(line)
    return item.rstrip().endswith(";") and match is not None and match.group("first").isupper()


def _glued_dash_wraps(items: list[str], line: str) -> bool:
    """Is ``line`` («-TTĐT, các Vụ, …;») the wrapped rest of the last item, a speck a scan read as a dash glued
    to its first word? In a list whose items end with «;» (the last ten before it, at most, are looked at),
    the last one did not."""
    if (not re.match(r"^-[^\W\d_]", line) or line[1:].startswith(("Lưu", "LƯU")) or len(items) < 3
            or len(items[-1]) > _LONGEST_ITEM):
        return False
    return (not items[-1].rstrip().endswith((";", ".", ",", ":"))
            and all(item.rstrip().endswith(";") for item in items[-11:-1]))


def _name_amid_items(lines: list[str], i: int) -> bool:
    """Is line ``i`` a name alone with the list's dashed items going on after it?"""
    following = next((x for x in lines[i + 1 : i + 3] if x), "")
    return _is_name(_despecked(lines[i])) and bool(_BULLET_RE.match(following))


def _after_interleaved_titles(lines: list[str], i: int, items: list[str]) -> int | None:
    """Where the list goes on when a scan's OCR read the signature's titles into the middle of it (the two
    columns interleaved): after title lines at ``i``, the next line is an item again. None otherwise, or once
    the list's «Lưu» item is read."""
    if items and items[-1].lstrip().startswith(("Lưu", "LƯU")):
        return None
    j, titles, named = i, 0, False
    while j < len(lines) and j < i + 8 and (not lines[j] or _is_speck(lines[j]) or _is_title_line(lines[j])
                                             or _is_scrap(lines[j])
                                             or (titles and not named and _is_name(_despecked(lines[j])))):
        named = named or (titles > 0 and _is_name(_despecked(lines[j])))  # and the signer's name under them
        titles += bool(lines[j]) and not _is_speck(lines[j])
        j += 1
    if titles and j < len(lines) and (_BULLET_RE.match(lines[j]) or lines[j].startswith(("Lưu", "LƯU"))):
        return j
    return None


def _goes_on_after_blank(item: str, lines: list[str], i: int) -> bool:
    """Does the list go on at line ``i``, after a blank line a scan's OCR put in it: the rest of ``item`` in
    small letters («… cơ quan thuộc Chính» / «» / «phủ;»), or a speck between two items («nỉ» over «- HĐND …»)?"""
    line = lines[i] if i < len(lines) else ""
    if line[:1].islower() and not item.rstrip().endswith((";", ".")) and len(line) < 120:
        return True
    following = next((x for x in lines[i + 1 : i + 3] if x), "")
    return _is_speck(line) and bool(_BULLET_RE.match(following))


_DATE_FIRST_RE = re.compile(r"^\d{1,2} tháng \d{1,2} năm \d{4}\b")


def _body_tail_read_in(lines: list[str], i: int, items: list[str]) -> bool:
    """Is line ``i`` the body's last line, read into the list with the signature's titles by a scan's OCR (the
    two columns interleaved: «Nơi nhận:» / «nước phục vụ sản xuất.» / «TM. ỦY BAN NHÂN DÂN» / «- Bộ …;»): in small
    letters, ending a sentence, with title lines and then the list's dashed items under it?"""
    line = lines[i] if i < len(lines) else ""
    # (the first line under the label may stop anywhere: «quy định về tiền sử dụng đất, tiền»; it may start with
    # a date: «26 tháng 01 năm 2021 của Bộ trưởng …;», which no item does)
    if not ((line[:1].islower() or _DATE_FIRST_RE.match(line)) and (line.rstrip().endswith(".") or not items)):
        return False
    j = next((k for k in range(i + 1, min(len(lines), i + 3)) if lines[k]), None)
    return j is not None and _is_title_line(lines[j]) and _after_interleaved_titles(lines, j, items) is not None


def _is_scrap(line: str) -> bool:
    """What OCR makes of a title line under a seal, read into the list («NHÀ Ưng» for «PHÓ CHỦ TỊCH»): a few
    words that end as no item does, and are no name."""
    return (len(line.split()) <= 3 and not _BULLET_RE.match(line) and not line.rstrip().endswith((";", ".", ",", ":"))
            and not _is_name(line))


# A speck OCR read after an item's last word, set apart by a space («… Ủy ban .» / «MTTQVN thành phố …;»)
_DETACHED_SPECK_RE = re.compile(r"\s+[.:'`_]$")


# A speck read as a dot after a word no item ends on («… Cổng TTĐT; các.»)
_DANGLING_SPECK_RE = re.compile(r"(?<!\S)(%s)\.$" % "|".join(sorted(_DANGLING_WORDS)))


_END = 80  # characters: more than the specks the patterns at an item's end look for
_LONGEST_ITEM = 2000  # characters; the longest in the corpus's 13,919 pages has 946 (a web page's text)


def _at_end(pattern: re.Pattern, replacement: str, text: str) -> str:
    """``pattern`` (anchored at the end) replaced in the last characters of ``text`` only: an item grown from
    many wrapped lines is not scanned whole again for each line (that was quadratic)."""
    if len(text) <= _END:
        return pattern.sub(replacement, text)
    return text[:-_END] + pattern.sub(replacement, text[-_END:])


def _end_despecked(item: str) -> str:
    """``item`` without a speck set apart after its last word, or a dot after a word no item ends on."""
    return _at_end(_DANGLING_SPECK_RE, r"\1", _at_end(_DETACHED_SPECK_RE, "", item))


def _continues(item: str, line: str, following: str) -> bool:
    """Is ``line`` the wrapped rest of the recipient ``item``?"""
    item = _at_end(_DETACHED_SPECK_RE, "", item)
    if item.count("(") > item.count(")"):
        # «… khu vực (để» / «Chi cục Kiểm định hải quan;»: a note whose end a scan lost, the next item's dash too
        # (not "(Tầng 33, Keangnam" / "Landmark, …);": inside the item's parentheses)
        return not (_NOTE_CUT_RE.search(item.rstrip()) and line[:1].isupper() and ")" not in line)
    if line[:1].islower():
        return True  # "các Vụ: KTTH, QHĐP, TH;": no recipient starts in lower case
    if (item.rstrip().endswith(";") and line.startswith("(") and line.rstrip(" ;.").endswith(")") and len(line) < 60
            and not _SIGNED_RE.match(line)):
        return True  # "- Bộ Tư pháp;" / "(B/c)": the item's note, wrapped onto a line of its own
    if _DANGLING_SPECK_RE.search(item.rstrip()[-_END:]):
        return True  # «… TGĐ Cổng TTĐT; các.» / «Vụ, Cục, …»: a speck read after a word no item ends on
    if (item.rstrip().endswith(";") and _names_parts(item) and len(line) <= 40 and line.rstrip().endswith((";", "."))
            and not line.startswith(("Lưu", "LƯU")) and not _is_title_line(line)):
        return True  # «VPCP: …; các Vụ: KGVX, QHĐP;» / «Cổng TTĐTCP;»: one more of the groups it names
    if item.rstrip().endswith((";", ".")) or _is_title_line(line):
        return False
    if item.rstrip().endswith(",") or item.rsplit(None, 1)[-1] in _DANGLING_WORDS:
        return True  # "- VPCP: BTCN, PCN …," / "PCN …,", «… Trung ương các» / «Chương trình …»: the item goes on
    if not item.rstrip().endswith(":") and ("," in line or ";" in line):
        return True  # "- VPCP: …, PCN Phạm" / "Mạnh Cường, Trợ lý TTg; các": a name cut by the wrap
    # «… Bộ Y tế: Viện:» / «PYQG, Viện PYTTTW,» / «TTPYTTT khu vực;»: a line that stops at a comma goes on too
    return line[:1] in "(&" or line.endswith((";", ",")) or bool(_BULLET_RE.match(following))


def _first_item_lost(lines: list[str], i: int) -> bool:
    """Is line ``i``, the first under the label, an item whose dash a scan lost: it ends as an item does, or
    the list's dashed items follow it?"""
    line = lines[i]
    if _is_title_line(line) or len(line) > 160:
        return False
    following = next((x for x in lines[i + 1 : i + 3] if x), "")
    if _is_name(line) and (starts_with_surname(line) or not _BULLET_RE.match(following)):
        return False  # a name under the label; not «Soi Là» (a scan's «- Như trên;») over dashed items
    return (line.rstrip().endswith(";") or bool(_BULLET_RE.match(following)) or _wrapped_item_end(following)
            # «(Tầng 33, Keangnam Landmark, E6, đường Phạm» / «Hùng, …, TP. Hà Nội);» / «- PCT …»
            or _wrapped_before_dash(lines[i + 1 : i + 4]))


def _wrapped_item_end(following: str) -> bool:
    """Is ``following`` the wrapped rest of an item whose dash a scan lost: in small letters, ending as an item
    does («… vi phạm» / «hành chính;»)?"""
    return following[:1].islower() and following.rstrip().endswith((";", "."))


def _bullet_lost(item: str, line: str, after: list[str]) -> bool:
    """Is ``line`` an item whose leading dash a scan lost ("- Bộ Tài chính;" / "Thường trực: Thành ủy;"): after
    an item that ended, a line that ends as an item does — or whose wrapped rest, in small letters, does on the
    next line («Các Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính» / «phủ;»), or that a dashed item follows
    («PCTr Đặng Ngọc Minh (để» / «- Cục QLCS …»: its end lost too) — and is no title or name?"""
    following = after[0] if after else ""
    ends = (line.rstrip().endswith((";", ".")) or _wrapped_item_end(following)
            # «VPCP: …, các Vụ:» / «TCCV, KTTH;»: an item that names its parts on the wrapped line under it
            or (line.rstrip().endswith(":") and following.rstrip().endswith((";", ".")))
            # «UBND các tỉnh, thành phố: Hải Phòng, Hưng Yên,» / «Ninh Bình, Bắc Ninh;»: wrapped after a comma
            # (its «;» read as a colon too, a dashed item under it: «Ninh Bình, Tuyên Quang:» / «- VPCP: …;»)
            or (line.rstrip().endswith(",") and (following.rstrip().endswith((";", ".")) or (
                following.rstrip().endswith(":") and len(after) > 1 and bool(_BULLET_RE.match(after[1]))))
                and not _BULLET_RE.match(following) and not _is_title_line(following))
            # «Văn phòng Trung ương Đảng và các Ban của» / «Đảng;»: cut by the wrap after a word no item ends on
            or (line.split()[-1] in _DANGLING_WORDS and following.rstrip().endswith((";", ".")))
            or (bool(_BULLET_RE.match(following)) and not _is_scrap(line))
            # «VPCP: BTCN, …, TGĐ Cổng» / «TTĐT, các Vụ, …, Công báo;» / «- Lưu: …»: wrapped over two or three
            # lines, the last ending as an item does, a dashed item after it
            or _wrapped_before_dash(after))
    # (or «… thuộc Chính» / «phổ...»: its «;» read as dots; or its note cut short, «… khu vực (để»)
    tail = item.rstrip()
    ended = (_at_end(_DETACHED_SPECK_RE, "", tail).rstrip().rstrip(".:'`_").endswith(";")
             or bool(_NOTE_CUT_RE.search(tail) or re.search(r"[^\W\d_]\.{2,}$", tail)))
    bare = line.rstrip(" ;.")
    # (no name: «Bộ Công Thương;» is a body's, capitalised as a name is)
    return ended and ends and len(line) < 160 and not _is_title_line(line) and not (
        _is_name(bare) and not starts_with_body_kind(bare))


# «… khu vực (để», «… (để b»: an item's note cut short by a scan, after which no more of it comes
_NOTE_CUT_RE = re.compile(r"\(để(?:\s+\S{1,3})?$")


# «VPCP: BTCN, …; các Vụ: KGVX, QHĐP;» / «Cổng TTĐTCP;»: an item that names its parts, «;» between them
_PARTS_RE = re.compile(r"^[^;]{2,40}:[^;]+;\s(?:các\s)?[^;]{1,40}:\s[^;]+;$")


def _names_parts(item: str) -> bool:
    """Does ``item`` name a body's parts in groups set apart by «;» («VPCP: BTCN, PCN; các Vụ: KGVX, QHĐP;»):
    then a line under it, its dash lost or never there, is one more group."""
    return bool(_PARTS_RE.match(item.rstrip()))


def _wrapped_before_dash(after: list[str]) -> bool:
    """Do the lines ``after`` an item's first line go on with it — one or two lines, the last ending as an item
    does — and does a dashed item or the «Lưu» item follow them?"""
    for k, line in enumerate(after[:2]):
        if not line or _BULLET_RE.match(line) or _is_title_line(line) or line.startswith(("Lưu", "LƯU")):
            return False
        nxt = after[k + 1] if k + 1 < len(after) else ""
        # («… cơ quan thuộc Chính» / «phủ» / «- UBND …»: a line in small letters goes on with it, its «;» lost too)
        if line.rstrip().endswith((";", ".")) or (k == 0 and line[:1].islower()):
            return bool(_BULLET_RE.match(nxt)) or nxt.startswith(("Lưu", "LƯU"))
    return False


def _is_speck(line: str) -> bool:
    """What a scan's OCR reads from a seal or a signature's stroke between the titles and the name: a mark or
    two with no word ("3", "/", "ˆ"), or a few scraps of lowercase letters ("s lo")."""
    tokens = line.split()
    return (len(line.strip()) <= 2 and not any(ch.isalpha() for ch in line)) or (
        0 < len(tokens) <= 3 and all(len(token) <= 3 for token in tokens) and not any(ch.isupper() for ch in line))


def _is_name(line: str) -> bool:
    """A person's name in normal casing: "Nguyễn Văn Thành" (not a title half in capitals: «PHO CHỦ Sàn»)."""
    line = _NAME_PREFIX_RE.sub("", line).strip()
    words = line.split()
    if not 2 <= len(words) <= 6 or is_upper_text(line) or is_title_text(mend_given_names(line).upper()):
        return False
    return all(_is_name_word(w) for w in words)


def _is_name_word(word: str) -> bool:
    """A word of a name in normal casing: capitalised letters, not a word in capitals («Sàn», not «PHO»)."""
    return bool(_NAME_WORD_RE.match(word)) and word[0].isupper() and not (len(word) > 1 and word.isupper())


def _is_caps_name(lines: list[str], j: int) -> bool:
    """A capitalised line after the titles is the name unless more title lines follow it."""
    words = _NAME_PREFIX_RE.sub("", lines[j]).split()
    if not 2 <= len(words) <= 5 or is_title_text(lines[j]) or not all(_NAME_WORD_RE.match(w) for w in words):
        return False
    if starts_with_body_kind(lines[j]) and not starts_with_surname(lines[j]):
        return False  # «CHÍNH PHỦ NƯỚC» / «CỘNG HOÀ …» under «CHỦ TỊCH NƯỚC»: a body's name, no person's
    if j and lines[j - 1].endswith(","):
        return False  # «TRƯỞNG BAN BAN CHÍNH SÁCH,» / «THUẾ QUỐC TẾ»: the title goes on
    nxt = next((x for x in lines[j + 1 : j + 4] if x and not _SIGNED_RE.match(x)), "")
    # («… GIÁM SÁT QUẢN» / «LÝ VỀ HQ» / «PHÓ TRƯỞNG BAN:»: a title under it, a speck read as a colon after it)
    return not (nxt and (_is_title_line(nxt.rstrip(":").rstrip()) or _is_name(_despecked(nxt))))


# «TM. ỦY BAN NHÂN DÂN:», «K/T TRƯỞNG BAN:»: a speck read as a colon after a title that signs for a body or a
# head (no label starts so)
_AUTHORITY_COLON_RE = re.compile(r"^(?:(?:TM|KT|TL|TUQ)\.|K/T|T/M|T/L)\s?\S.*:$")


@lru_cache(maxsize=4096)  # a line is asked about again and again: as a title, a list's end, a signature's start
def _is_title_line(line: str) -> bool:
    return (
        bool(line) and is_upper_text(line) and len(line.split()) <= 14
        and (not line.endswith(":") or bool(_AUTHORITY_COLON_RE.match(line)))
        and not _HEADING_RE.match(line) and not is_motto(line)
        and (is_title_text(line) or (len(line) <= 60 and is_title_text(mend_titles(line))))  # as OCR read it
    )


def _dashed_title(line: str) -> str | None:
    """A title line a scan's speck put a dash before («- GIÁM ĐỐC», «- KT. THỦ TƯỚNG»): the title; None for
    anything else, a list's item in capitals too («- BAN THƯỜNG VỤ TỈNH ỦY;»)."""
    if not _BULLET_RE.match(line) or line.rstrip().endswith((";", ",", ".", ":")):
        return None
    title = _BULLET_RE.sub("", line).strip().lstrip("_'`ˆ.,: -–—")  # «-_'THỦ TƯỚNG», «——TM.»: specks after it
    return title if _is_title_line(title) else None


def _colon_title(lines: list[str], i: int) -> str | None:
    """A title a scan's speck put a colon after, over a name («THỨ TRƯỞNG THƯỜNG TRỰC:» / «Phạm Ngọc Thưởng»):
    the title; None for anything else (a label in capitals ends with its colon too)."""
    line = lines[i]
    if not line.endswith(":") or not _is_title_line(line[:-1].rstrip()):
        return None
    following = next((x for x in lines[i + 1 : i + 4] if x), "")
    return line[:-1].rstrip() if _is_name(_despecked(following)) else None


def _signature_at(lines: list[str], i: int) -> tuple[list[str], str, int] | None:
    """A signature block starting at line ``i``: (title lines, name, index of name)."""
    if not lines[i].isupper():
        head = _scrap_before_head(lines, i)  # «với BỘ TRƯỞNG» / «THỨ TRƯỞNG»
        return _signature_after(lines, [head], i + 1) if head else None  # (most lines end here, quickly)
    dashed = _dashed_title(lines[i]) if i == 0 or not lines[i - 1] else None
    colon = _colon_title(lines, i)
    if _is_title_line(lines[i]) or dashed or colon:
        titles, j = [dashed or colon or lines[i]], i + 1
    elif (i + 1 < len(lines) and lines[i] and is_upper_text(lines[i]) and len(lines[i].split()) <= 2
          and not lines[i].endswith(":") and _is_title_line(f"{lines[i]} {lines[i + 1]}")):
        # "CHỦ" / "TỊCH": a wrapped title (not «QUYẾT ĐỊNH:», the body's heading, over «KT. CHỦ TỊCH»)
        titles, j = [f"{lines[i]} {lines[i + 1]}"], i + 2
    else:
        return None
    return _signature_after(lines, titles, j)


def _scrap_before_head(lines: list[str], i: int) -> str | None:
    """A head's title with a short word in small letters before it, over its deputy's title («với BỘ TRƯỞNG» /
    «THỨ TRƯỞNG»: the «KT.» misread): the head's title, which is then signed for; None for anything else."""
    first, _, rest = lines[i].partition(" ")
    if not (len(first) <= 4 and first.isalpha() and first.islower() and i + 1 < len(lines) and rest.isupper()):
        return None
    return rest if is_title_text(rest) and _deputy_of(rest, lines[i + 1]) else None


def _signature_after(lines: list[str], titles: list[str], j: int) -> tuple[list[str], str, int] | None:
    """The signature block whose first title lines are ``titles``, the next at line ``j``: (title lines, name,
    index of name)."""
    while j < len(lines) and lines[j] and len(titles) < 6:
        # «KT. CHỦ TỊCH» / «sẵn CHỦ TỊCH», «… BAN CHÍNH SÁCH,» / «THUẾ QUỐC TẾ nụ»: not in capitals
        deputy = _misread_deputy(titles[-1], lines[j]) or _scrap_after_title(titles[-1], lines[j])
        if deputy is None and (not is_upper_text(lines[j]) or _is_caps_name(lines, j)):
            break
        titles.append(deputy or lines[j])
        j += 1
    if len(" ".join(titles).split()) < 2:
        return None  # a prefix alone («TUQ», a province's code in a table) is no signature
    skipped = 0
    while j < len(lines) and skipped < 8:
        line = _despecked(lines[j])
        if not line or _SIGNED_RE.match(line) or _is_speck(line):
            j += 1
            skipped += 1
            continue
        went_on = _title_after_blank(titles, lines, j) if not lines[j - 1] and len(titles) < 6 else None
        if went_on:  # «TM. ỦY BAN» / «» / «NHÂN DÂN» / «» / «KT. CHỦ TỊCH»: a paragraph to a line
            titles[-1:] = went_on
            j += 1
            continue
        if _is_name(line):
            following = _despecked(lines[j + 1]) if j + 1 < len(lines) else ""
            if not starts_with_surname(line) and _is_name(following) and starts_with_surname(following):
                j += 1  # «Sẽ Kẽ Bộ» / «Tống Thanh Hải»: a seal's scrap read as capitalised words over the name
                line = following
            return titles, _name_wrapped(lines, j, _NAME_PREFIX_RE.sub("", line).strip()), j
        if (j + 1 < len(lines) and len(line.split()) <= 2 and _is_name(f"{line} {lines[j + 1]}")
                and (starts_with_surname(line) or not starts_with_surname(lines[j + 1]))):  # «Sẽ» / «Tống Văn A»
            return titles, _NAME_PREFIX_RE.sub("", f"{line} {lines[j + 1]}").strip(), j + 1  # "Phan" / "Thị Thắng"
        if is_upper_text(line) and _is_caps_name(lines, j):
            return titles, person_case(_NAME_PREFIX_RE.sub("", line).strip()), j
        if _is_item(lines[j]):
            return _name_after_list(lines, j, titles)
        found = _name_among_scraps(lines, j, titles) or _name_after_list(lines, j, titles)
        return found or _titles_to_the_end(lines, j, titles)
    if j >= len(lines) and titles and any(search_key(t).split()[0] in ("tm.", "kt.", "tl.") for t in titles):
        return titles, None, j  # the page ends under the titles: the name was not reproduced
    return None


def _title_after_blank(titles: list[str], lines: list[str], j: int) -> list[str] | None:
    """The block's last title and line ``j``, under a blank line, when it goes on with the titles (a PDF's text as
    pdfminer reads it sets a blank line after each): [the title, the line] or the title with the line wrapped
    into it; None when it does not. Only what the titles above call for: a title signed for under theirs («TM.
    ỦY BAN NHÂN DÂN» / «KT. CHỦ TỊCH», «TL. BỘ TRƯỞNG» / «VỤ TRƯỞNG …»), the deputy's under «KT. CHỦ TỊCH», the
    rest of a body's name wrapped after «TM.» («TM. ỦY BAN» / «NHÂN DÂN»). Not anything in capitals: a seal's
    text, or a page's next heading, comes under a title too."""
    line, last = lines[j], titles[-1]
    if not is_upper_text(line) or _is_caps_name(lines, j):
        return None
    if (_is_title_line(line) and _prefix_rank(line) < _prefix_rank(last)) or \
            (last.startswith("KT. ") and _deputy_of(last[4:], line)):
        return [last, line]
    if last.startswith("TM. ") and len(titles) == 1 and not is_title_text(line) and _is_title_line(f"{last} {line}"):
        return [f"{last} {line}"]
    return None


def _unsigned_titles_above(lines: list[str], at: int, body_start: int) -> tuple[list[str], None, int] | None:
    """A signature's titles with no name under them right above the Nơi nhận list at line ``at`` («TM. ỦY BAN
    THƯỜNG VỤ QUỐC HỘI» / «CHỦ TỊCH» / «» / «Nơi nhận:»: a PDF's columns read one after the other, the name not
    reproduced): up to four title lines, the first signed for («TM.», «KT.», «TL.», «TUQ.»), over blank lines
    only. None for anything else."""
    end = at
    while end > body_start and not lines[end - 1]:
        end -= 1
    first = end
    while first > max(body_start, end - 4) and lines[first - 1] and _is_title_line(lines[first - 1]):
        first -= 1
    if first == end or (first > 0 and lines[first - 1]) or _prefix_rank(lines[first]) == 1:
        return None
    return lines[first:end], None, at


def _titles_to_the_end(lines: list[str], j: int, titles: list[str]) -> tuple[list[str], None, int] | None:
    """«TM. …» / «» / «CHỦ TỊCH» (a page set a paragraph per line): up to three title lines from ``j`` to the
    page's end are the block's, with no name under them."""
    rest: list[str] = []
    for k in range(j, len(lines)):  # the first four lines that are not blank (indexed: islice walks from 0)
        if len(rest) == 4:
            break
        if not lines[k]:
            continue
        if not _is_title_line(lines[k]):
            return None
        rest.append(lines[k])
    return (titles + rest, None, len(lines)) if 0 < len(rest) <= 3 else None


def _name_wrapped(lines: list[str], j: int, name: str) -> str:
    """The name on line ``j`` with its last given name wrapped onto the next line alone («Lê Hải» / «Hòa», a
    page's narrow column), or else as it is. The word must stand alone before a blank line or the page's end,
    and be no surname: a second signer's name, or a title, is not read into it."""
    following = lines[j + 1].strip() if j + 1 < len(lines) else ""
    after = lines[j + 2].strip() if j + 2 < len(lines) else ""
    if (following and " " not in following and not after and len(name.split()) <= 3 and len(following) >= 2
            and _is_name_word(following) and not starts_with_surname(following)):
        return f"{name} {following}"
    return name


def _is_item(line: str) -> bool:
    """A line of a list or of the body: it ends with «;», or it starts with a dash and ends as an item does."""
    line = line.rstrip()
    return line.endswith(";") or bool(_BULLET_RE.match(line) and line.endswith((".", ",")))


def _scrapped_name(line: str) -> str | None:
    """A name with what a scan's OCR read of a seal or a signature's stroke before or after it on its line:
    «ca Võ Minh Lương», «Nguyên Xuân Sang s No», «Tống Thanh Hải vã», «- Mai Sơn». The name is the longest run
    of two to six capitalised words; the line's other words, two at most, are scraps of three characters at most."""
    words = line.split()
    best: tuple[int, int] = (0, 0)
    start = 0
    for end in range(len(words) + 1):
        if end < len(words) and _is_name_word(words[end]):
            continue
        if end - start > best[1] - best[0]:
            best = (start, end)
        start = end + 1
    first, last = best
    scraps = words[:first] + words[last:]
    if not 2 <= last - first <= 6 or len(scraps) > 2 or any(len(w) > 3 for w in scraps):
        return None
    name = _LETTER_AFTER_NAME_RE.sub(r"\1", " ".join(words[first:last]))  # «Trương Công Thái Z cử»
    return name if _is_name(name) else None


def _name_among_scraps(lines: list[str], j: int, titles: list[str]) -> tuple[list[str], str, int] | None:
    """The name under a signature's titles when a scan's OCR read scraps of the seal and the signature between
    them and the name, or on the name's line («Xin» / «xố làn nh» / «Trương Việt Dũng»): within the next few
    lines, up to a line of a list or of the body, the first line that is a name alone, or else the first that
    is a name among scraps. A title line on the way is one of the block's titles («KT. CHỦ TỊCH» / «**» /
    «PHÓ CHỦ TỊCH»); a list's item on the way is the list's, read into the signature's column by OCR."""
    window, titles = [], list(titles)
    for k in range(j, min(len(lines), j + 6)):
        if _HEADING_RE.match(lines[k]) or len(lines[k]) > 60:
            break
        line = _despecked(lines[k])
        if _is_item(lines[k]):
            continue
        if _is_title_line(line):
            titles.append(line)
            continue
        window.append((k, line))
    for k, line in window:
        if _is_name(line):
            return titles, _NAME_PREFIX_RE.sub("", line).strip(), k
    for k, line in window:
        name = _scrapped_name(line)
        if name:
            return titles, _NAME_PREFIX_RE.sub("", name).strip(), k
    return None


def _despecked(line: str) -> str:
    """A line under a signature's titles without what a scan's OCR reads after it: a digit or a mark after a
    space, a dot, colon or underscore stuck to its end («Phạm Mạnh Cường.»), a letter alone after a whole name
    («Lê Trường Sơn R», «Tống Thanh Hải T.»: three words before it; «Nguyễn Văn A», a form's name, keeps its
    letter)."""
    line = _LETTER_AFTER_NAME_RE.sub(r"\1", line)
    line = _QUOTE_IN_NAME_RE.sub("", line)  # «Bùi "Thanh An»: a speck read as a quote before a word
    return _LEADING_SPECK_RE.sub("", _TRAILING_SPECK_RE.sub("", line).rstrip(".,:;_ "))


_LETTER_AFTER_NAME_RE = re.compile(r"^((?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]+ ){2,}[A-ZĐÀ-Ỹ][a-zđà-ỹ]+)\s+[A-Za-z][.,:;_]?$")
_QUOTE_IN_NAME_RE = re.compile(r"(?<=[a-zđà-ỹ] )[\"“”'`](?=[A-ZĐÀ-Ỹ][a-zđà-ỹ]+(?: |$))")


_LEADING_SPECK_RE = re.compile(r"^[-–_.'`~](?=[A-ZĐÀ-Ỹ][a-zđà-ỹ])")  # «-Trần Cẩm Tú»: glued to the name's first letter


def _name_after_list(lines: list[str], j: int, titles: list[str]) -> tuple[list[str], str, int] | None:
    """The name under titles that a scan's OCR read into the middle of the Nơi nhận list (the two columns
    interleaved): after the rest of the list's items, the first line that is a name alone."""
    for k in range(j, min(len(lines), j + 25)):
        line = _TRAILING_SPECK_RE.sub("", lines[k])
        if not line or _is_speck(line) or _SIGNED_RE.match(line):
            continue
        name = _despecked(line)
        if _is_name(name):
            return titles, _NAME_PREFIX_RE.sub("", name).strip(), k
        if not (_BULLET_RE.match(line) or line.rstrip().endswith((";", ".", ","))):
            return None  # not an item of the list: no name of this block follows
    return None


def parse_closing(lines: list[str], body_start: int, header_end: int | None = None) -> Closing:
    """The Nơi nhận list and the signature, looked for from ``body_start`` (the top of the document: a damaged
    header's anchor may lie in an appendix). With no list, the signature is looked for first after the
    header's end (``header_end``): a subject's capitals name titles too («… THẨM QUYỀN GIẢI QUYẾT CỦA CHỦ TỊCH
    UBND TỈNH, …»)."""
    closing = Closing()
    recipients, at, after = parse_recipients(lines, body_start)
    closing.recipients, closing.recipients_at = recipients, at
    found = None
    if at is not None:
        found = _first_signature(lines, after, min(len(lines), after + 20))
        if found is None:  # its titles read into the middle of the list (a scan's columns interleaved)
            found = _first_signature(lines, at + 1, after)
        if found is None:
            for i in range(at - 1, max(body_start, at - 20) - 1, -1):
                found = _signature_at(lines, i) or found
                if found and (i == 0 or not lines[i - 1] or not _is_title_line(lines[i - 1])):
                    break
        if found is None:
            found = _unsigned_titles_above(lines, at, body_start)
    else:
        end_mark = next((i for i in range(body_start, len(lines)) if lines[i].rstrip().endswith("./.")), None)
        if end_mark is None and header_end is not None and header_end > body_start:
            found = _first_signature(lines, header_end, len(lines)) or _first_signature(lines, body_start, header_end)
        else:
            found = _first_signature(lines, end_mark if end_mark is not None else body_start, len(lines))
    if found:
        titles, name, _ = found
        if at is not None and found[2] >= after:  # the signature's upper titles read into the list above it
            titles = _titles_read_into_list(lines, at + 1, after, titles) + titles
        titles = _deputy_mended([_title_despecked(t) for t in titles if t not in _NOT_TITLES and not _scrap_line(t)])
        closing.signer = mend_given_names(mend_surname(name)) if name else name
        parts = split_titles(mend_titles(join_lines(titles)))
        # a title line twice in a row («THỨ TRƯỞNG THƯỜNG TRỰC» over «(Đã ký)», then in the signature's column)
        parts = [part for k, part in enumerate(parts) if k == 0 or part != parts[k - 1]]
        if len(parts) > 1 and parts[1].startswith("KT.") and _prefix_rank(parts[0]) == 1 \
                and not parts[0].startswith(("T/M", "T/L", "K/T", "Q.")):
            # «CỤC TRƯỞNG» over «KT. TRƯỞNG BAN …»: no bare title stands over «KT.», a scan lost its prefix — «TM.»
            # before a body's name, «TL.» before a head's title (Nghị định 30/2020, Phụ lục I)
            parts[0] = ("TL. " if is_title_text(parts[0]) else "TM. ") + parts[0]
            closing.prefix_told = True
        if (len(parts) > 2 and re.fullmatch(r"[^\W\d_]{1,4}\.", parts[0]) and parts[0][:-1] not in _SIGNING_PREFIXES
                and _deputy_of(parts[1], parts[2])):
            parts = parts[1:]  # «SÁT. THỦ TƯỚNG» / «PHÓ THỦ TƯỚNG»: «KT.» misread, put back below (with a warning)
        parts, closing.deputy_told = _head_and_deputy_mended(parts)
        closing.signer_title = " / ".join(parts) or None
    return closing


_OVER = {"TM": 3, "TL": 3, "TUQ": 3, "KT": 2}  # which prefix stands over which: «TM.» / «KT.» / a bare title
_SIGNING_PREFIXES = tuple(_OVER)


def _prefix_rank(title: str) -> int:
    return _OVER.get(title.split(".", 1)[0].strip().upper(), 1) if "." in title[:4] else 1


def _misread_deputy(above: str, line: str) -> str | None:
    """«PHÓ X» for ``line`` under «KT. X» (``above``) when it reads «X» after a short word OCR made of «PHÓ»
    («THƠ CHỦ TỊCH», «sẵn CHỦ TỊCH»), or «PHÓ» with its mark lost before the last word of «X» and a seal's
    scraps («PHO nhảy TỊCH ễ»): under «KT. X» the deputy signs. None for anything else."""
    head = above[4:] if above.startswith("KT. ") else ""
    first, _, rest = line.strip().partition(" ")
    if head and first != "PHÓ" and len(first) <= 4 and first.isalpha() and (
            rest == head or (head + " ").startswith(rest + " ") and is_title_text(rest)):
        return f"PHÓ {rest}"  # («sở CỤC TRƯỞNG» under «KT. CỤC TRƯỞNG CỤC HẢI QUAN»: the title, its body left out)
    # «PHO nhảy TỊCH ễ»: «PHÓ» with its mark lost, the head's last word, a seal's scraps for the rest
    words, last = line.split(), head.split()[-1] if head else None
    if last and first != "PHÓ" and folded_key(first) == "pho" and last in words[1 : len(head.split()) + 2]:
        tail = words[words.index(last, 1) + 1 :]
        if len(tail) <= 1 and not any(is_upper_text(word) and len(word) > 1 for word in tail):
            return f"PHÓ {head}"
    return None


def _scrap_after_title(above: str, line: str) -> str | None:
    """``line`` without a seal's scrap in small letters after its words in capitals («THUẾ QUỐC TẾ nụ»), when it
    is a title or the rest of the one ``above`` («TRƯỞNG BAN BAN CHÍNH SÁCH,»); None for anything else."""
    words = line.split()
    if len(words) < 3 or len(words[-1]) > 3 or not words[-1].isalpha() or not words[-1].islower():
        return None
    rest = " ".join(words[:-1])
    return rest if is_upper_text(rest) and (above.endswith(",") or is_title_text(rest)) else None


def _deputy_of(head: str, deputy: str) -> bool:
    """Is ``deputy`` the title of ``head``'s deputy («PHÓ CỤC TRƯỞNG» under «CỤC TRƯỞNG CỤC HẢI QUAN», «THỨ
    TRƯỞNG» under «BỘ TRƯỞNG»)?"""
    if head.startswith("BỘ TRƯỞNG"):
        return deputy.startswith("THỨ TRƯỞNG")
    return deputy.startswith("PHÓ ") and (head + " ").startswith(deputy[4:] + " ")


def _head_and_deputy_mended(parts: list[str]) -> tuple[list[str], bool]:
    """A signature's titles with what a scan lost around «KT.» put back: a head's title cut short over its
    deputy's («KT. CHỦ» / «PHÓ CHỦ TỊCH»), the deputy's «PHÓ» («K/T CHÁNH VĂN PHÒNG» / «CHÁNH VĂN PHÒNG THƯỜNG
    TRỰC»), and «KT.» itself: a bare head's title first, over its deputy's («BỘ TRƯỞNG» / «THỨ TRƯỞNG»), is
    signed for, as no head signs over a deputy. (Under «TL.» a page may type it so: «TL. CỤC TRƯỞNG» / «TRƯỞNG
    BAN …» / «PHÓ TRƯỞNG BAN» stays as typed.) Returns the titles and whether a «KT.» was added (the clerk
    checks it)."""
    out, added = list(parts), False
    for k in range(len(out) - 1):
        prefix, _, head = out[k].partition(" ")
        below = out[k + 1]
        if prefix in ("KT.", "K/T"):
            if below.startswith("PHÓ ") and below[4:].startswith(head + " ") and not is_title_text(head):
                out[k] = f"{prefix} {below[4:]}"  # «KT. CHỦ» / «PHÓ CHỦ TỊCH»
            elif (below == head or below.startswith(head + " ")) and not head.startswith("BỘ TRƯỞNG"):
                out[k + 1] = f"PHÓ {below}"  # «K/T CHÁNH VĂN PHÒNG» / «CHÁNH VĂN PHÒNG THƯỜNG TRỰC»
        elif k == 0 and _prefix_rank(out[k]) == 1 and is_title_text(out[k]) and _deputy_of(out[k], below):
            out[k], added = f"KT. {out[k]}", True
    return out, added


def _deputy_mended(titles: list[str]) -> list[str]:
    """«KT. CHỦ TỊCH» over «THƠ CHỦ TỊCH»: the deputy's title a scan misread, put right."""
    return [titles[0]] + [_misread_deputy(titles[k - 1], t) or t for k, t in enumerate(titles) if k] if titles else []


def _titles_read_into_list(lines: list[str], start: int, stop: int, titles: list[str]) -> list[str]:
    """The signature's upper title lines a scan's OCR read into the middle of the list (the two columns
    interleaved: «TM. ỦY BAN NHÂN DÂN» / «KT. CHỦ TỊCH» amid the items, «PHÓ CHỦ TỊCH» under the list), when
    they stand over the signature's first title by their prefixes; [] otherwise."""
    read = [line for line in lines[start:stop] if line and not _BULLET_RE.match(line) and _is_title_line(line)]
    if not read or not titles or _prefix_rank(read[0]) == 1:
        return []
    ranks = [_prefix_rank(line) for line in read + titles[:1]]
    return read if all(a > b for a, b in zip(ranks, ranks[1:])) else []


_PREFIX_GLUED_RE = re.compile(r"^(%s)[:;,](?=[A-ZĐÀ-Ỹ])" % "|".join(_SIGNING_PREFIXES))
_DOT_BETWEEN_TITLE_WORDS_RE = re.compile(r"\b([^\W\d_]{2,})\.(?=[^\W\d_]{2,}\b)")
# A title's last words: a scrap after them is none of its words
_ENDS_WITH_TITLE_RE = re.compile(r"(?:%s)$" % "|".join(re.escape(title) for title in TITLE_WORDS))


def _scrap_line(line: str) -> bool:
    """«NI» on a line of its own between two titles: a scrap, no title (a prefix alone, «KT», is one)."""
    words = line.split()
    return len(words) == 1 and _is_scrap_after_title(words[0]) and words[0] not in _SIGNING_PREFIXES


def _is_scrap_after_title(word: str) -> bool:
    """A digit, or a syllable of two letters that starts no body's name («NI»; not «SỞ», nor an abbreviation,
    «HQ», «UB», which no syllable is, nor one letter, «Y» of «BỘ Y TẾ»)."""
    return word.isdigit() and len(word) <= 2 or (
        len(word) == 2 and word.isalpha() and is_syllable(word) and not starts_with_body_kind(word)
        and word not in ABBREVIATIONS)


def _title_despecked(line: str) -> str:
    """A title line without the speck a scan's OCR read after its last word («KT. BỘ TRƯỞNG.», «… THUẾ QUỐC TẾ
    -»: no title ends with a dot or a dash) or glued before its first («-PHÓ CHỦ TỊCH»); an abbreviation's dot
    stays («KT.» / «BỘ TRƯỞNG»), one read as a comma or a colon is put back («KT, THỦ TƯỚNG», «TL. BỘ TRƯỞNG
    KT:», the next title's prefix)."""
    line = _PREFIX_GLUED_RE.sub(r"\1. ", line)  # «TL:BỘ TRƯỞNG»: a speck for the prefix's dot, the space lost
    line = _DOT_BETWEEN_TITLE_WORDS_RE.sub(  # «BAN BÍ.THƯ»; a prefix keeps its dot («KT.CHỦ TỊCH»)
        lambda m: m.group() if m.group(1) in _SIGNING_PREFIXES or not is_syllable(m.group(1)) else m.group(1) + " ",
        line)
    # «KT. BỘ TRƯỞNG;» / «CHỦ NHIỆM», «KT. BỘ TRƯỞNG; CHỦ NHIỆM»: a comma read as «;» (no title has one)
    line = re.sub(r"(?<=[A-ZĐÀ-Ỹ]);(?= [A-ZĐÀ-Ỹ]|$)", ",", line)
    # «TRƯỞNG BAN NGHIỆP VỤ THUẾ, HQ»: a speck read as a comma before the body's abbreviation that ends the line
    # (a comma between two titles stays: «KT. BỘ TRƯỞNG, CHỦ NHIỆM»)
    line = re.sub(r"(?<=[A-ZĐÀ-Ỹ]{2}), (?=[A-ZĐ]{2,3}$)", " ", line)
    words = [word[:-1] + "." if word[:-1] in _SIGNING_PREFIXES and word[-1] in ",:;" else word
             for word in line.split()]
    if len(words) > 2 and _is_scrap_after_title(words[-1]) and _ENDS_WITH_TITLE_RE.search(" ".join(words[:-1])):
        words = words[:-1]  # «KT. CHỦ TỊCH NI», «CHỦ TỊCH 3»: a scrap a seal or a stroke left after the title
    if len(words) > 1 and words[-1] in ("-", "–", "—", ".", ":"):
        words = words[:-1]
    if len(words) > 1 and words[-1].endswith(":"):
        words[-1] = words[-1][:-1]  # «TM. ỦY BAN NHÂN DÂN:»
    if len(words) > 1 and words[0] in ("-", "–", "—"):
        words = words[1:]  # «- KT. TRƯỞNG BAN …» under «TL. CỤC TRƯỞNG»: a speck read as a dash before it
    if words and len(words[0]) > 1 and words[0][0] in "-–—ˆ=_" and words[0].lstrip("-–—ˆ=_")[:1].isupper():
        words[0] = words[0].lstrip("-–—ˆ=_")  # «-PHÓ CHỦ TỊCH», «——TM.», «=_HQ»: specks glued before the first word
    # «… THUẾ QUỐC TẾ.», «KT. TRƯỞNG BAN. GIÁM SÁT QUẢN.»: a speck read as a dot after a whole word (a prefix
    # keeps its own)
    words = [word[:-1] if k and word.endswith(".") and len(word) > 1 and is_syllable(word[:-1])
             and word[:-1] not in _SIGNING_PREFIXES else word for k, word in enumerate(words)]
    if words and re.fullmatch(r"[A-ZĐ&]{2,}\.", words[-1]) and words[-1][:-1] not in _SIGNING_PREFIXES + ("TP",):
        words[-1] = words[-1][:-1]  # «… THUẾ» / «HQ.»: an abbreviation's line, with a speck after it
    # «TM. ỦY BAN THƯỜNG VỤ QUỐC HỘ»: the Assembly's last letter lost
    return _title_respelled(_ASSEMBLY_CUT_RE.sub("QUỐC HỘI", " ".join(words)))


_ASSEMBLY_CUT_RE = re.compile(r"\bQUỐC HỘ$")
_TITLE_SET = frozenset(TITLE_WORDS)


def _title_respelled(line: str) -> str:
    """A title line that is no title docmgr knows but one letter or space away from exactly one («PHÓ CHỦ T CH»,
    «BỘ TRƯỞN G»: a letter lost, a space read in), after its prefix: that title."""
    prefix, _, rest = line.partition(" ")
    if prefix.rstrip(".") not in _SIGNING_PREFIXES + ("K/T", "T/M", "T/L"):
        prefix, rest = "", line
    if len(rest) < 7 or rest in _TITLE_SET or not is_upper_text(rest) or not rest[-1].isalpha():
        return line  # («KT. BỘ TRƯỞNG,» / «CHỦ NHIỆM»: a comma to keep)
    near = [title for title in TITLE_WORDS if Levenshtein.distance(rest, title, score_cutoff=1) <= 1]
    return f"{prefix} {near[0]}".strip() if len(near) == 1 else line


def _first_signature(lines: list[str], start: int, stop: int):
    for i in range(start, stop):
        found = _signature_at(lines, i)
        if found:
            return found
    return None
