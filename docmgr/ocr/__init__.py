"""OCR in Vietnamese: the pages of a scan (an image file, or a PDF page with no text layer) read by
Tesseract, a page at a time in the limited worker processes, and a searchable PDF made of them.

Why our own page pipeline rather than OCRmyPDF: docmgr needs each page's words with their boxes and
confidence (reading order of the two-column header, the confidence shown to the clerk), progress page by
page, and pages spread over the same limited worker processes as every other reading (one CPU policy, the
time and memory limits of :mod:`docmgr.extraction.sandbox`). OCRmyPDF runs its own process pool and
returns only the finished PDF; its PDF/A conversion (Ghostscript) alone costs more than the OCR of a clean
page. The pipeline is small because the heavy parts are libraries: PDFium renders (:mod:`docmgr.pages`),
Tesseract reads and writes the text layer, pypdf lays that layer over the original pages.

Functions here are pure and take bytes: the sandbox calls them in its workers.
"""

from __future__ import annotations

import io
import re
import time
import unicodedata
from dataclasses import dataclass, field, replace

import numpy as np
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter, Transformation

from docmgr.extraction.header import DATE_RE, is_motto, make_date
from docmgr.extraction.lines import Line, compose
from docmgr.extraction.readers import ReadError, open_image
from docmgr.ocr.layers import drop_invisible_text
from docmgr.ocr.tesseract import LANGUAGE, OcrUnavailable, Word, check_installed, recognize
from docmgr.ocr.tones import edge_syllable, join_lone_letters, part_run_together, restore_tones
from docmgr.pages import RENDER_DPI, image_dpi, page_image
from docmgr.text import fold


POOR_CONFIDENCE = 60.0  # a page whose words Tesseract trusts less than this on average reads poorly
SPECK_CONFIDENCE = 60.0  # a mark with no letter or digit read with less than this is a speck
NOISE_CONFIDENCE = 20.0  # a "word" read with less than this is noise (a dotted line, a seal's edge)


@dataclass(frozen=True)
class OcrSettings:
    enabled: bool = True
    language: str = LANGUAGE
    dpi: int = RENDER_DPI
    max_pages: int = 300  # pages of one file read by OCR (about 10 minutes on two cores); the rest flagged

    @classmethod
    def from_config(cls, config) -> OcrSettings:
        return cls(enabled=bool(config.get("DOCMGR_OCR", True)),
                   language=str(config.get("DOCMGR_OCR_LANGUAGE", LANGUAGE)),
                   dpi=int(config.get("DOCMGR_OCR_DPI", RENDER_DPI)),
                   max_pages=int(config.get("DOCMGR_OCR_MAX_PAGES", 300)))


@dataclass
class OcrPage:
    """One page read by OCR: its lines (boxes in points), mean confidence, time, and its text layer."""

    number: int
    lines: list[Line]
    confidence: float | None  # mean word confidence (0–100), weighted by word length; None: no word found
    seconds: float
    text_layer: bytes  # a one-page PDF of invisible text, the page's size
    width_pt: float
    height_pt: float
    skew: float = 0.0  # degrees the page was turned to level it before reading

    @property
    def text(self) -> str:
        return compose(self.lines)


@dataclass
class OcrSummary:
    """What was OCR'd in a file: ``docmgr extract --json``'s ``ocr``."""

    pages: int
    seconds: float
    mean_confidence: float | None
    page_confidence: dict[int, float | None] = field(default_factory=dict)
    page_seconds: dict[int, float] = field(default_factory=dict)

    @property
    def poor_pages(self) -> list[int]:
        return [n for n, c in sorted(self.page_confidence.items()) if reads_poorly(c)]

    def as_json(self) -> dict:
        return {"pages": self.pages, "seconds": round(self.seconds, 2),
                "mean_confidence": None if self.mean_confidence is None else round(self.mean_confidence, 1)}


