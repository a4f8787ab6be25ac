"""``docmgr eval extract``: scoring extraction against hand-labelled documents, and the labelled set itself
(tests/data/extraction: a tuning part and a held-out fifth that changes are never tuned on)."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from docmgr.cli import main
from docmgr.extraction import extract_bytes, extract_file
from docmgr.extraction.evaluation import LabelError, Report, load_labels, normalize, recipients_f1, score_document
from docmgr.ocr import scans
from docmgr.pages import pdf_page


DATA = Path(__file__).parent / "data" / "extraction"
SAMPLES = Path(__file__).parent.parent / "docmgr" / "sample_data"


def test_values_compare_after_nfc_tone_placement_case_and_spaces():
    assert normalize("Lê Hải Hoà") == normalize("LÊ  HẢI HÒA") == normalize("Le\u0302 Ha\u0309i Ho\u0300a")
    assert normalize("hóa đơn.") != normalize("hóa đơn")  # punctuation is part of the value
    assert normalize(None) is None and normalize("  ") is None


def test_recipients_score_the_f1_of_a_one_to_one_matching():
    assert recipients_f1([], []) == 1.0
    assert recipients_f1(["Như trên", "Lưu: VT"], []) == 0.0
    assert recipients_f1(["A", "B", "Lưu: VT"], ["a", "Lưu:  VT"]) == pytest.approx(0.8)  # p 1, r 2/3
    assert recipients_f1(["A"], ["A", "A"]) == pytest.approx(2 / 3)  # an item matches once


def test_a_document_scores_only_the_fields_its_labels_give_and_null_equal_to_null_is_right():
    expected = {"number": "12/QĐ-UBND", "issued_on": None, "recipients": ["Như Điều 3", "Lưu: VT"]}
    got = {"number": "12/QĐ-UBND", "issued_on": None, "place": "Hà Nội", "recipients": ["Như Điều 3"]}
    document = score_document("a.md", expected, got)
    assert document.scores == {"number": 1.0, "issued_on": 1.0, "recipients": pytest.approx(2 / 3)}
    assert list(document.wrong()) == ["recipients"]
    unread = score_document("b.pdf", expected, None, error="Tệp hỏng")
    report = Report([document, unread])
    assert report.fields["number"] == 0.5 and report.worst(1)[0].file == "b.pdf"
    assert report.overall == pytest.approx((1 + 1 + 2 / 3) / 6)


def test_unusable_labels_are_refused_with_the_reason(tmp_path):
    bad = tmp_path / "expected.json"
    bad.write_text('{"file": "a.md"}', encoding="utf-8")
    with pytest.raises(LabelError, match="danh sách"):
        load_labels(bad)
    bad.write_text('[{"file": "a.md", "sender": "x"}]', encoding="utf-8")
    with pytest.raises(LabelError, match="sender"):
        load_labels(bad)


def _eval(folder: Path, expected: Path | None = None) -> dict:
    result = CliRunner().invoke(main, ["eval", "extract", str(folder), str(expected or folder / "expected.json"),
                                       "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_samples_score_one():
    report = _eval(SAMPLES)
    assert report["documents"] == 5 and report["overall"] == 1.0 and report["worst"] == []


def test_a_missing_file_counts_wrong_and_is_named(tmp_path):
    labels = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))[:1]
    labels.append({"file": "khong-co.md", "number": "1/TB-UBND"})
    expected = tmp_path / "expected.json"
    expected.write_text(json.dumps(labels, ensure_ascii=False), encoding="utf-8")
    report = _eval(SAMPLES, expected=expected)
    assert report["documents"] == 2 and report["worst"][0]["file"] == "khong-co.md"
    assert report["worst"][0]["error"] and report["fields"]["number"] == 0.5


def test_the_labelled_set_holds_a_hundred_documents_with_a_fifth_held_out():
    tune, held_out = (load_labels(DATA / part / "expected.json") for part in ("tune", "held_out"))
    total = len(tune) + len(held_out)
    assert total >= 100 and round(total / 5) == len(held_out)  # a fifth, rounded: batches of 100, 40, 9 and 21
    names = [label["file"] for label in tune + held_out]
    assert len(set(names)) == len(names)
    for part, labels in (("tune", tune), ("held_out", held_out)):
        for label in labels:
            assert (DATA / part / label["file"]).is_file()
            assert set(label) == {"file", "number", "notation", "doc_type", "issued_on", "place", "issuer",
                                  "parent_issuer", "subject", "signer", "signer_title", "recipients"}


@pytest.mark.parametrize("part, floor", [("tune", 0.99), ("held_out", 0.95)])
def test_extraction_holds_on_the_labelled_set(part, floor):
    """A regression guard at the figures reached (docmgr eval extract prints the detail): the tuning part at
    0.99 and the held-out fifth — never tuned on — at the issue's target of 0.95."""
    report = Report()
    for label in load_labels(DATA / part / "expected.json"):
        got = extract_file(DATA / part / label["file"]).metadata.as_json()
        report.documents.append(score_document(label["file"], {k: v for k, v in label.items() if k != "file"}, got))
    assert report.overall >= floor, report.as_json(5)


