"""The body of a document for printing: the paragraphs between the header and the closing."""

from __future__ import annotations

import re

from docmgr.extraction.closing import parse_recipients
from docmgr.extraction.header import BODY_START_RE, find_header_start
from docmgr.extraction.layout import logical_lines
from docmgr.extraction.webmeta import parse_web_metadata


# A line that starts a paragraph of its own: a heading or an item.
_ITEM_RE = re.compile(r"^([IVXLC]+\.|\d+(\.\d+)*[.)]|[a-zđ][.)]|[-–+•*]\s|Điều \d|Chương [IVXLC\d]|Mục \d|Phần )")
_HEADER_LINES = 80      # the body starts within this many lines of the top
_SHORT_LINE = 40        # a shorter line ends its paragraph (a heading) unless the next one starts lower-case


def _paragraphs(lines: list[str]) -> list[str]:
    out: list[str] = []
    last_line = ""
    for line in lines:
        line = line.strip()
        if not line:
            if out and out[-1]:
                out.append("")
            continue
        previous = out[-1] if out else ""
        if previous and not _ITEM_RE.match(line) and not previous.endswith((".", ":", ";", "!", "?")) \
                and (line[0].islower() or len(last_line) >= _SHORT_LINE):
            out[-1] += " " + line
        else:
            out.append(line)
        last_line = line
    return [p for p in out if p]


def body_paragraphs(doc) -> list[str]:
    """The body of ``doc``'s text as paragraphs, without the header, the "Nơi nhận" list and the signature."""
    lines = logical_lines(doc.text or "")
    top = find_header_start(lines, parse_web_metadata(lines).end)  # past a web page's own text
    start = next((i for i in range(top, min(len(lines), top + _HEADER_LINES)) if BODY_START_RE.match(lines[i])),
                 None)
    if start is None:
        return _paragraphs(lines)
    _, at, _ = parse_recipients(lines, start)
    end = at if at is not None else len(lines)
    body = lines[start:end]
    # The signature block printed before "Nơi nhận" in two-column layouts.
    tail = {t.strip().lower() for t in (doc.signer_title or "").split(" / ")} | {(doc.signer or "").lower()}
    while body and (not body[-1].strip() or body[-1].strip().lower() in tail):
        body.pop()
    return _paragraphs(body)