def _has_text(word: str) -> bool:
    """A letter or a digit (modifier letters such as "ˆ", which Tesseract reads specks as, do not count)."""
    return any(ch.isalnum() and unicodedata.category(ch) != "Lm" for ch in word)


# A Vietnamese syllable, its marks taken off (ă, â → a; ê → e; ô, ơ → o; ư → u; đ → d), with what may close
# it; a number or a reference («58/2024/QH15,»); an abbreviation of a title («TL.», «KT.»).
_SYLLABLE_RE = re.compile(r"^\(?(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdghklmnpqrstvx])?"
                          r"(?:[aeiouy]{1,3})(?:ng|nh|ch|[cmnpt])?[.,;:)]*$", re.IGNORECASE)
_REFERENCE_RE = re.compile(r"^\(?[\w/.\-]*\d[\w/.\-]*[.,;:)]*$")
_ABBREVIATION_RE = re.compile(r"^[A-ZĐ]{1,4}\.$")


def _reads_as_text(word: str) -> bool:
    """Could ``word`` be text rather than noise, whatever Tesseract's confidence in it?"""
    return bool((len(word) > 1 and _SYLLABLE_RE.match(fold(word))) or _REFERENCE_RE.match(word)
                or _ABBREVIATION_RE.match(word))


def _kept_words(words: list[Word]) -> list[Word]:
    """What is not noise. A word read with less than :data:`NOISE_CONFIDENCE` is kept only where it reads as a
    syllable, a number or an abbreviation in a line that has words read with confidence: Tesseract gives 0 to
    whole words of a line it ran across a header's two columns («ỦY BAN NHÂN» 97, «DÂN» 0, «TỈNH» 0)."""
    confident_lines = {(w.block, w.paragraph, w.line) for w in words if w.confidence >= SPECK_CONFIDENCE}
    kept = []
    for word in words:
        if word.confidence < NOISE_CONFIDENCE:
            if (word.block, word.paragraph, word.line) in confident_lines and _reads_as_text(word.text):
                kept.append(word)
        elif word.confidence >= SPECK_CONFIDENCE or _has_text(word.text):
            kept.append(word)
    return kept


# Letters of other languages Tesseract reads for Vietnamese ones they look like: «Đ» as the Icelandic eth «Ð»
# (U+00D0, «GÐ, PGĐ»), or as both at once («QĐÐ-TTPVHCC», «TGĐÐ»); a bold «N» as «Ñ», or as both («ÑNVT»,
# «CNÑS», «các Vụ: NC, CÑ»); «I» as «Ï» («Chương ÏI»). None is a letter of Vietnamese.
_FOREIGN_LETTERS = str.maketrans("ÐðÑñÏï", "ĐđNnIi")
_FOREIGN_DOUBLED = re.compile(r"ĐÐ|ÐĐ|đð|ðđ|NÑ|ÑN|nñ|ñn")


def _foreign_letters_mended(text: str) -> str:
    return _FOREIGN_DOUBLED.sub(lambda m: m.group()[0].translate(_FOREIGN_LETTERS), text).translate(_FOREIGN_LETTERS)


# A mark with no letter or digit that a dash, a dot or a colon could be. Tesseract reads a speck of dust so
# (a dot of 2 × 3 pixels at 300 dpi) even with confidence: «SỬ -» / «DỤNG», «hành -» / «chính». A printed dash
# is as wide as a third of the line's letters are high (12–16 pixels), a colon or a dot stands against a word.
_MARK_RE = re.compile(r"^[-‐‑–—_.,:;'`~·•]+$")
SPECK_SIZE = 0.12  # a lone mark no larger than this times the height of its line's words is a speck


def _speck_mark(word: Word, height: int) -> bool:
    """Is ``word`` a lone mark too small to be printed punctuation, in a line whose words are ``height`` high?"""
    return bool(_MARK_RE.match(word.text)) and max(word.width, word.height) <= SPECK_SIZE * height


