"""Tone marks that OCR misread, restored from the words around them.

Tesseract misreads a tone mark here and there, most of all in a scan's bold capitals: «BỐ SUNG» for «BỔ SUNG»,
«THẤM QUYỀN» for «THẨM QUYỀN», «quy định chỉ tiết» for «chi tiết», «NGUYÊN» for «NGUYỄN». Each misreading is a
real syllable, so no spelling check finds it; its neighbours do. A line OCR read is decoded as the likeliest
sequence of syllables under a noisy channel:

- the channel: a syllable is read as itself; as another syllable with the same letters and another tone mark
  at a cost of :data:`TONE_COST`; with another vowel (ơ/o, â/a, ư/u, đ/d) at :data:`QUALITY_COST`. A
  capitalised word after the first in a line with small letters is a name (of a person, a place, a body) and
  costs twice as much to change, unless it starts a sentence («… đặc biệt. Chỉ tiết …»): the model knows
  few names. A line of two to five capitalised words is a person's name (a signer's, «Trần Văn Thuấn»): its
  given names are kept as read, since the pairs of official text would make «Thuận» of «Thuấn»; the surname
  may still change («Nguyên» → «Nguyễn»). A line all in capitals (a subject, a title, set in bold, where
  OCR misreads tone marks most) costs less to change: «VÀ THỊ HÀNH PHÁP LUẬT» is read «THI HÀNH».
- the language: how often each syllable follows another in official Vietnamese — counts of syllables and of
  pairs of syllables (``syllables.tsv.gz``, 7,000 syllables and 254,000 pairs) made by ``docmgr eval
  tone-model`` from the shared corpus of 13,900 pages, the labelled documents and every page quoting their
  numbers left out.

The decoding (Viterbi over each run of words between punctuation) changes a word only when its neighbours make
another spelling more than e^5.5 ≈ 245 times likelier. A line a paragraph wraps onto the next has its
neighbours there too: the word ending the line above and the one starting the line below are context (never
changed themselves), so «DÂN TỘC» / «THIẾU SỐ» and «QUẢN LÝ» / «ĐỀ ĐIỀU» are read «THIỂU SỐ», «ĐÊ ĐIỀU».

Measured on the OCR text of degraded scans of the labelled documents (docs/intake.md), this step alone: fields
right 0.881 → 0.897 (tune), 0.885 → 0.895 (held out); the costs and the smoothing were chosen on the tune part
(a grid of a dozen), the held-out part only scored. With the wrapped lines' context the cost was chosen again
on the tune part (6 → 5.5: at 5 «đường xá» became «đường xa»): subject 0.857 → 0.911 (tune), typed text's
words changed 291 → 310 in 634,000. The factor for lines in capitals was chosen on the tune part too: 1.0,
0.9, 0.85, 0.8 and 0.7 (typed text's words changed 310, 311, 311, 311, 313 — at 0.7 «GIẢM» became «GIÁM»);
0.85 keeps «CHÍ THỊ» → «CHỈ THỊ» and «THỊ HÀNH» → «THI HÀNH». Only OCR text goes through it: typed text
keeps its own spelling.

The same channel reads a vowel OCR read twice with two tone marks («BỔỐ SUNG»: no syllable has two) as either
syllable it leaves with one of them out, at the cost of a misread mark, and the neighbours choose («BỔ SUNG»).

The same counts part words OCR ran together (:func:`part_run_together`): a word that is no syllable but two or
three syllables with marks that the corpus has seen side by side («HÀNH CHÍNHVÀ», «THÀNH PHỐHÀNỘI»,
«Quốchội»). In the OCR text of two scans of the 112 tune documents it parts 9 words, every one rightly. And they
join a letter OCR set apart from its syllable (:func:`join_lone_letters`: «N ghi định» → «Nghi định»).
"""

from __future__ import annotations

import math
import re

from docmgr.text.language import SyllableModel, default_model, in_case_of
from docmgr.text.language import key as _key
from docmgr.text.normalize import fold
from docmgr.text.syllables import is_syllable, without_tone


TONE_COST = 5.5  # nats: the channel's cost of reading a syllable with another tone mark
QUALITY_COST = 12.0  # … with another vowel or đ/d
NAME_FACTOR = 2.0  # a capitalised word in a line of small letters: costs times this
CAPITALS_FACTOR = 0.85  # a line in capitals (a title, a subject, set in bold): costs times this

