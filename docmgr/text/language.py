"""How often each Vietnamese syllable, and each pair of neighbouring syllables, occurs in official text: the
language model docmgr reads uncertain words with — tone marks OCR misread (:mod:`docmgr.ocr.tones`), the
«ư» a legacy text lost (:mod:`docmgr.text.legacy`).

The counts (``syllables.tsv.gz``: 7,000 syllables and 254,000 pairs) are made by ``docmgr eval tone-model`` from
the shared corpus of 13,900 pages, the labelled documents and every page quoting their numbers left out.
"""

from __future__ import annotations

import functools
import gzip
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from docmgr.text.normalize import fold, normalize
from docmgr.text.syllables import is_syllable


MODEL_PATH = Path(__file__).with_name("syllables.tsv.gz")

SMOOTHING = 1000.0  # Dirichlet prior of the pair counts (in syllables)
MIN_SYLLABLE_COUNT = 3  # a syllable seen fewer times in the corpus is left out of the model
MIN_PAIR_COUNT = 5  # … a pair

_CORPUS_WORD_RE = re.compile(r"[^\W\d_]+|\S")


def key(word: str) -> str:
    """How a syllable is counted: small letters, NFC, one tone placement («hoà» and «hòa» are one)."""
    return normalize(word).lower()


def in_case_of(word: str, syllable: str) -> str:
    """``syllable`` written in ``word``'s case: «BỐ» + «bổ» → «BỔ», «Nguyên» + «nguyễn» → «Nguyễn», «T» + «tư» →
    «Tư» (a capital alone starts a word)."""
    if word.isupper() and len(word) > 1:
        return syllable.upper()
    if word[0].isupper():
        return syllable[0].upper() + syllable[1:]
    return syllable


@dataclass(frozen=True)
class SyllableModel:
    """Counts of syllables and of pairs of syllables (``"a b"``), in :func:`key` form."""

    syllables: dict[str, int]
    pairs: dict[str, int]
    source: str = ""

    @functools.cached_property
    def total(self) -> int:
        return sum(self.syllables.values())

    @functools.cached_property
    def spellings(self) -> dict[str, tuple[str, ...]]:
        """The syllables that share each word's letters once all marks are off: «bo» → bổ, bố, bộ, bó …"""
        groups: dict[str, list[str]] = {}
        for syllable in self.syllables:
            groups.setdefault(fold(syllable), []).append(syllable)
        return {letters: tuple(group) for letters, group in groups.items()}

    def unigram(self, syllable: str) -> float:
        return (self.syllables.get(syllable, 0) + 0.5) / (self.total + len(self.syllables))

    def log_next(self, before: str | None, syllable: str) -> float:
        """log P(syllable | the syllable before it); with nothing before, the syllable's own frequency."""
        if before is None:
            return math.log(self.unigram(syllable))
        pair = self.pairs.get(f"{before} {syllable}", 0)
        return math.log((pair + SMOOTHING * self.unigram(syllable)) / (self.syllables.get(before, 0) + SMOOTHING))

    def likeliest(self, choices: list[set[str]], cost: Callable[[int, str], float], before: str | None = None,
                  after: str | None = None) -> list[str]:
        """The likeliest run of syllables, one of ``choices[i]`` for each word ``i``, where reading word ``i`` as
        ``option`` costs ``cost(i, option)`` nats (Viterbi). ``before`` and ``after``, the syllables next to
        the run, are context only."""
        best = {option: (self.log_next(before, option) - cost(0, option), [option]) for option in choices[0]}
        for i in range(1, len(choices)):
            step = {}
            for option in choices[i]:
                score, path = max(((score + self.log_next(previous, option), path)
                                   for previous, (score, path) in best.items()), key=lambda pair: pair[0])
                step[option] = (score - cost(i, option), path + [option])
            best = step
        if after is not None:
            return max(((score + self.log_next(path[-1], after), path) for score, path in best.values()),
                       key=lambda pair: pair[0])[1]
        return max(best.values(), key=lambda pair: pair[0])[1]


def count_syllables(texts: Iterable[str], min_syllable: int = MIN_SYLLABLE_COUNT,
                    min_pair: int = MIN_PAIR_COUNT, source: str = "") -> SyllableModel:
    """A model from running text: each line's words, pairs only of words next to each other (no punctuation
    between). Words that are not Vietnamese syllables (abbreviations, foreign words, numbers) are left out."""
    syllables: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for text in texts:
        for line in key(text).split("\n"):
            before = None
            for match in _CORPUS_WORD_RE.finditer(line):
                word = match.group()
                if not word[0].isalpha():
                    before = None
                    continue
                syllables[word] += 1
                if before is not None:
                    pairs[f"{before} {word}"] += 1
                before = word
    kept = {word: n for word, n in syllables.items() if n >= min_syllable and is_syllable(word)}
    return SyllableModel(kept, {pair: n for pair, n in pairs.items()
                            if n >= min_pair and all(word in kept for word in pair.split(" "))}, source)


def write_model(model: SyllableModel, path: Path) -> None:
    """The model as gzipped text: a ``#`` line saying how it was made, then ``syllable<TAB>count`` lines, then
    ``syllable syllable<TAB>count`` lines, each part sorted (the same counts give the same bytes)."""
    lines = [f"# {model.source}"] if model.source else []
    lines += [f"{word}\t{n}" for word, n in sorted(model.syllables.items())]
    lines += [f"{pair}\t{n}" for pair, n in sorted(model.pairs.items())]
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=9, mtime=0))


def read_model(path: Path) -> SyllableModel:
    syllables: dict[str, int] = {}
    pairs: dict[str, int] = {}
    source = ""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                source = line[1:].strip()
                continue
            words, _tab, count = line.rstrip("\n").rpartition("\t")
            (pairs if " " in words else syllables)[words] = int(count)
    return SyllableModel(syllables, pairs, source)


@functools.cache
def default_model() -> SyllableModel:
    """The model shipped with docmgr, read once per process (about 0.3 s and 40 MB)."""
    return read_model(MODEL_PATH)