def lines_from_words(words: list[Word], page: int, dpi: float) -> list[Line]:
    """Tesseract's words grouped by its lines, boxes turned from pixels into points. A line is cut where
    two words are further apart than 1.5 times its height (word spaces are under half of it): Tesseract at
    times reads the two columns of a header or a closing ("Nơi nhận:" | "GIÁM ĐỐC") as one line. What it
    reads as noise is left out (:data:`NOISE_CONFIDENCE`, :data:`SPECK_CONFIDENCE`, :data:`SPECK_SIZE`):
    nothing is filled from a guess. A tone mark the line's other words say was misread is put right
    (:mod:`docmgr.ocr.tones`); the lines a paragraph wraps over lend it the words at their ends."""
    scale = 72 / dpi
    grouped: dict[tuple[int, int, int], list[Word]] = {}
    for word in _kept_words(words):
        grouped.setdefault((word.block, word.paragraph, word.line), []).append(word)
    pieces: list[list[Word]] = []
    wrapped: list[bool] = []  # the piece is a whole line of its paragraph, not one column of it
    for group in grouped.values():
        group.sort(key=lambda w: w.left)
        height = sorted(w.height for w in group)[len(group) // 2]
        group = [w for w in group if not _speck_mark(w, height)] or group
        first = len(pieces)
        pieces.append([group[0]])
        for before, word in zip(group, group[1:]):
            if word.left - (before.left + before.width) > 1.5 * height:
                pieces.append([])
            pieces[-1].append(word)
        wrapped += [len(pieces) - first == 1] * (len(pieces) - first)
    texts = [part_run_together(join_lone_letters(_foreign_letters_mended(" ".join(w.text for w in piece))))
             for piece in pieces]

    def neighbour(i: int, j: int, *, last: bool) -> str | None:
        """The syllable that ends (``last``) or starts piece ``j``, when ``i`` and ``j`` are whole lines one
        after the other of a paragraph: a wrapped line's words go on on the next."""
        if not (0 <= j < len(pieces) and wrapped[i] and wrapped[j]):
            return None
        a, b = pieces[i][0], pieces[j][0]
        if (a.block, a.paragraph) != (b.block, b.paragraph) or abs(a.line - b.line) != 1:
            return None
        return edge_syllable(texts[j], last=last)

    lines = []
    for i, piece in enumerate(pieces):
        if not texts[i].strip("|_-—–.,:;'\"` "):
            continue  # rules, table borders and specks read as punctuation
        text = restore_tones(texts[i], before=neighbour(i, i - 1, last=True), after=neighbour(i, i + 1, last=False))
        confidence = _mean_confidence(piece)
        lines.append(Line(page, min(w.left for w in piece) * scale, min(w.top for w in piece) * scale,
                          max(w.left + w.width for w in piece) * scale,
                          max(w.top + w.height for w in piece) * scale, text, confidence))
    return lines


def _weighted_mean(pairs) -> float | None:
    """The mean of (value, weight) pairs whose value is known; None if none weighs anything."""
    known = [(value, weight) for value, weight in pairs if value is not None]
    total = sum(weight for _value, weight in known)
    return sum(value * weight for value, weight in known) / total if total else None


def _mean_confidence(words: list[Word]) -> float | None:
    """Words' confidence weighted by their length: a long word read surely counts more than a speck."""
    return _weighted_mean((w.confidence, len(w.text)) for w in words)


def reads_poorly(confidence: float | None) -> bool:
    """A page OCR trusts less than :data:`POOR_CONFIDENCE` (or found no word on)."""
    return confidence is None or confidence < POOR_CONFIDENCE


MAX_SKEW = 4.0  # degrees a page may be turned on the scanner's glass that deskew looks for


def skew_angle(image: Image.Image) -> float:
    """The angle (degrees, counter-clockwise) that makes the page's lines of text level: the one whose
    rows of ink are sharpest (the variance of the ink per row is highest), searched on a small copy."""
    small = image.reduce(4) if min(image.size) > 1200 else image
    ink = np.asarray(small, dtype=np.uint8) < 160
    if ink.sum() < 200:
        return 0.0
    picture = Image.fromarray((ink * 255).astype(np.uint8))

    def sharpness(angle: float) -> float:
        rows = np.asarray(picture.rotate(angle, resample=Image.NEAREST), dtype=np.float32).sum(axis=1)
        return float(np.var(rows))

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5), key=sharpness)
    fine = max(np.arange(best - 0.4, best + 0.41, 0.1), key=sharpness)
    return round(float(fine), 1)


