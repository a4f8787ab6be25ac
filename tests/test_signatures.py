"""Digital signatures (chữ ký số) read and verified with pyHanko: PDFs signed by the tests with a throwaway CA —
a leader's signature, an agency's seal, two signatures in sequence, a file changed after signing, a root the
office does not trust, an expired certificate, broken signature data."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pypdf import PdfReader, PdfWriter

from docmgr.extraction import EXTRACT_KEYS, ReadLimits
from docmgr.intake.reading import read_file
from docmgr.ocr import OcrSettings
from docmgr.signatures.verify import SignatureSettings, verify_pdf
from tests.conftest import seed_path
from tests.test_stamped_text import HEADER


NOW = dt.datetime.now(dt.timezone.utc)


@pytest.fixture
def database_url(tmp_path):
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"  # signatures are about files: SQLite only


def _name(common: str, organization: str | None = None) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.COMMON_NAME, common)]
    if organization:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    return x509.Name(parts)


def _certificate(subject, issuer, key, issuer_key, ca=False, start=None, end=None):
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start or NOW - dt.timedelta(days=30))
            .not_valid_after(end or NOW + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=not ca, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=ca,
                                         crl_sign=ca, encipher_only=False, decipher_only=False), critical=True)
            .sign(issuer_key, hashes.SHA256()))


class CA:
    """A throwaway certification authority and the signers it issues."""

    def __init__(self, folder, name="Cơ quan chứng thực thử nghiệm"):
        self.folder = folder
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.root = _certificate(_name(name), _name(name), self.key, self.key, ca=True)
        self.root_path = folder / f"root-{id(self)}.pem"
        self.root_path.write_bytes(self.root.public_bytes(serialization.Encoding.PEM))

    def signer(self, common, organization, **validity) -> signers.SimpleSigner:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = _certificate(_name(common, organization), self.root.subject, key, self.key, **validity)
        stem = self.folder / f"{abs(hash((common, id(key))))}"
        stem.with_suffix(".pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        stem.with_suffix(".key").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                               serialization.PrivateFormat.PKCS8,
                                                               serialization.NoEncryption()))
        return signers.SimpleSigner.load(str(stem.with_suffix(".key")), str(stem.with_suffix(".pem")),
                                         ca_chain_files=(str(self.root_path),))

    def roots(self) -> tuple[bytes, ...]:
        return (self.root.public_bytes(serialization.Encoding.DER),)


def sign(pdf: bytes, signer, field: str) -> bytes:
    out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), signers.PdfSignatureMetadata(field_name=field),
                           signer=signer)
    return out.getvalue()


@pytest.fixture(scope="module")
def document() -> bytes:
    import weasyprint

    return weasyprint.HTML(string=HEADER.replace("Nguyễn Văn A", "")).write_pdf()


@pytest.fixture
def ca(tmp_path):
    return CA(tmp_path)


def test_a_leaders_signature_then_the_agencys_seal(document, ca):
    leader = ca.signer("Nguyễn Văn A", "UBND Thành phố Hà Nội")
    seal = ca.signer("UBND Thành phố Hà Nội", "UBND Thành phố Hà Nội")
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    signed = sign(sign(document, leader, "LanhDao"), seal, "ConDau")
    after = dt.datetime.now(dt.timezone.utc)
    first, second = verify_pdf(signed, ca.roots())
    assert (first.field, first.signer, first.organization) == ("LanhDao", "Nguyễn Văn A", "UBND Thành phố Hà Nội")
    assert first.intact and not first.covers_whole_file and first.modified_after == "later_signatures"
    assert first.trusted and first.summary == "valid" and first.is_person
    assert second.covers_whole_file and second.modified_after == "none" and second.summary == "valid"
    assert not second.is_person  # the seal's certificate names the agency
    assert before <= first.signed_at <= after and first.signed_at.utcoffset() is not None


def test_a_root_the_office_does_not_trust(document, ca, tmp_path):
    signed = sign(document, ca.signer("Nguyễn Văn A", "UBND Thành phố Hà Nội"), "LanhDao")
    other = CA(tmp_path, "Một CA khác")
    [untrusted] = verify_pdf(signed, other.roots())
    assert untrusted.intact and not untrusted.trusted and untrusted.summary == "untrusted"
    [none_configured] = verify_pdf(signed, ())
    assert none_configured.summary == "untrusted"


def test_an_expired_certificate(document, ca):
    expired = ca.signer("Trần Thị B", "Sở Nội vụ", start=NOW - dt.timedelta(days=400),
                        end=NOW - dt.timedelta(days=10))
    [signature] = verify_pdf(sign(document, expired, "LanhDao"), ca.roots())
    assert signature.intact and signature.summary == "expired"


def test_a_file_changed_after_signing(document, ca):
    """A page's text replaced in an incremental update after signing: the signature still hashes right over
    what it signed, but the file was changed in content afterwards."""
    signed = sign(document, ca.signer("Nguyễn Văn A", "UBND Thành phố Hà Nội"), "LanhDao")
    writer = PdfWriter(io.BytesIO(signed), incremental=True)
    writer.pages[0].merge_page(PdfReader(io.BytesIO(document)).pages[0])  # draws over the page: new content
    out = io.BytesIO()
    writer.write(out)
    [signature] = verify_pdf(out.getvalue(), ca.roots())
    assert signature.intact and not signature.covers_whole_file
    assert signature.modified_after == "content" and signature.summary == "modified"
    # A byte flipped inside what was signed (in a page's compressed content): the digest no longer matches.
    tampered = bytearray(signed)
    at = signed.index(b"stream\n") + len(b"stream\n") + 40
    tampered[at] ^= 0xFF
    [broken] = verify_pdf(bytes(tampered), ca.roots())
    assert not broken.intact and broken.summary == "modified"


def test_broken_signature_data_gives_an_error_for_that_signature(document, ca):
    signed = sign(document, ca.signer("Nguyễn Văn A", "UBND Thành phố Hà Nội"), "LanhDao")
    start = signed.index(b"/Contents <") + len(b"/Contents <")
    garbage = signed[:start] + b"3082" + b"0" * 60 + signed[start + 64:]
    [signature] = verify_pdf(garbage, ca.roots())
    assert signature.summary == "unreadable" and signature.error
    assert verify_pdf(b"%PDF-1.7 not really", ca.roots()) == []


def test_extract_reports_signatures_and_takes_the_signer_from_the_leaders_certificate(document, ca, tmp_path):
    leader = ca.signer("Nguyễn Văn A", "UBND Thành phố Hà Nội")
    seal = ca.signer("UBND Thành phố Hà Nội", "UBND Thành phố Hà Nội")
    path = tmp_path / "thong-bao.pdf"
    path.write_bytes(sign(sign(document, leader, "LanhDao"), seal, "ConDau"))
    extracted = read_file(path, limits=ReadLimits(), ocr=OcrSettings(enabled=False),
                          signatures=SignatureSettings(ca.roots()))
    data = extracted.as_json()
    assert tuple(data) == EXTRACT_KEYS and [s["summary"] for s in data["signatures"]] == ["valid", "valid"]
    assert data["signatures"][0]["signed_at"].endswith("+00:00")
    assert data["signer"] == "Nguyễn Văn A"  # the text names no signer: the leader's certificate does
    assert any("lấy từ chữ ký số" in w for w in extracted.warnings)
    text_only = read_file(seed_path("001"), limits=ReadLimits())
    assert text_only.as_json()["signatures"] == []


def test_a_signed_document_shows_its_signatures(document, ca, tmp_path, app, runner, client, auth):
    roots = tmp_path / "roots"
    roots.mkdir()
    roots.joinpath("ca.pem").write_bytes(ca.root_path.read_bytes())
    app.extensions["docmgr"].signatures = SignatureSettings.from_config({"DOCMGR_TRUST_ROOTS": str(roots)})
    signed = sign(document, ca.signer("Nguyễn Văn A", "UBND Thành phố Hà Nội"), "LanhDao")
    good, changed = tmp_path / "dung.pdf", tmp_path / "da-sua.pdf"
    good.write_bytes(signed)
    writer = PdfWriter(io.BytesIO(signed), incremental=True)
    writer.pages[0].merge_page(PdfReader(io.BytesIO(document)).pages[0])
    out = io.BytesIO()
    writer.write(out)
    changed.write_bytes(out.getvalue())
    result = runner.invoke(args=["docmgr", "import", "--json", str(good), str(changed)])
    assert result.exit_code == 0, result.output
    ids = [d["id"] for d in json.loads(result.output)["documents"]]
    auth.login()
    page = client.get(f"/documents/{ids[0]}").get_data(as_text=True)
    assert "Chữ ký số" in page and "Nguyễn Văn A" in page and "hợp lệ" in page
    page = client.get(f"/documents/{ids[1]}").get_data(as_text=True)
    assert "đã bị sửa sau khi ký" in page
    listing = client.get("/documents").get_data(as_text=True)
    assert listing.count("chữ ký số không hợp lệ") == 1  # the changed one is flagged in the list
    assert client.get("/worklist").get_data(as_text=True).count("chữ ký số không hợp lệ") == 1  # and the văn thư's work
    work = {row["id"]: row["signature_problem"] for row in client.get("/api/worklist").json["mine"]}
    assert work[ids[0]] is False and work[ids[1]] is True
    api = client.get(f"/api/documents/{ids[1]}").json
    assert api["signatures"][0]["summary"] == "modified" and api["signatures"][0]["modified_after"] == "content"
