"""The «ư» a TCVN3 text lost, put back from the words around it.

TCVN3 types the small «ư» with byte AD, which Windows-1252 and Unicode read as the soft hyphen: a sign that is
only shown where a line breaks. So it is dropped on its way through many programs — copied out of a PDF, printed
to PDF by LibreOffice, pasted into a web page — and «thương», «được», «như» come out «thơng», «đợc», «nh». A text
extraction that reads the glyph by its name gives a hyphen instead («Th-¬ng»). A converted text that lost every
«ư» is read again word by word: each word is itself or a syllable with «ư» put back, and the syllable model
(:mod:`docmgr.text.language`) chooses the likeliest run: «Bộ T pháp» → «Bộ Tư pháp», «nh trên» → «như trên»,
«Lu: VT» → «Lưu: VT», while «cha» stays «cha» where its neighbours say so.
"""

from __future__ import annotations

import functools
import re

from docmgr.text.language import SyllableModel, default_model, in_case_of, key
from docmgr.text.syllables import is_syllable


# A text is read again when this many of its words are ones the corpus has far more often with an «ư»
# («đợc», «ngời», «nh»: SURE_RATIO times or more) or hyphens that stand for it, so a text that merely has none
# is left alone.
SURE_WORDS = 2
SURE_RATIO = 100
# Putting «ư» back costs this (nats): with no word beside it to tell, a word stays as it is unless the corpus has
# it with «ư» e^0.5 ≈ 1.6 times as often («mời» / «mười», «đa» / «đưa» stay; «cha» / «chưa», «đợc», «lu» do not)
U_COST = 0.5
# A consonant alone takes «ư» only where the corpus's pair says so this strongly: of the times the word before
# it is followed by the new word («dân» by «cư»: 0.025), or the word after it is preceded by it («pháp» by «tư»:
# 0.048; «và» by «cư»: 0.001, «điểm a, c và d»)
LETTER_PAIR_SHARE = 0.01
_WORD_RE = re.compile(r"[^\W\d_]+")
# What an abbreviation or a notation is glued to («T1», «KH&CN», «CB-TH», «T/M», «20°C»): anything but a space and
# a sentence's punctuation, looked for past markdown's emphasis («**Hng**.» is a word, «C**ả**ng» is not)
_GLUED_RE = re.compile(r"[^\s.,;:!?()\[\]«»\"'“”…]")
# A hyphen a text extraction gave for the sign's glyph: inside a word, or at its edge («nh- sau», «-u tiªn»); or
# the hyphen shown where a line broke at the sign («Trung -» / «¬ng»: the rest of the word on the next line)
_HYPHEN_RE = re.compile(r"(?<![\w-])([^\W\d_]*)-(\n?)([^\W\d_]*)(?![\w-])")


@functools.cache
def _with_u() -> dict[str, tuple[str, ...]]:
    """The syllables of the default model with «ư», by what they are without it: «thơng» → («thương»,)."""
    forms: dict[str, list[str]] = {}
    for syllable in default_model().syllables:
        if "ư" in syllable:
            bare = syllable.replace("ư", "")
            if bare:
                forms.setdefault(bare, []).append(syllable)
    return {bare: tuple(found) for bare, found in forms.items()}


def _forms(word: str, model: SyllableModel) -> set[str]:
    """What ``word`` (as it stands in the text) may have been: itself (in :func:`key` form) and the syllables it
    is with «ư» put back."""
    bare = key(word)
    return {bare, *(form for form in _with_u().get(bare, ()) if form in model.syllables)}


def _choices(run: list[re.Match], model: SyllableModel, before: str | None = None,
             after: str | None = None) -> list[set[str]]:
    """What each word of a run may have been (:func:`_forms`). A word in capitals that is no syllable is an
    abbreviation when it stands alone («VT, TH»), but may be a word in a run of them («BAN BÍ TH»: «THƯ»). A
    consonant alone («dân c», «mục c», «Bộ T pháp») takes «ư» only where the corpus has the pair it then makes
    with a neighbour strongly enough (:data:`LETTER_PAIR_SHARE`: «dân cư», «Tư pháp»): the model knows no letter
    alone, and would put «ư» after every one. ``before`` and ``after``: the words beside the run on the lines
    above and below."""
    choices = []
    for word in run:
        text = word.group()
        if text.isupper() and len(text) > 1 and len(run) == 1 and not is_syllable(text):
            choices.append({key(text)})
        else:
            choices.append(_forms(text, model))
    beside = [{before} if before else set(), *choices, {after} if after else set()]
    for i, word in enumerate(run):
        bare = key(word.group())
        if len(bare) == 1 and not is_syllable(bare):
            choices[i] = {bare} | {form for form in choices[i] if _paired(form, beside[i], beside[i + 2], model)}
    return choices