# Dust: a dark speck of at most SPECK_PIXELS pixels, with no other ink within SPECK_CLEAR pixels of it (at
# 300 dpi; scaled with the resolution), is whitened before Tesseract reads the page. Tesseract reads such
# specks as dots, commas and quotes, and they break its layout analysis: header lines went missing. Marks of
# letters are never touched: the smallest, the dot under «ạ», is about 9 pixels at 300 dpi, and a tone mark
# or the thin end of a stroke has its letter's ink close by. Measured on scans of the labelled set (docs/
# intake.md); a median filter, which also clears specks, rounds the hook of «ổ» into the acute of «ố».
SPECK_PIXELS = 4
SPECK_REACH = 2  # a speck lies within this many pixels of each of its pixels
SPECK_CLEAR = 4  # and nothing else is within this many
INK_LEVEL = 128  # a grey level darker than this is ink


def _ink_around(ink: np.ndarray, reach: int) -> np.ndarray:
    """For each pixel, the ink in the (2 × reach + 1)² square around it, from a summed-area table."""
    side = 2 * reach + 1
    table = np.pad(ink.astype(np.int32), reach + 1).cumsum(axis=0).cumsum(axis=1)
    around = table[side:, side:] - table[:-side, side:] - table[side:, :-side] + table[:-side, :-side]
    return around[:ink.shape[0], :ink.shape[1]]


def despeckle(image: Image.Image, dpi: float) -> Image.Image:
    """``image`` (grayscale) with its lone specks whitened (see :data:`SPECK_PIXELS`); itself if it has none."""
    scale = dpi / 300
    most = max(1, round(SPECK_PIXELS * scale * scale))
    pixels = np.asarray(image.convert("L"), dtype=np.uint8)
    ink = pixels < INK_LEVEL
    near = _ink_around(ink, max(1, round(SPECK_REACH * scale)))
    speck = ink & (near <= most)
    if not speck.any():
        return image
    speck &= _ink_around(ink, max(2, round(SPECK_CLEAR * scale))) == near
    if not speck.any():
        return image
    cleaned = pixels.copy()
    cleaned[speck] = 255
    return Image.fromarray(cleaned, mode="L")


# A header's «Số:» line (see _header_read_again).
_NUMBER_LINE_RE = re.compile(r"^[\W_]{0,3}\s?(?:Số|SỐ)\s*[:.;]")  # after a speck or two: «_ Số: …»
HEADER_HEIGHT = 0.3  # of the page: the header is above this
HEADER_LEFT_WIDTH = 0.5  # of the page: the left column (issuer, number) is within this


ISSUER_SURE = 85.0  # a line of the left column read alone with this confidence may stand for the page's reading
ISSUER_DOUBT = 60.0  # … of a line the page's reading had with less confidence than this, or had not at all


