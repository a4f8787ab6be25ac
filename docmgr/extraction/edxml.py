"""edXML packages (QCVN 102:2016/BTTTT, amended 2022): how documents travel between agencies' systems.

A package is one XML file: an envelope whose header (``MessageHeader``) states the document's metadata as
the sender's system registered it — sender (``From``: code, name, the agency in charge), recipients
(``To``), number and notation (``Code``), place and date (``PromulgationInfo``), type, subject, signer
(competence, position, name), due date, the places it is sent to (``ToPlaces``), priority — and, outside the
envelope, the signed files themselves in base64 (``AttachmentEncoded``).

:func:`read_package` reads one (untrusted: no DTD, no entity, no network); :func:`header_metadata` gives
the header as :class:`~docmgr.extraction.metadata.Metadata`; :func:`merged` lays it over what the parser read
from the main attachment's text, each field the two disagree on with a warning. Element names are matched
without their namespace and case, as senders' systems write them differently (``edXML:MessageHeader``,
``MessageHeader``, the older ``EdXMLEnvelope``). Pure: no Flask, no database.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from lxml import etree

from docmgr import doctypes
from docmgr.extraction.errors import ReadError
from docmgr.extraction.header import make_date, parse_number
from docmgr.extraction.metadata import Metadata
from docmgr.extraction.references import Reference
from docmgr.text import fold, search_key
from docmgr.text.filenames import safe_filename


NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
# The root element, after an XML declaration and comments: an edXML package (or an envelope alone).
_ROOT_RE = re.compile(rb"^(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:[\w.-]+:)?edXML(?:Envelope)?[\s>]",
                      re.IGNORECASE | re.DOTALL)
# Values senders' systems write for «none» in a field the schema makes mandatory.
_NONE_VALUES = frozenset({"", "n/a", "na", "none", "null", "0", "-", "không", "khong"})
# TraceHeaderList/Bussiness/BussinessDocType: 0 a new document; 1 revokes, 2 updates, 3 replaces one sent before.
BUSINESS_KINDS = {"1": "thu hồi", "2": "cập nhật", "3": "thay thế"}
# OtherInfo/Priority: 0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc, 4 hỏa tốc hẹn giờ.
URGENCY_BY_PRIORITY = {"1": "Khẩn", "2": "Thượng khẩn", "3": "Hỏa tốc", "4": "Hỏa tốc"}
# A signing competence as the document prints it above the position (TM., KT., TL., TUQ., Q.); systems that
# write «Ký thay» or «Trực tiếp» there give no line of the title.
_COMPETENCE_RE = re.compile(r"^(?:TM|KT|TL|TUQ|Q|QUYỀN)\s*[.:]?\s+\S", re.IGNORECASE)
_SUBJECT_PREFIX_RE = re.compile(r"^\s*v\s*/\s*v\s*[:.]?\s*", re.IGNORECASE)
_DATE_RES = (
    re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:\D|$)"),
    re.compile(r"^(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})(?:\D|$)"),
)
_APPENDIX_RE = re.compile(r"\bphu\s*luc\b|\bpl\d*\b")
# Formats that are ZIP files themselves: such an attachment is kept as it is, never opened as a sender's ZIP.
ZIP_SUFFIXES = (".zip", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".epub", ".jar", ".apk")
READABLE_SUFFIXES = (".pdf", ".docx", ".doc", ".odt", ".txt", ".html", ".htm", ".png", ".jpg", ".jpeg",
                     ".tif", ".tiff")
# The header's fields laid over the parsed ones that the confirm form shows (a disagreement warns beside them).
FORM_FIELDS = frozenset({"number", "issued_on", "place", "issuer", "parent_issuer", "doc_type", "subject", "signer",
                         "signer_title", "urgency"})


@dataclass
class Attachment:
    name: str
    content_type: str | None
    description: str | None
    data: bytes

    @property
    def role(self) -> str:
        """«appendix» when its name or description says Phụ lục, else «attachment» (the main file is chosen
        by :attr:`Package.main`)."""
        words = fold(f"{self.name} {self.description or ''}").lower()
        return "appendix" if _APPENDIX_RE.search(words) else "attachment"


@dataclass
class Package:
    """What an edXML package says: its header as metadata, what the header has that metadata has not, and
    the attached files in the package's order."""

    metadata: Metadata
    sender_code: str | None = None  # From/OrganId: the sender's code on the exchange (mã định danh)
    document_id: str | None = None  # MessageHeader/DocumentId: the document's id on the exchange
    due_on: dt.date | None = None  # DueDate: the date the sender asks a reply by
    page_count: int | None = None  # OtherInfo/PageAmount
    attachments: list[Attachment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    responds_to: list[Reference] = field(default_factory=list)  # ResponseFor: the documents this one answers

    @property
    def main(self) -> Attachment | None:
        """The document itself: the first PDF attached (the signed one), else the first file docmgr reads."""
        readable = [a for a in self.attachments if PurePath(a.name).suffix.lower() in READABLE_SUFFIXES
                    or a.data[:5] == b"%PDF-"]
        return next((a for a in readable if a.data[:5] == b"%PDF-"), readable[0] if readable else None)

    def info(self) -> dict:
        """What the package says beyond the metadata, as the intake keeps it (JSON)."""
        return {"format": "edxml", "sender_code": self.sender_code, "document_id": self.document_id,
                "due_on": self.due_on.isoformat() if self.due_on else None, "page_count": self.page_count,
                "responds_to": [ref.as_dict() for ref in self.responds_to]}


def is_edxml(head: bytes) -> bool:
    """Is this the head of an edXML package (its root element, within the first kilobytes)? A text that only
    quotes one («<edXML>» in a manual) is not."""
    head = head[:4096].removeprefix(b"\xef\xbb\xbf").lstrip()
    return head[:1] == b"<" and bool(_ROOT_RE.match(head))


def _local(element) -> str:
    return etree.QName(element).localname.lower() if isinstance(element.tag, str) else ""


def _child(element, *path: str):
    """The first descendant along ``path`` (local names, any case), or None."""
    for name in path:
        if element is None:
            return None
        element = next((c for c in element if _local(c) == name.lower()), None)
    return element


def _children(element, name: str) -> list:
    return [c for c in element if _local(c) == name.lower()] if element is not None else []


def _text(element, *path: str) -> str | None:
    found = _child(element, *path) if path else element
    if found is None:
        return None
    value = re.sub(r"\s+", " ", "".join(found.itertext())).strip()
    return None if value.lower() in _NONE_VALUES else value


def _find(root, name: str):
    return next((e for e in root.iter() if _local(e) == name.lower()), None)


def parse_date(value: str | None) -> dt.date | None:
    """«2024/05/16» (the standard's), «2024-05-16», «16/05/2024», a time after it allowed; None if none."""
    if not value:
        return None
    for pattern in _DATE_RES:
        match = pattern.match(value.strip())
        if match:
            return make_date(match["y"], match["m"], match["d"])
    return None


def _number(code_number: str | None, code_notation: str | None) -> tuple[str | None, str | None, int | None]:
    """(number, notation, sequence) from Code: «65» and «KH-UBND», or the whole «65/KH-UBND» in either."""
    notation = (code_notation or "").strip().strip("/") or None
    digits = code_number.strip() if code_number and re.fullmatch(r"\d+", code_number.strip()) else None
    if digits and int(digits) and notation and not notation.startswith(f"{digits}/"):  # «12», «2024/NĐ-CP» too
        return parse_number(f"{digits}/{notation}")
    for whole in (code_notation, code_number):
        if whole and re.match(r"^\d+\s*/", whole):
            number, parsed, sequence = parse_number(whole)
            if number:
                return number, parsed, sequence
    return None, notation, None


def _signer_title(competence: str | None, position: str | None) -> str | None:
    """«KT. CHỦ TỊCH / PHÓ CHỦ TỊCH», as the parser writes a title's lines. A competence that is no line the
    document prints («Trực tiếp»; «Ký thay», a word for «KT.» that names no head) is left out."""
    lines = []
    if competence and _COMPETENCE_RE.match(competence):
        lines.append(competence)
    if position and position not in lines:
        lines.append(position)
    return " / ".join(lines) or None


def header_metadata(message) -> tuple[Metadata, dict]:
    """The MessageHeader element as metadata, and what else it says (sender's code, document id, due date,
    page count)."""
    number, notation, sequence = _number(_text(message, "Code", "CodeNumber"), _text(message, "Code", "CodeNotation"))
    sender = _child(message, "From")
    issuer = _text(sender, "OrganName")
    in_charge = _text(sender, "OrganizationInCharge")
    parent = in_charge if in_charge and (not issuer or search_key(in_charge) != search_key(issuer)) else None
    type_name = _text(message, "DocumentType", "TypeName")
    known = doctypes.lookup(type_name) if type_name else None
    subject = _text(message, "Subject")
    if subject and (known is None or known.code is None):  # a công văn's «V/v …» is its subject
        subject = _SUBJECT_PREFIX_RE.sub("", subject) or subject
    signer = _child(message, "SignerInfo")
    competence = _text(signer, "Competence")
    # ToPlaces is the document's «Nơi nhận»; the To elements are where the package was sent (not a list to print).
    places = [p for p in (_text(e) for e in _children(_child(message, "ToPlaces"), "Place")) if p]
    page_amount = _text(message, "OtherInfo", "PageAmount")
    meta = Metadata(
        number=number, notation=notation, sequence=sequence,
        doc_type=known.name if known else type_name, doc_type_code=known.code if known else None,
        subject=subject, issued_on=parse_date(_text(message, "PromulgationInfo", "PromulgationDate")),
        place=_text(message, "PromulgationInfo", "Place"), issuer=issuer, parent_issuer=parent,
        signer=_text(signer, "FullName"), signer_title=_signer_title(competence, _text(signer, "Position")),
        recipients=places, urgency=URGENCY_BY_PRIORITY.get(_text(message, "OtherInfo", "Priority") or ""))
    responds_to = []
    for answered in _children(message, "ResponseFor"):
        code = _child(answered, "Code")
        number = (_number(_text(code, "CodeNumber"), _text(code, "CodeNotation"))[0] if code is not None and len(code)
                  else _number(None, _text(code))[0])
        if number and all(ref.number != number for ref in responds_to):
            responds_to.append(Reference(number, None, parse_date(_text(answered, "PromulgationDate"))))
    extra = {"sender_code": _text(sender, "OrganId"), "document_id": _text(message, "DocumentId"),
             "due_on": parse_date(_text(message, "DueDate")),
             "page_count": int(page_amount) if page_amount and page_amount.isdigit() else None,
             "responds_to": responds_to}
    return meta, extra


def _business_warning(root) -> str | None:
    """What the trace header's business part says of a package that is no new document: the sender revokes,
    updates or replaces one it sent before (BussinessDocType 1, 2, 3), with its reason and the documents
    concerned (their DocumentId: «sender's code,date,number»)."""
    business = next((e for e in root.iter() if _local(e) in ("bussiness", "business")), None)
    kind = BUSINESS_KINDS.get(_text(business, "BussinessDocType") or _text(business, "BusinessDocType") or "")
    if kind is None:
        return None
    reason = _text(business, "BussinessDocReason") or _text(business, "BusinessDocReason")
    earlier = [(_text(e) or "").split(",")[-1] for e in business.iter() if _local(e) == "documentid"
               and _text(e) and e.getparent() is not None and _local(e.getparent()) == "replacementinfo"]
    which = f" ({', '.join(earlier)})" if earlier else ""
    why = f"; lý do: «{reason}»" if reason else ""
    return (f"Gói edXML này là văn bản {kind}: bên gửi {kind} văn bản đã gửi trước{which}{why}. Tìm văn bản cũ "
            "trong kho và xử lý theo đó trước khi lưu văn bản này thành văn bản đến mới.")


def _attachments(root, max_bytes: int) -> tuple[list[Attachment], list[str]]:
    """The attached files (AttachmentEncoded/Attachment), named by the manifest where they are not."""
    manifest = {}
    for ref in (e for e in root.iter() if _local(e) == "reference"):
        cid = (_text(ref, "ContentId") or "").removeprefix("cid:")
        if cid:
            manifest[cid] = ref
    found, warnings, total = [], [], 0
    for number, item in enumerate((e for e in root.iter() if _local(e) == "attachment"
                                   and _child(e, "ContentTransferEncoded") is not None), start=1):
        cid = (_text(item, "ContentId") or "").removeprefix("cid:")
        ref = manifest.get(cid)
        name = _text(item, "AttachmentName") or (_text(ref, "AttachmentName") if ref is not None else None)
        name = safe_filename(name or "", f"tep-dinh-kem-{number}")
        encoded = "".join(_child(item, "ContentTransferEncoded").itertext())
        try:
            data = base64.b64decode(re.sub(r"\s+", "", encoded), validate=True)
        except (binascii.Error, ValueError):
            warnings.append(f"Tệp đính kèm «{name}» trong gói edXML hỏng (mã base64 sai): không lấy ra được; "
                            "gói gốc vẫn được lưu nguyên vẹn.")
            continue
        data = _unzipped(name, data, max_bytes - total)
        total += len(data)
        if total > max_bytes:
            raise ReadError(f"Các tệp đính kèm trong gói edXML vượt quá giới hạn {max_bytes // 2**20} MB.")
        if not data:
            warnings.append(f"Tệp đính kèm «{name}» trong gói edXML rỗng.")
            continue
        content_type = _text(item, "ContentType") or (_text(ref, "ContentType") if ref is not None else None)
        description = _text(item, "Description") or (_text(ref, "Description") if ref is not None else None)
        found.append(Attachment(name, content_type, description, data))
    return found, warnings


def _unzipped(name: str, data: bytes, budget: int) -> bytes:
    """The file some senders' systems zip before encoding («báo cáo.pdf» carried as a ZIP of that one file):
    the one file inside, when the name is of no ZIP-based format and it fits in ``budget`` (its stated size is
    checked before it is read, and what is read is held to it: no zip bomb). Else ``data`` as it came."""
    if data[:4] != b"PK\x03\x04" or PurePath(name).suffix.lower() in ZIP_SUFFIXES:
        return data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1 or members[0].file_size > budget:
                return data
            with archive.open(members[0]) as member:
                inner = member.read(members[0].file_size + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
        return data
    return inner if len(inner) == members[0].file_size else data


def read_package(data: bytes, max_bytes: int) -> Package:
    """An edXML package's header and attached files. Raises :class:`ReadError` (in Vietnamese) when the file
    is no package docmgr can read."""
    head = data[:65536]
    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in data.upper():
        raise ReadError("Gói edXML có khai báo DTD hoặc thực thể (DOCTYPE/ENTITY), điều gói edXML không có: "
                        "tệp không được nhận.")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"Gói edXML không đúng cú pháp XML ({exc.msg}, dòng {exc.lineno}): tệp có thể bị "
                        "cắt cụt khi truyền; đề nghị bên gửi gửi lại.") from exc
    message = _find(root, "MessageHeader")
    if message is None:
        raise ReadError("Tệp XML này không phải gói văn bản edXML (không có phần MessageHeader); nếu là "
                        "thông báo trạng thái hay tệp khác, docmgr không nhận làm văn bản.")
    meta, extra = header_metadata(message)
    attachments, warnings = _attachments(root, max_bytes)
    business = _business_warning(root)
    if business:
        warnings.insert(0, business)
    if not attachments:
        warnings.append("Gói edXML không kèm tệp văn bản nào: siêu dữ liệu lấy từ phần đầu gói; hãy đề nghị "
                        "bên gửi gửi kèm tệp văn bản.")
    return Package(meta, attachments=attachments, warnings=warnings, **extra)


def merged(parsed: Metadata, package: Package, main_name: str | None) -> Metadata:
    """The package's header laid over what the parser read from the main attachment's text: the header's
    value wins where it has one (the sender's system registered it), the parsed one stays where it has not.
    A field the two disagree on keeps the header's value and warns, quoting both. The recipients are the
    document's «Nơi nhận» as printed; the package's list of places (or of agencies it was sent to) stands in
    only for a document that has none."""
    header = package.metadata
    out = replace(parsed, warnings=list(parsed.warnings), field_warnings=dict(parsed.field_warnings))
    source = f"tệp «{main_name}»" if main_name else "tệp đính kèm"
    for name in ("number", "notation", "sequence", "doc_type", "doc_type_code", "subject", "issued_on", "place",
                 "issuer", "parent_issuer", "signer", "signer_title", "urgency"):
        given = getattr(header, name)
        if given is None:
            continue
        read = getattr(parsed, name)
        if name == "signer_title" and read and _holds_lines(read, given):
            continue  # «TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH»: more lines than the header has room for
        setattr(out, name, given)
        if name not in FORM_FIELDS:
            continue
        if read is not None and search_key(_comparable(name, read)) != search_key(_comparable(name, given)):
            shown = read.strftime("%d/%m/%Y") if isinstance(read, dt.date) else read
            out.field_warnings[name] = (f"Gói edXML ghi «{_shown(given)}», còn {source} ghi «{shown}»: đối chiếu "
                                        "với văn bản rồi sửa nếu cần.")
        else:
            out.field_warnings.pop(name, None)
    if header.recipients and not parsed.recipients:  # the document's own «Nơi nhận», when it has one, is kept
        out.recipients = list(header.recipients)
        out.field_warnings["recipients"] = ("Văn bản không có phần «Nơi nhận» đọc được: danh sách lấy từ nơi nhận "
                                            "ghi trong gói edXML.")
    if package.responds_to:  # the documents it answers first: their links are the ones a clerk looks for
        answered = {ref.number for ref in package.responds_to}
        out.references = [*package.responds_to, *(ref for ref in parsed.references if ref.number not in answered)]
    if out.number is None and header.notation is not None:
        out.field_warnings.setdefault("number", "Gói edXML không ghi số văn bản (chỉ có ký hiệu).")
    return out


def _holds_lines(title: str, lines: str) -> bool:
    """Has the title ``title`` more lines than ``lines``, and those among them in their order?"""
    have, wanted = [search_key(x) for x in title.split(" / ")], [search_key(x) for x in lines.split(" / ")]
    rest = iter(have)
    return len(have) > len(wanted) and all(line in rest for line in wanted)


def _comparable(name: str, value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if name == "signer_title":
        return re.sub(r"\s*/\s*", " ", value)
    return str(value)


def _shown(value) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)