# A word standing alone: letters with a space, punctuation or the line's end on either side. Letters glued to
# markup or digits («h****ành», «x2») are fragments, not syllables.
_EDGE = r"\s.,;:()\"'«»“”!?/\-"
_WORD_RE = re.compile(rf"(?<![^{_EDGE}])[^\W\d_]+(?![^{_EDGE}])")


def _toned(key: str) -> list[int]:
    """Where ``key``'s letters bear a tone mark (a syllable has one at most)."""
    return [i for i, letter in enumerate(key) if without_tone(letter) != letter]


def _vowel_read_twice(key: str, model: SyllableModel) -> set[str]:
    """The syllables ``key`` (in :func:`_key` form) is with one of two toned vowels left out, when it has two:
    OCR read a bold capital's vowel twice with two marks («BỔỐ SUNG», «THƯỜNG TRỤỰC»); its neighbours tell which
    of the two was printed."""
    toned = _toned(key)
    if len(toned) < 2:
        return set()
    return {key[:i] + key[i + 1:] for i in toned if key[:i] + key[i + 1:] in model.syllables}


def _cost(seen: str, syllable: str) -> float:
    """The channel's cost (nats) of reading ``syllable`` as ``seen`` (both in :func:`_key` form)."""
    if seen == syllable:
        return 0.0
    if without_tone(seen) == without_tone(syllable):
        return TONE_COST
    toned = _toned(seen)
    if len(seen) == len(syllable) + 1 and len(toned) > 1 and any(seen[:i] + seen[i + 1:] == syllable for i in toned):
        return TONE_COST  # a vowel read twice, with two marks
    return QUALITY_COST


def _decode(read: list[str], seen: list[str], factors: list[float], model: SyllableModel,
            before: str | None = None, after: str | None = None) -> list[str]:
    """The likeliest syllables (in :func:`_key` form) for a run of words as read, ``seen`` in that form
    (Viterbi); a word that is not a syllable («UBND», «XIV») stays as it is. ``before`` and ``after``, the
    syllables next to the run on the lines above and below, are context only: they are never changed."""
    choices = []
    for word, key, factor in zip(read, seen, factors):
        options = set(model.spellings.get(fold(key), ())) if is_syllable(word) and factor != math.inf else set()
        if factor != math.inf:
            options |= _vowel_read_twice(key, model)
        options.add(key)
        choices.append(options)

    def emit(i: int, option: str) -> float:  # a word kept as read costs nothing, whatever its factor
        return factors[i] * _cost(seen[i], option) if option != seen[i] else 0.0

    return model.likeliest(choices, emit, before, after)


def edge_syllable(line: str, *, last: bool) -> str | None:
    """The syllable a line starts with (or ends with, ``last``), in :func:`_key` form; None when punctuation,
    a number or an abbreviation stands there: the line's neighbour then gives no context across it."""
    words = list(_WORD_RE.finditer(line))
    if not words:
        return None
    word = words[-1] if last else words[0]
    if (line[word.end():] if last else line[:word.start()]).strip() or not is_syllable(word.group()):
        return None
    return _key(word.group())


def _parts(key: str, model: SyllableModel, most: int) -> tuple[float, list[int]] | None:
    """The best way to cut ``key`` (in :func:`_key` form) into two to ``most`` syllables each of which the
    corpus has seen next to the one before it: (the sum of the pairs' log counts, the cuts)."""
    best = None
    for cut in range(1, len(key)):
        head, tail = key[:cut], key[cut:]
        if not is_syllable(head) or head not in model.syllables:
            continue
        options = [(0.0, [])] if is_syllable(tail) and tail in model.syllables else []
        if most > 2:
            rest = _parts(tail, model, most - 1)
            if rest is not None:
                options.append(rest)
        for score, cuts in options:
            first = key[cut:cut + cuts[0]] if cuts else tail
            count = model.pairs.get(f"{head} {first}", 0)
            if count and (best is None or score + math.log(count) > best[0]):
                best = (score + math.log(count), [cut] + [cut + c for c in cuts])
    return best


# A letter alone before a word («N ghi định», «B Ộ»): OCR set a syllable's first letter apart
_LONE_LETTER_RE = re.compile(r"(?<!\S)(?P<letter>[^\W\d_]) (?P<rest>[^\W\d_]+)(?=[\s.,;:)]|$)")
# …but not a list's letter after the word that names it («điểm b», «mục c», «Phụ lục V», «tiết a»)
_LETTER_NAMERS = frozenset(("điểm", "mục", "tiết", "lục", "phần", "khoản", "nhóm", "loại", "hạng"))


