"""The usual abbreviations of Vietnamese administrative names ("UBND" = "Ủy ban nhân dân"), spelled out: for
comparing names in the address book and for search filters (coquan:UBND)."""

from __future__ import annotations

import re

from docmgr.text.normalize import normalize


# Abbreviations of Vietnamese administrative names, spelled out before comparing. Keys are
# lower-case, tone-normalized tokens; "&" and "-" inside a token are kept ("tb&xh").
ABBREVIATIONS = {
    "ubnd": "ủy ban nhân dân",
    "hđnd": "hội đồng nhân dân",
    "mttq": "mặt trận tổ quốc",
    "mttqvn": "mặt trận tổ quốc việt nam",
    "ub": "ủy ban",
    "tw": "trung ương",
    "tp": "thành phố",
    "tx": "thị xã",
    "tt": "thị trấn",
    "vp": "văn phòng",
    "vpub": "văn phòng ủy ban nhân dân",
    "bch": "ban chấp hành",
    "btt": "ban thường trực",
    "đbqh": "đại biểu quốc hội",
    "lđ": "lao động",
    "tb&xh": "thương binh và xã hội",
    "lđ-tb&xh": "lao động thương binh và xã hội",
    "lđtbxh": "lao động thương binh và xã hội",
    "gd&đt": "giáo dục và đào tạo",
    "gdđt": "giáo dục và đào tạo",
    "khcn": "khoa học và công nghệ",
    "kh&cn": "khoa học và công nghệ",
    "tn&mt": "tài nguyên và môi trường",
    "tnmt": "tài nguyên và môi trường",
    "gtvt": "giao thông vận tải",
    "nn&ptnt": "nông nghiệp và phát triển nông thôn",
    "nnptnt": "nông nghiệp và phát triển nông thôn",
    "vh,tt&dl": "văn hóa thể thao và du lịch",
    "vhttdl": "văn hóa thể thao và du lịch",
    "kh&đt": "kế hoạch và đầu tư",
    "khđt": "kế hoạch và đầu tư",
    "tt&tt": "thông tin và truyền thông",
    "tttt": "thông tin và truyền thông",
    "bhxh": "bảo hiểm xã hội",
    "ctxh": "chính trị xã hội",
    "đ/c": "đồng chí",
}
_TOKEN_RE = re.compile(r"[\w&/]+(?:-[\w&/]+)*")


def spell_out(text: str) -> str | None:
    """``text`` with its abbreviations spelled out ("UBND tỉnh" → "ủy ban nhân dân tỉnh"), in lower case; None
    when it holds none."""
    lowered = normalize(text).lower()
    changed = False

    def expand(match: re.Match) -> str:
        nonlocal changed
        token = match.group(0)
        expanded = ABBREVIATIONS.get(token)
        if expanded is None and re.search(r"[-/]", token):
            parts = [p for p in re.split(r"[-/]", token) if p]
            if any(p in ABBREVIATIONS for p in parts):
                expanded = " ".join(ABBREVIATIONS.get(p, p) for p in parts)
        if expanded is None:
            return token
        changed = True
        return expanded

    out = _TOKEN_RE.sub(expand, lowered)
    return out if changed else None