def _header_read_again(image: Image.Image, dpi: float, lines: list[Line], language: str, page: int) -> list[Line]:
    """The page's lines with the header's left column (issuer, number) read again on its own, as one block
    (psm 6), where the page's reading lost or garbled a line of it.

    Tesseract's page layout (psm 3) at times runs the header's two columns together and drops the row under
    them (number | place and date), and it loses or garbles the issuer's last line, the one over the short rule
    («CHÍNH CÔNG» missing under «TRUNG TÂM PHỤC VỤ HÀNH», «SỞ GIÁO DỤC VÀ ĐÀO TẠO» read «cyng Co Ảnh Ác» at 10 %
    confidence). Read alone, the column comes out whole. From that reading only two things are taken: the
    «Số» line when the page's reading has none, and an issuer's line (above the «Số» line) read surely where
    the page's reading has nothing sure; the rest of the page's reading stays as it was."""
    bottom = HEADER_HEIGHT * image.height * 72 / dpi
    header = [line for line in lines if line.y0 < bottom]
    mottos = [line for line in header if is_motto(line.text)]
    if not mottos:
        return lines
    # The column ends at half the page, or where the motto begins if sooner: with a wide issuer («THỦ TƯỚNG
    # CHÍNH PHỦ») the motto starts before half the page, and its «CỘ» in the crop garbled the «Số» line.
    right = HEADER_LEFT_WIDTH * image.width
    motto_left = min(line.x0 for line in mottos) * dpi / 72 - 6
    if motto_left > image.width / 4:  # not a line across both columns
        right = min(right, motto_left)
    column = image.crop((0, 0, round(right), round(HEADER_HEIGHT * image.height)))
    words, _ = recognize(column, dpi, language, layout=6, text_layer=False)
    again = lines_from_words(words, page, dpi)
    number = next((line for line in again if _NUMBER_LINE_RE.match(line.text)), None)
    if number is None:
        return lines
    out = list(lines)
    if not any(_NUMBER_LINE_RE.match(line.text) for line in header):
        out.append(number)
    for line in again:
        if line.y1 > number.y0 + 2 or (line.confidence or 0) < ISSUER_SURE or not _reads_as_line(line.text):
            continue
        over = [other for other in out if other.y0 < bottom  # a line across both columns too
                and min(other.y1, line.y1) - max(other.y0, line.y0) > (line.y1 - line.y0) / 2
                and min(other.x1, line.x1) - max(other.x0, line.x0) > (line.x1 - line.x0) / 2]
        if all(other.confidence is not None and other.confidence < ISSUER_DOUBT for other in over):
            out = [other for other in out if other not in over] + [line]
    return out


def _year_lost(match: re.Match) -> bool:
    """Has the date ``match`` (of :data:`DATE_RE`) nothing where its year goes, not even a digit?"""
    return not match.group("y").strip(" ._…")


def _impossible_date(text: str) -> re.Match | None:
    """The date «ngày D tháng M năm Y» in ``text`` when it is written in full and is no date («ngày 37»), or
    has its day and month but no year («ngày 15 tháng 11 năm»: OCR lost the year at the line's end; a date
    left blank to be stamped at signing leaves its day and month blank too)."""
    match = DATE_RE.search(text)
    if not match or not all(match.group(key).isdigit() for key in "dm"):
        return None
    if _year_lost(match):  # «… năm .2025»: a speck before the year is no year lost
        return None if re.search(r"\d", text[match.end("y"):]) else match
    if not match.group("y").isdigit():
        return None
    return match if make_date(match.group("y"), match.group("m"), match.group("d")) is None else None


def _date_read_again(image: Image.Image, dpi: float, lines: list[Line], language: str, page: int) -> list[Line]:
    """The page's lines with a header's date that is no date («ngày 37 tháng 11») or lost its year read again
    as a raw line (psm 13). The date line is set in italics, and Tesseract's page and block layouts (psm 3, 6,
    7) read an italic «2» as «3» there, on one in three degraded scans, or drop the year at the line's end;
    read as a raw line it comes out as printed. Only the date's numbers are taken from the new reading, and
    only when they make a date."""
    bottom = HEADER_HEIGHT * image.height * 72 / dpi
    scale = dpi / 72
    out = list(lines)
    for index, line in enumerate(lines):
        match = _impossible_date(line.text) if line.y0 < bottom else None
        if match is None:
            continue
        pad = (line.y1 - line.y0) / 3
        # a year lost is beyond the line's box: the crop runs to the page's edge
        right = image.width if _year_lost(match) else round((line.x1 + pad) * scale)
        box = (max(0, round((line.x0 - pad) * scale)), max(0, round((line.y0 - pad) * scale)),
               min(image.width, right), min(image.height, round((line.y1 + pad) * scale)))
        words, _ = recognize(image.crop(box), dpi, language, layout=13, text_layer=False)
        again = DATE_RE.search(" ".join(word.text for word in words))
        if again is None or make_date(again.group("y"), again.group("m"), again.group("d")) is None:
            continue
        text = line.text
        for key in "ymd":  # from the end, so that the spans before stay where they are
            space = " " if key == "y" and not text[:match.start(key)].endswith(" ") else ""
            text = text[:match.start(key)] + space + again.group(key) + text[match.end(key):]
        out[index] = replace(line, text=text)
    return out