def join_lone_letters(line: str, model: SyllableModel | None = None) -> str:
    """``line`` (one line of OCR text) with a letter OCR set apart from the rest of its syllable joined again
    («N ghi định» → «Nghi định», whose mark :func:`restore_tones` then puts right): a letter that is no word
    itself before a word, where together they are a syllable the corpus has seen with some marks."""
    if " " not in line:
        return line
    model = model or default_model()

    def join(match: re.Match) -> str:
        letter, rest = match.group("letter"), match.group("rest")
        before = line[: match.start()].split()
        if is_syllable(letter) or (before and _key(before[-1]) in _LETTER_NAMERS):
            return match.group()
        joined = letter + rest
        return joined if is_syllable(joined) and fold(_key(joined)) in model.spellings else match.group()

    return _LONE_LETTER_RE.sub(join, line)


def part_run_together(line: str, model: SyllableModel | None = None) -> str:
    """``line`` (one line of OCR text) with the words OCR ran together parted: a word that is no syllable but
    is two or three syllables the corpus has seen side by side («CHÍNHVÀ» → «CHÍNH VÀ», «PHỐHÀNỘI» → «PHỐ
    HÀ NỘI», «Quốchội» → «Quốc hội»), each with a mark. Abbreviations («UBND», «KSTTHC») are no syllables
    however cut; a word with a part with no mark («Lênin», «Kitô», «đôla», «Hanoi») is left alone: a foreign
    name or word spelled the Vietnamese way more often than not."""
    model = model or default_model()
    out, at = [], 0
    for match in _WORD_RE.finditer(line):
        word = match.group()
        if len(word) < 4 or word.isascii() or is_syllable(word) or len(_key(word)) != len(word):
            continue
        found = _parts(_key(word), model, 3)
        if found is None:
            continue
        cuts = [0] + found[1] + [len(word)]
        parts = [word[a:b] for a, b in zip(cuts, cuts[1:])]
        if any(part.isascii() for part in parts):  # «Lênin», «Kitô», «đôla»: a foreign name or word, spelled
            continue
        out += [line[at:match.start()], " ".join(parts)]
        at = match.end()
    return "".join(out) + line[at:] if out else line


def restore_tones(line: str, model: SyllableModel | None = None, *, before: str | None = None,
                  after: str | None = None) -> str:
    """``line`` (one line of OCR text) with the tone marks its context says were misread put right; the
    rest of the line — spacing, punctuation, case, tone placement — as it was. ``before`` and ``after`` are
    the syllables that end the line above and start the line below when the line is one of a paragraph's
    wrapped lines (:func:`edge_syllable`): «DÂN TỘC» / «THIẾU SỐ …» is read «THIỂU SỐ»."""
    words = list(_WORD_RE.finditer(line))
    if not words:
        return line
    model = model or default_model()
    keys = [_key(word.group()) for word in words]
    in_small_letters = any(word.group().islower() for word in words)
    in_capitals = all(word.group().isupper() for word in words)
    # «Trần Văn Thuấn»: a line of a few capitalised words is a person's name; its given names stay as read
    name_line = 2 <= len(words) <= 5 and all(w.group()[0].isupper() and not w.group().isupper() for w in words)
    runs: list[list[int]] = [[0]]
    for i in range(1, len(words)):
        if line[words[i - 1].end():words[i].start()].strip():
            runs.append([])
        runs[-1].append(i)
    changes: list[tuple[re.Match, str]] = []
    before = before if not line[:words[0].start()].strip() else None
    after = after if not line[words[-1].end():].strip() else None

    def starts_sentence(i: int) -> bool:  # «… đặc biệt. Chi tiết tại …»; not «TP. Hồ Chí Minh»
        return i == 0 or (words[i - 1].group().islower()
                          and any(mark in line[words[i - 1].end():words[i].start()] for mark in ".!?"))

    for number, run in enumerate(runs):
        factors = [math.inf if name_line and i > 0 else NAME_FACTOR if in_small_letters and not starts_sentence(i)
                   and words[i].group()[0].isupper() and not words[i].group().isupper()
                   else CAPITALS_FACTOR if in_capitals else 1.0 for i in run]
        context = (before if number == 0 else None, after if number == len(runs) - 1 else None)
        for i, syllable in zip(run, _decode([words[i].group() for i in run], [keys[i] for i in run], factors, model,
                                            *context)):
            if syllable != keys[i]:
                changes.append((words[i], in_case_of(words[i].group(), syllable)))
    if not changes:
        return line
    out, at = [], 0
    for match, replacement in changes:
        out += [line[at:match.start()], replacement]
        at = match.end()
    return "".join(out) + line[at:]
