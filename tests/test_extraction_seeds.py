"""The extractor against the five sample documents and hand-labelled corpus documents."""

import json
from pathlib import Path

import pytest

from docmgr.extraction import EXTRACT_KEYS, JSON_KEYS, extract_file


SAMPLES = Path(__file__).parent.parent / "docmgr" / "sample_data"
CORPUS = Path(__file__).parent / "data" / "corpus"


def _cases(folder: Path):
    return [pytest.param(folder / case.pop("file"), case, id=folder.name + "/" + Path(case_file).stem[:8])
            for case in json.loads((folder / "expected.json").read_text(encoding="utf-8"))
            for case_file in [case["file"]]]


@pytest.mark.parametrize("path, expected", _cases(SAMPLES))
def test_seed_matches_expected_exactly(path, expected):
    got = extract_file(path).metadata.as_json()
    assert {k: got[k] for k in expected} == expected


@pytest.mark.parametrize("path, expected", _cases(CORPUS))
def test_labelled_corpus_document(path, expected):
    """Official documents from the corpus, labelled by hand from their source text."""
    assert extract_file(path).metadata.as_json() == expected


def test_json_has_exactly_the_documented_keys():
    extracted = extract_file(next(SAMPLES.glob("001_*.txt")))
    assert tuple(extracted.metadata.as_json()) == JSON_KEYS
    assert tuple(extracted.as_json()) == EXTRACT_KEYS == (*JSON_KEYS, "ocr", "signatures")
    assert extracted.as_json()["ocr"] is None
