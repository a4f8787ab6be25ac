"""Per-field warnings: what the confirm form says beside a field the reading left empty or doubtful.

Pure, like the parser that owns them: ``field_warnings(metadata, from_web, told, read)`` gives
``{field: message}``, one message per field, in Vietnamese, for the clerk to check before saving.
"""

from __future__ import annotations

from docmgr.extraction.names import AUTHORITY_PREFIXES


SUBJECT_TOO_LONG = 600  # characters: past this a subject has most likely run into the body

# The fields of the confirm form that a reading fills, with what to say when one is empty.
_EMPTY = {
    "doc_type": "Không đọc được tên loại văn bản.",
    "issued_on": "Không đọc được ngày ban hành (có thể văn bản chưa ghi ngày).",
    "place": "Không đọc được địa danh trước ngày ban hành.",
    "issuer": "Không đọc được cơ quan ban hành ở đầu văn bản.",
    "subject": "Không đọc được trích yếu.",
    "recipients": "Không tìm thấy mục «Nơi nhận».",
}
_FROM_WEB = "Lấy từ phần giới thiệu của trang web, không phải từ chính văn bản: đối chiếu lại."
# What a reading told rather than read, by why (the confirm form asks the clerk to check it)
_TOLD = {
    "notation": ("Suy ra từ ký hiệu văn bản vì không đọc được dòng tên cơ quan ở đầu văn bản (bản quét có khi mất "
                 "dòng này): đối chiếu lại."),
    "prefix": "Đã thêm «{prefix}» mà bản quét làm mất ở dòng đầu (dòng dưới là «KT.»): đối chiếu với văn bản.",
    "deputy": ("Đã thêm «KT.» mà bản quét làm mất: dòng dưới là chức vụ của cấp phó, người ký thay người đứng đầu; "
               "đối chiếu với văn bản."),
    "code": ("Bản quét đọc được «{read}»: ký hiệu lệch một chữ so với mã của tên loại văn bản hay của cơ quan ban "
             "hành, nên đã sửa theo mã đó (bản quét có khi đọc nhầm chữ); đối chiếu với văn bản."),
    "term": ("Bản quét đọc được «{read}»: khóa Quốc hội trong ký hiệu bị mất hay đọc sai, nên đã lấy khóa mới nhất "
             "mà các văn bản được dẫn trong chính văn bản này mang; đối chiếu với văn bản."),
    "gap": ("Dòng đầu của trích yếu chỉ còn một chữ, cách phần dưới một dòng trống: bản quét có khi làm mất chữ ở "
            "đây, đối chiếu với văn bản."),
}


# How a line that signs for someone starts: «KT.», «TL.», «K/T», a bare «KT » (a Party body's «T/M …» may close
# a block: not counted)
_SIGNING_FOR = tuple(f"{prefix} " if prefix.isalpha() else prefix
                     for prefix in AUTHORITY_PREFIXES if prefix != "T/M")


def _lacks_own_title(title: str) -> bool:
    """Does the signature's title end before the signer's own title: its last line signs for someone
    («… / KT. CHỦ TỊCH») or breaks off («… BAN CHÍNH SÁCH,»)?"""
    last = title.split(" / ")[-1].strip()
    return last.upper().startswith(_SIGNING_FOR) or last.endswith((",", "-", "–"))


def field_warnings(meta, from_web: frozenset | set = frozenset(), told: dict[str, str] | None = None,
                   read: dict[str, str | None] | None = None) -> dict[str, str]:
    """``{field: message}`` for the fields of ``meta`` (a :class:`~docmgr.extraction.metadata.Metadata`) that
    are empty or doubtful; ``from_web`` names the fields filled from a web page's own description, ``told``
    those the reading told rather than read or doubts, each with why: «notation» (an issuer whose lines were
    lost, told by the notation's code), «prefix» (a title's first prefix a scan lost, told by the «KT.» line
    under it), «deputy» (a «KT.» a scan lost, told by a deputy's title under the head's), «gap» (a subject whose
    first line is one word over a blank: words lost there), «code» (a notation's code a letter off the type's
    or the issuer's, mended) or «term» (the Assembly's term in a notation, lost, told by the latest the document
    cites); ``read`` gives the value as read, which the warning quotes."""
    out: dict[str, str] = {}
    if meta.number is None:
        out["number"] = ("Số còn để trống: văn bản chưa được cấp số (số có khi ký ban hành)." if meta.notation
                         else "Không đọc được số, ký hiệu văn bản.")
    for name, message in _EMPTY.items():
        if not getattr(meta, name):
            out[name] = message
    if meta.subject and len(meta.subject) > SUBJECT_TOO_LONG:
        out["subject"] = (f"Trích yếu dài bất thường ({len(meta.subject):,} ký tự): kiểm tra xem có lẫn phần "
                          "nội dung không.").replace(",", ".")
    if meta.signer is None:
        out["signer"] = ("Văn bản không ghi tên người ký dưới chức vụ." if meta.signer_title
                         else "Không tìm thấy khối chữ ký.")
    elif meta.signer_title is None:
        out["signer_title"] = "Không đọc được chức vụ của người ký."
    if meta.signer_title and _lacks_own_title(meta.signer_title):
        out["signer_title"] = ("Chức vụ người ký có vẻ thiếu dòng cuối (chức vụ của chính người ký, dưới «KT.», «TM.» "
                               "hay «TL.»; bản quét có khi mất dòng nằm dưới dấu): đối chiếu với văn bản.")
    if meta.parent_issuer and meta.issuer and meta.parent_issuer == meta.issuer:
        out["parent_issuer"] = "Cơ quan chủ quản trùng cơ quan ban hành: kiểm tra hai dòng đầu văn bản."
    for name, why in (told or {}).items():
        out[name] = _TOLD[why].format(prefix=(meta.signer_title or "").split(" ", 1)[0],
                                      read=(read or {}).get(name) or "")
    for name in from_web:
        out[name] = _FROM_WEB
    return out