def _paired(form: str, before: set[str], after: set[str], model: SyllableModel) -> bool:
    """Does ``form``, for a letter alone, make with a word beside it (as it may have been) a pair the corpus has
    often enough?"""
    return (any(model.pairs.get(f"{word} {form}", 0) >= LETTER_PAIR_SHARE * model.syllables.get(word, 0) > 0
                for word in before)
            or any(model.pairs.get(f"{form} {word}", 0) >= LETTER_PAIR_SHARE * model.syllables.get(word, 0) > 0
                   for word in after))


def _sure(word: str, model: SyllableModel) -> bool:
    bare = key(word)
    counts = [model.syllables[form] for form in _forms(word, model) if form != bare]
    return bool(counts) and max(counts) >= SURE_RATIO * max(model.syllables.get(bare, 0), 1)


def _join_hyphens(text: str, model: SyllableModel) -> tuple[str, int]:
    """``text`` with a hyphen that stands for «ư» put as one: «Th-ơng» → «Thương», «nh- sau» → «như sau»,
    «Trung -» / «ơng» → «Trung» / «ương», where the word it makes is a syllable the corpus has; «QĐ-UBND»,
    «tế-xã», «e-mail» stay."""
    made = []

    def joined(match: re.Match) -> str:
        left, broken, right = match.groups()
        letters = left + right
        if not letters or (broken and not right):
            return match.group()
        u = "Ư" if letters.isupper() and len(letters) > 1 else "ư"
        word = left + u + right
        if key(word) not in model.syllables or not is_syllable(word):
            return match.group()
        made.append(word)
        return broken + word  # a word broken at a line's end goes on the next line whole

    return (_HYPHEN_RE.sub(joined, text), len(made)) if "-" in text else (text, 0)


def restore_lost_u(text: str, model: SyllableModel | None = None) -> tuple[str, int]:
    """``text`` (converted from TCVN3) with the «ư» it lost put back, and how many words changed. A text that
    holds a small «ư» has not lost them, and one with fewer than :data:`SURE_WORDS` words that must have lost
    one may merely have none: either is returned as it is."""
    if "ư" in text:
        return text, 0
    model = model or default_model()
    joined, changed = _join_hyphens(text, model)
    lines = joined.split("\n")
    words = [list(_WORD_RE.finditer(line)) for line in lines]
    if changed + sum(_sure(word.group(), model) for line in words for word in line) < SURE_WORDS:
        return text, 0
    out: list[str] = []
    for number, (line, found) in enumerate(zip(lines, words)):
        parts, last = [], 0
        runs = _runs(line, found, model)
        for at, run in enumerate(runs):
            # a paragraph's wrapped lines: the word ending the line above and the one starting the line below
            before = _edge(out[-1], last=True, model=model) if at == 0 and out else None
            after = (_edge(lines[number + 1], last=False, model=model)
                     if at == len(runs) - 1 and number + 1 < len(lines) else None)
            choices = _choices(run, model, before, after)
            if all(len(options) == 1 for options in choices):
                continue
            read = [key(word.group()) for word in run]
            best = model.likeliest(choices, lambda i, option: 0.0 if option == read[i] else U_COST, before, after)
            for word, seen, chosen in zip(run, read, best):
                if chosen != seen:
                    parts += [line[last:word.start()], in_case_of(word.group(), chosen)]
                    last = word.end()
                    changed += 1
        out.append("".join(parts) + line[last:])
    return "\n".join(out), changed


def _edge(line: str, *, last: bool, model: SyllableModel) -> str | None:
    """The syllable a line ends with (``last``) or starts with, when it is one the model has and nothing but
    spaces stands between it and the line's edge: context for the line beside it."""
    found = list(_WORD_RE.finditer(line))
    if not found:
        return None
    word = found[-1] if last else found[0]
    if (line[word.end():] if last else line[:word.start()]).strip():
        return None
    syllable = key(word.group())
    return syllable if syllable in model.syllables else None


def _runs(line: str, words: list[re.Match], model: SyllableModel) -> list[list[re.Match]]:
    """``words`` in runs that only spaces part. A word that is no syllable or is in capitals, glued to a figure
    or a sign («T1», «KH&CN», «CB-TH», «T/M», «364/ĐA-CP»), and one or two letters that are no syllable with a dot
    («Tr.», «Th.», an initial «T.»; a small letter alone ends a sentence: «dân c.») are abbreviations: they are
    left out, and so is a word the model does not know and that no «ư» makes one it does («VT», «UBND»): they
    part runs, and tell nothing of the words beside them."""
    runs: list[list[re.Match]] = []
    for i, word in enumerate(words):
        if i == 0 or line[words[i - 1].end():word.start()].strip():
            runs.append([])
        text = word.group()
        before = line[:word.start()].rstrip("*")[-1:]
        after = line[word.end():].lstrip("*")[:1]
        if ((not is_syllable(text) or text.isupper()) and _GLUED_RE.search(before + after)) \
                or (after == "." and not is_syllable(text) and len(text) <= 2 and not (len(text) == 1
                                                                                   and text.islower())) \
                or (key(text) not in model.syllables and len(_forms(text, model)) == 1):
            runs.append([])
            continue
        runs[-1].append(word)
    return [run for run in runs if run]