def _a_paragraph_per_line(text: str) -> str:
    """The page as a web page with a paragraph per line gives it: a blank line after every line of text
    (a markdown table's rows stay together)."""
    return "".join(line + ("\n" if line.lstrip().startswith("|") else "\n\n") for line in text.split("\n"))


def test_the_labelled_pages_read_the_same_with_a_paragraph_per_line():
    """Each tuning page again, a blank line after every line: the blank lines are the page's spacing, not
    its blocks. Before the parser told them apart, 0.855 of the fields came out right this way."""
    report = Report()
    for label in load_labels(DATA / "tune" / "expected.json"):
        text = _a_paragraph_per_line((DATA / "tune" / label["file"]).read_text(encoding="utf-8"))
        got = extract_bytes(text.encode("utf-8"), label["file"]).metadata.as_json()
        report.documents.append(score_document(label["file"], {k: v for k, v in label.items() if k != "file"}, got))
    assert report.overall >= 0.99, report.as_json(5)


@pytest.fixture
def database_url(tmp_path):
    """Rendering and reading files does not touch the database beyond the office's settings: SQLite only."""
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


PRINTED_CASES = {
    # Laid out per Phụ lục I: the list's cell runs up to the title's, a list cut by a page break inside a name,
    # «Việt Nam» ending a V/v subject, an issuer wrapped in the narrow header column, a subtitle in sentence case.
    "official": ("81eea34d32eed810.md", "2d977d9ad8cd2645.md", "cb6eb2174499b5d1.md", "1796a553dfee88ef.md",
                 "f20b8af669b140e9.md"),
    # The pages printed as a browser prints them: a squeezed list wrapped by the page, running page numbers.
    "page": ("9e001697662f9728.md", "344b9eec106a648a.md", "a57bf3febd1d410d.md"),
}


@pytest.mark.parametrize("kind", sorted(PRINTED_CASES))
def test_rendered_pdfs_of_labelled_documents_read_as_labelled(kind, runner, tmp_path):
    """``docmgr eval render`` prints labelled documents as PDFs with a text layer; read back as uploads are,
    they give their labels."""
    labels = [label for label in load_labels(DATA / "tune" / "expected.json") if label["file"] in PRINTED_CASES[kind]]
    subset = tmp_path / "expected.json"
    subset.write_text(json.dumps(labels, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / kind
    result = runner.invoke(args=["docmgr", "eval", "render", str(DATA / "tune"), str(subset), str(out), "--as", kind])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.pdf")) == sorted(n.replace(".md", ".pdf") for n in PRINTED_CASES[kind])
    report = _eval(out)
    assert report["overall"] == 1.0, report["worst"]


def test_another_seed_makes_another_scan_of_the_same_document(app, runner, tmp_path):
    """``--seed`` spoils the same printed page otherwise (skew, dust, grain): more OCR text to tune on from the
    same labels; the default seed makes the scans the labelled OCR texts were read from."""
    labels = [label for label in load_labels(DATA / "tune" / "expected.json") if label["file"] == "81eea34d32eed810.md"]
    subset = tmp_path / "expected.json"
    subset.write_text(json.dumps(labels, ensure_ascii=False), encoding="utf-8")
    pages = {}
    for seed in ("0", "1"):
        out = tmp_path / seed
        result = runner.invoke(args=["docmgr", "eval", "render", str(DATA / "tune"), str(subset), str(out),
                                     "--as", "scan", "--paragraphs", "2", "--seed", seed])
        assert result.exit_code == 0, result.output
        pages[seed] = pdf_page((out / "81eea34d32eed810.pdf").read_bytes(), 1, 100).image
    with app.app_context():  # the print templates read the office's settings
        printed = scans.printed_pdf((DATA / "tune" / "81eea34d32eed810.md").read_text(encoding="utf-8"),
                                    {k: v for k, v in labels[0].items() if k != "file"}, 2)
    first = scans.image_only_pdf(scans.scan_pages(printed, scans.Degradation.degraded(), seed=1))
    assert pdf_page(first, 1, 100).image.tobytes() == pages["0"].tobytes()
    assert pages["0"].tobytes() != pages["1"].tobytes()


def test_render_needs_an_initialized_instance(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCMGR_INSTANCE", str(tmp_path / "nothing"))
    result = CliRunner().invoke(main, ["eval", "render", str(DATA / "tune"), str(DATA / "tune" / "expected.json"),
                                       str(tmp_path / "out"), "--as", "page"])
    assert result.exit_code != 0 and "docmgr init" in result.output


@pytest.mark.parametrize("part, floor", [("tune", 0.985), ("held_out", 0.975)])
def test_extraction_from_ocr_text_holds_at_the_figures_reached(part, floor):
    """The text OCR read from degraded scans of the labelled documents: a regression guard at the figures
    reached (0.987 and 0.980), short of the text's; what OCR loses is in docs/intake.md."""
    folder = DATA / "ocr" / part
    report = Report()
    for label in load_labels(folder / "expected.json"):
        got = extract_file(folder / label["file"]).metadata.as_json()
        report.documents.append(score_document(label["file"], {k: v for k, v in label.items() if k != "file"}, got))
    assert len(report.documents) == (112 if part == "tune" else 28) and report.overall >= floor, report.as_json(5)