def _reads_as_line(text: str) -> bool:
    """Most of a line's words could be text (:func:`_reads_as_text`): not scraps of a seal or of the motto."""
    words = text.split()
    return len(words) >= 2 and sum(_reads_as_text(word) for word in words) >= 0.75 * len(words)


# The closing: «Nơi nhận:» on the left, the signature's titles on the right («TM. …», «KT. …», «GIÁM ĐỐC»).
_RECIPIENTS_LABEL_RE = re.compile(r"^[\W_]{0,3}\s?N[ơoớờ]i\s*nh[ậâặa]n\b", re.IGNORECASE)
_AUTHORITY_RE = re.compile(r"^[\W_]{0,3}\s?(?:TM|KT|TL|TUQ|T/M|K/T|T/L)[.:]?\s*[A-ZĐ]")
SIGNATURE_COLUMN = 0.4  # of the page's width: the signature's column starts right of this
CLOSING_DOUBT = 60.0  # a line in the closing read with less confidence than this: the closing is read again
CROSSING_MARGIN = 10.0  # a closing with a line across its columns: read again, taken if hardly less sure
FOUND_MARGIN = 1.0  # a reading of the closing that finds more text is taken if this much less sure or more


def _garbled(word: Word, height: float) -> bool:
    """Is ``word`` a word of text read as noise: as high as the text around it (``height``, the median), with
    letters, and read with less than :data:`NOISE_CONFIDENCE`? Not a speck, which is small."""
    return word.confidence < NOISE_CONFIDENCE and _has_text(word.text) and word.height >= height / 2


def _reading_confidence(lines: list[Line], words: list[Word], height: float) -> float | None:
    """How sure the page's reading is: the mean confidence of its lines and of the garbled words it dropped as
    noise (text it lost), by their length."""
    kept = {id(word) for word in _kept_words(words)}
    dropped = [word for word in words if id(word) not in kept and _garbled(word, height)]
    return _weighted_mean([(line.confidence, len(line.text)) for line in lines]
                          + [(word.confidence, len(word.text)) for word in dropped])


def _letters(lines: list[Line]) -> int:
    return sum(ch.isalnum() for line in lines for ch in line.text)


