"""Verifying a PDF's signatures with pyHanko (see :mod:`docmgr.signatures`)."""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import pem, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import ValidationContext, validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel

from docmgr.signatures import SignatureInfo


@dataclass(frozen=True)
class SignatureSettings:
    trust_roots: tuple[bytes, ...] = ()  # DER certificates the office trusts
    online: bool = False  # OCSP and CRL look-ups

    @classmethod
    def from_config(cls, config) -> SignatureSettings:
        folder = config.get("DOCMGR_TRUST_ROOTS")
        return cls(load_roots(Path(folder)) if folder else (), bool(config.get("DOCMGR_SIGNATURE_ONLINE", False)))


def load_roots(folder: Path) -> tuple[bytes, ...]:
    """The certificates (PEM or DER; .pem .crt .cer .der) in ``folder``, as DER; files that are not
    certificates are skipped with a log line."""
    roots: list[bytes] = []
    if not folder.is_dir():
        return ()
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".pem", ".crt", ".cer", ".der") or not path.is_file():
            continue
        data = path.read_bytes()
        try:
            blocks = [der for _kind, _headers, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
            for der in blocks:
                x509.Certificate.load(der).native  # noqa: B018 — parsed now, refused now
                roots.append(der)
        except (ValueError, TypeError) as exc:
            logging.getLogger(__name__).warning("DOCMGR_TRUST_ROOTS: %s is not a certificate (%s)", path, exc)
    return tuple(roots)


def _name(cert, key: str) -> str | None:
    try:
        value = cert.subject.native.get(key)
    except (ValueError, TypeError, AttributeError):
        return None
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value).strip() if value else None


def _modified_after(status, is_last: bool) -> str:
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return "none"
    level = status.modification_level
    if level is None or level == ModificationLevel.OTHER or not status.docmdp_ok:
        return "content"
    if level == ModificationLevel.LTA_UPDATES:
        return "later_signatures"
    # Filling a field: another signature is filling its field; with none after this one, it is a form.
    return "later_signatures" if not is_last else "form_filling"


def _signing_time(embedded) -> dt.datetime | None:
    try:
        moment = embedded.self_reported_timestamp
    except Exception:  # noqa: BLE001 — a malformed attribute: no time, not a failure
        moment = None
    if moment is None:
        try:
            from_m = embedded.sig_object.get("/M")
            moment = from_m if isinstance(from_m, dt.datetime) else None
        except Exception:  # noqa: BLE001
            moment = None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment


def _verify_one(embedded, roots: list, online: bool, is_last: bool) -> SignatureInfo:
    field = str(embedded.field_name or "")
    try:
        cert = embedded.signer_cert
        signer, organization = _name(cert, "common_name"), _name(cert, "organization_name")
    except Exception as exc:  # noqa: BLE001 — hostile or broken CMS data: this signature only
        return SignatureInfo(field, None, None, None, False, False, "content", False, "unreadable",
                             f"{type(exc).__name__}: {exc}"[:300])
    signed_at = _signing_time(embedded)
    try:
        context = ValidationContext(trust_roots=roots, allow_fetching=online, moment=signed_at,
                                    revocation_mode="soft-fail")
        status = validate_pdf_signature(embedded, context)
    except Exception as exc:  # noqa: BLE001
        return SignatureInfo(field, signer, organization, signed_at, False, False, "content", False, "unreadable",
                             f"{type(exc).__name__}: {exc}"[:300])
    modified_after = _modified_after(status, is_last)
    expired = False
    if signed_at is not None:
        validity = cert["tbs_certificate"]["validity"]
        expired = not (validity["not_before"].native <= signed_at <= validity["not_after"].native)
    trusted = bool(status.trusted)
    if not (status.intact and status.valid) or modified_after == "content":
        summary = "modified"
    elif expired:
        summary = "expired"
    elif not trusted:
        summary = "untrusted"
    else:
        summary = "valid"
    return SignatureInfo(field, signer, organization, signed_at, bool(status.intact),
                         status.coverage == SignatureCoverageLevel.ENTIRE_FILE, modified_after, trusted, summary)


def _embedded(reader) -> list:
    """The document's signatures in signing order; one that cannot even be parsed becomes an exception in
    its place (pyHanko's own collection fails as a whole on one broken signature)."""
    try:
        return list(reader.embedded_regular_signatures)
    except Exception:  # noqa: BLE001 — collect them one by one below
        pass
    found: list = []
    for name, _value, field in enumerate_sig_fields(reader, filled_status=True):
        try:
            embedded = EmbeddedPdfSignature(reader, field, name)
            embedded.signer_cert  # noqa: B018 — parsed now: a broken one is known now
            found.append((embedded.signed_revision, embedded))
        except Exception as exc:  # noqa: BLE001
            found.append((float("inf"), (name, exc)))
    return [item for _revision, item in sorted(found, key=lambda pair: pair[0])]


def verify_pdf(data: bytes, trust_roots: tuple[bytes, ...] = (), online: bool = False) -> list[SignatureInfo]:
    """Every signature of the PDF, in the order they were applied; ``[]`` when it has none or cannot be
    read as a signed PDF."""
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)  # problems are reported per signature
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = _embedded(reader)
    except Exception:  # noqa: BLE001 — not a PDF pyHanko can read: the readers say what is wrong with it
        return []
    roots = [x509.Certificate.load(der) for der in trust_roots]
    out = []
    for index, signature in enumerate(signatures):
        if isinstance(signature, tuple):
            name, exc = signature
            out.append(SignatureInfo(str(name or ""), None, None, None, False, False, "content", False, "unreadable",
                                     f"{type(exc).__name__}: {exc}"[:300]))
        else:
            out.append(_verify_one(signature, roots, online, index == len(signatures) - 1))
    return out
