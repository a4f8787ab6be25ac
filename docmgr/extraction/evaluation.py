"""How well extraction reads documents labelled by hand: field-by-field accuracy, the overall score and the
worst documents (``docmgr eval extract``). Pure: the caller reads the files.

The labels are in the format of the samples' ``expected.json``: a list of objects, each with ``file`` and the
fields it labels (``number``, ``notation``, ``doc_type``, ``issued_on``, ``place``, ``issuer``,
``parent_issuer``, ``subject``, ``signer``, ``signer_title``, ``recipients``). A field is right when the value
read equals the label after normalization — Unicode NFC, one tone-mark placement («hoà» = «hòa»), case and runs
of spaces — and null equal to null is right. Recipients score the F1 of a one-to-one matching of the items
(each item matched at most once, equal after the same normalization); no items expected and none read is 1.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from docmgr.extraction.metadata import JSON_KEYS
from docmgr.text import normalize as canonical


class LabelError(ValueError):
    """The labels file cannot be used (not JSON, not a list of labelled files)."""


_SPACES = re.compile(r"\s+")


def normalize(value) -> str | None:
    """The form two values are compared in: NFC, one tone placement, lower case, single spaces."""
    if value is None:
        return None
    text = _SPACES.sub(" ", canonical(str(value))).strip().lower()
    return text or None


def recipients_f1(expected: list, got: list) -> float:
    """F1 of a one-to-one matching of the items (equal after :func:`normalize`)."""
    want = Counter(normalize(item) for item in expected or [] if normalize(item))
    have = Counter(normalize(item) for item in got or [] if normalize(item))
    if not want and not have:
        return 1.0
    matched = sum((want & have).values())
    if not matched:
        return 0.0
    precision, recall = matched / sum(have.values()), matched / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def field_score(name: str, expected, got) -> float:
    if name == "recipients":
        return recipients_f1(expected, got)
    return 1.0 if normalize(expected) == normalize(got) else 0.0


@dataclass
class DocumentScore:
    file: str
    scores: dict[str, float]
    expected: dict
    got: dict
    error: str | None = None  # the file could not be read: every field counts as wrong

    @property
    def score(self) -> float:
        return sum(self.scores.values()) / len(self.scores) if self.scores else 0.0

    def wrong(self) -> dict[str, dict]:
        return {name: {"expected": self.expected.get(name), "got": self.got.get(name), "score": round(value, 3)}
                for name, value in self.scores.items() if value < 1.0}


def score_document(file: str, expected: dict, got: dict | None, error: str | None = None) -> DocumentScore:
    """Score what was read from ``file`` (``got``: ``Metadata.as_json()``; None when it could not be read)
    against its labels, on the fields the labels give."""
    names = [name for name in expected if name in JSON_KEYS]
    got = got or {}
    scores = {name: (field_score(name, expected[name], got.get(name)) if error is None else 0.0) for name in names}
    return DocumentScore(file, scores, expected, got, error)


@dataclass
class Report:
    documents: list[DocumentScore] = field(default_factory=list)

    @property
    def fields(self) -> dict[str, float]:
        """Accuracy per field (the mean of its scores over the documents that label it)."""
        totals: dict[str, list[float]] = {}
        for document in self.documents:
            for name, value in document.scores.items():
                totals.setdefault(name, []).append(value)
        return {name: sum(values) / len(values) for name, values in totals.items()}

    @property
    def overall(self) -> float:
        """The share of fields right: every field of every document counts once."""
        values = [value for document in self.documents for value in document.scores.values()]
        return sum(values) / len(values) if values else 0.0

    def worst(self, count: int = 10) -> list[DocumentScore]:
        wrong = [document for document in self.documents if document.score < 1.0]
        return sorted(wrong, key=lambda document: (document.score, document.file))[:count]

    def as_json(self, worst: int = 10) -> dict:
        return {
            "documents": len(self.documents),
            "overall": round(self.overall, 4),
            "fields": {name: round(value, 4) for name, value in self.fields.items()},
            "worst": [{"file": document.file, "score": round(document.score, 4), "error": document.error,
                       "wrong": document.wrong()} for document in self.worst(worst)],
        }


def load_labels(path: str | Path) -> list[dict]:
    """The labelled files of an ``expected.json``; :class:`LabelError` with the reason when unusable."""
    try:
        labels = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LabelError(f"Không đọc được tệp nhãn {path}: {exc}") from exc
    if not isinstance(labels, list) or not all(isinstance(item, dict) and isinstance(item.get("file"), str)
                                               for item in labels):
        raise LabelError(f"Tệp nhãn {path} phải là một danh sách đối tượng JSON, mỗi đối tượng có «file».")
    unknown = sorted({key for item in labels for key in item if key != "file" and key not in JSON_KEYS})
    if unknown:
        raise LabelError(f"Tệp nhãn {path} có trường không biết: {', '.join(unknown)}.")
    return labels