def _closing_read_again(image: Image.Image, dpi: float, lines: list[Line], words: list[Word], language: str,
                        page: int) -> list[Line]:
    """The page's lines with its closing read again, column by column, when the page's reading doubted it.

    Tesseract's page layout at times runs two lines of the Nơi nhận list into one («- Như trên; / - Phó CTr
    …» read as «bo Ti Phó r …»), loses a title line under another («PHÓ CHỦ TỊCH» under «KT. CHỦ TỊCH»
    read as «Tin THỢCHV»), or reads a list item and a title beside it as one line («… (số KT. TRƯỞNG BAN»).
    Where an item and a title share a row, the page's reading may also garble the word nearest the gap and
    drop it as noise: «Trần Hồng Hà» read «đTrần» (3 %) «Hồng Hà», «PHÓ CHỦ TỊCH THƯỜNG TRỰC» read «bí» (8 %)
    «CHỦ TỊCH …», «Võ Minh Lương» followed by «Nướợ lấn» (0 %). Read on its own as one column (psm 4), each
    column of the closing comes out whole. The closing is read again when one of its lines has little
    confidence, crosses the gap between the columns, or lost a garbled word (:func:`_garbled`); the new
    reading replaces it when it is surer, the page's reading weighed with the garbled words it dropped
    (:func:`_reading_confidence`); with a line across the gap, when it is about as sure; when it finds more
    letters, when it is hardly less sure (a title line the page's reading lost whole, «PHÓ CHỦ TỊCH» under
    «KT. CHỦ TỊCH», leaves no doubt to weigh)."""
    width = image.width * 72 / dpi
    anchors = [line for line in lines if _RECIPIENTS_LABEL_RE.match(line.text)
               or (_AUTHORITY_RE.match(line.text) and line.x0 > SIGNATURE_COLUMN * width)]
    if not anchors:
        return lines
    top = min(line.y0 for line in anchors) - 4
    closing = [line for line in lines if (line.y0 + line.y1) / 2 >= top]
    scale = dpi / 72
    read = [word for word in words if word.top + word.height / 2 >= top * scale]
    heights = sorted(word.height for word in read if _has_text(word.text))
    height = heights[len(heights) // 2] if heights else 0
    gap = _column_gap(image, dpi, max(0, round(top * scale)))
    crossing = gap is not None and any(line.x0 < gap - 3 and line.x1 > gap + 3 for line in closing)
    if not crossing and not any(line.confidence is not None and line.confidence < CLOSING_DOUBT
                                for line in closing) and not any(_garbled(word, height) for word in read):
        return lines
    split = gap
    if split is None:  # no clear gap: left of the signature's leftmost line
        right = [line.x0 for line in closing if line.x0 > SIGNATURE_COLUMN * width]
        split = (min(right) if right else width / 2) - 6
    again: list[Line] = []
    for left, stop in ((0.0, split), (split, width)):
        box = (round(left * scale), max(0, round(top * scale)), round(stop * scale), image.height)
        column, _ = recognize(image.crop(box), dpi, language, layout=4, text_layer=False)
        moved = [replace(w, left=w.left + box[0], top=w.top + box[1]) for w in column]
        again.extend(lines_from_words(moved, page, dpi))
    before = _reading_confidence(closing, read, height)
    after = _weighted_mean((line.confidence, len(line.text)) for line in again)
    margin = CROSSING_MARGIN if crossing else FOUND_MARGIN if _letters(again) > _letters(closing) else 0
    if after is None or (before is not None and after <= before - margin):
        return lines
    return [line for line in lines if (line.y0 + line.y1) / 2 < top] + again


def _column_gap(image: Image.Image, dpi: float, top: int) -> float | None:
    """Where the closing's two columns part (in points): the middle of the widest run of pixel columns with no
    ink below ``top``, between a quarter and three quarters of the page's width. The Nơi nhận list covers the
    page from its margin to its longest item, the centred signature from its widest title on: what no line
    crosses lies between them. None when no column is clear (specks of a pixel or two aside)."""
    ink = (np.asarray(image.crop((0, top, image.width, image.height)), dtype=np.uint8) < 128).sum(axis=0)
    start, stop = image.width // 4, image.width * 3 // 4
    best, run_start = (0, 0), None
    for x in range(start, stop + 1):
        clear = x < stop and ink[x] <= 2
        if clear and run_start is None:
            run_start = x
        elif not clear and run_start is not None:
            best = max(best, (x - run_start, run_start))
            run_start = None
    width, left = best
    return (left + width / 2) * 72 / dpi if width >= 4 else None


def ocr_page(data: bytes, fmt: str, number: int, settings: OcrSettings = OcrSettings()) -> OcrPage:
    """Render (or open) page ``number`` of the file, level it, clear its specks, and read it."""
    start = time.perf_counter()
    page = page_image(data, fmt, number, settings.dpi)
    image, angle = page.image, skew_angle(page.image)
    if abs(angle) >= 0.2:
        image = image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    image = despeckle(image, page.dpi)
    words, text_layer = recognize(image, page.dpi, settings.language)
    lines = lines_from_words(words, number, page.dpi)
    lines = _header_read_again(image, page.dpi, lines, settings.language, number)
    lines = _date_read_again(image, page.dpi, lines, settings.language, number)
    lines = _closing_read_again(image, page.dpi, lines, words, settings.language, number)
    return OcrPage(number, lines, _mean_confidence(words), time.perf_counter() - start, text_layer,
                   page.width_pt, page.height_pt, angle)


def summarize(pages: list[OcrPage], seconds: float) -> OcrSummary:
    mean = _weighted_mean((p.confidence, sum(len(line.text) for line in p.lines)) for p in pages)
    return OcrSummary(len(pages), seconds, mean, {p.number: p.confidence for p in pages},
                      {p.number: p.seconds for p in pages})


def _image_pages_pdf(data: bytes, count: int) -> PdfWriter:
    """A PDF of an image file's frames, each page the frame's size at its resolution (grayscale kept as the
    scanner wrote it, colour as JPEG)."""
    writer = PdfWriter()
    source = open_image(data)
    for number in range(1, count + 1):
        source.seek(number - 1)
        dpi = image_dpi(source)
        frame = ImageOps.exif_transpose(source)  # upright, as OCR read it (docmgr.pages.image_page)
        if frame.mode not in ("L", "1", "RGB"):
            frame = frame.convert("RGB")
        out = io.BytesIO()
        frame.save(out, format="PDF", resolution=dpi)
        writer.append(PdfReader(io.BytesIO(out.getvalue())))
    return writer


def searchable_pdf(data: bytes, fmt: str, page_count: int, pages: list[OcrPage]) -> bytes:
    """The file as a PDF whose OCR'd pages carry their text as an invisible layer (what a reader selects
    and searches). A PDF keeps its own pages (signatures' appearances included: only a copy is changed), less
    the invisible layer another OCR program left on a page docmgr read again (:mod:`docmgr.ocr.layers`); an
    image file becomes one page per frame."""
    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data))) if fmt == "pdf" \
            else _image_pages_pdf(data, page_count)
        for ocr in pages:
            target = writer.pages[ocr.number - 1]
            if fmt == "pdf":
                drop_invisible_text(writer, target)  # another OCR's reading: docmgr's takes its place
            layer = PdfReader(io.BytesIO(ocr.text_layer)).pages[0]
            box = target.mediabox
            rotation = int(target.get("/Rotate", 0) or 0) % 360
            width, height = float(box.width), float(box.height)
            if rotation in (90, 270):
                width, height = height, width
            transform = Transformation().scale(width / float(layer.mediabox.width),
                                               height / float(layer.mediabox.height))
            # The page was rendered as seen (rotated); the layer is turned back into the page's own space.
            if rotation == 90:
                transform = transform.rotate(90).translate(float(box.width), 0)
            elif rotation == 180:
                transform = transform.rotate(180).translate(float(box.width), float(box.height))
            elif rotation == 270:
                transform = transform.rotate(270).translate(0, float(box.height))
            if ocr.skew:  # the layer was read from the levelled page: turn it back as the page lies
                cx, cy = width / 2, height / 2
                transform = transform.translate(-cx, -cy).rotate(-ocr.skew).translate(cx, cy)
            transform = transform.translate(float(box.left), float(box.bottom))
            target.merge_transformed_page(layer, transform, over=True)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except ReadError:
        raise
    except Exception as exc:  # pypdf on an untrusted file: any failure is the file's, reported plainly
        raise ReadError(f"Không tạo được bản PDF có lớp chữ ({type(exc).__name__}).") from exc


__all__ = ["LANGUAGE", "POOR_CONFIDENCE", "OcrPage", "OcrSettings", "OcrSummary", "OcrUnavailable",
           "check_installed", "lines_from_words", "ocr_page", "reads_poorly", "searchable_pdf", "summarize"]
