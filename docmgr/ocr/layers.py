"""An earlier OCR's text layer taken out of a page that docmgr's OCR read again.

A scan made searchable by another program (a scanner's own software, ocrmypdf) carries that program's reading
as invisible text under the image (text render mode 3). docmgr reads such a page again and lays its own text
over it in the searchable copy; the other layer is taken out of that copy, so that what a reader selects or
searches there is docmgr's reading once, not two readings on top of each other. The original is never changed.

Only text objects (``BT`` … ``ET``) that draw nothing but invisible text are taken out, in the page's content
and in the forms it draws (ocrmypdf puts its layer in one); the text state they set is kept in their place, so
nothing that is drawn moves.
"""

from __future__ import annotations

from pypdf import PageObject, PdfWriter
from pypdf.generic import ContentStream, NameObject


INVISIBLE = 3  # text render mode "neither fill nor stroke"
# Operators that set the text state, which lasts past the text object that sets it.
_TEXT_STATE = {b"Tc", b"Tw", b"Tz", b"TL", b"Tf", b"Tr", b"Ts"}
_SHOWS = {b"Tj", b"TJ", b"'", b'"'}
_FORM_DEPTH = 3


def drop_invisible_text(writer: PdfWriter, page: PageObject) -> int:
    """Take the invisible text objects out of ``page`` (a page of ``writer``) and the forms it draws; how many
    were taken out."""
    content = page.get_contents()
    if content is None:
        return 0
    stream = ContentStream(content, writer)
    dropped = _filter(stream)
    if dropped:
        page.replace_contents(stream)
    return dropped + _forms(writer, page.get("/Resources"), _FORM_DEPTH, set())


def _forms(writer: PdfWriter, resources, depth: int, seen: set[int]) -> int:
    if depth == 0 or resources is None:
        return 0
    xobjects = resources.get_object().get("/XObject")
    if xobjects is None:
        return 0
    dropped = 0
    for name in list(xobjects.get_object()):
        form = xobjects.get_object()[name].get_object()
        if form.get("/Subtype") != NameObject("/Form") or id(form) in seen:
            continue
        seen.add(id(form))
        stream = ContentStream(form, writer)
        done = _filter(stream)
        if done:
            form.set_data(stream.get_data())
        dropped += done + _forms(writer, form.get("/Resources"), depth - 1, seen)
    return dropped


def _filter(stream: ContentStream) -> int:
    """Leave out of ``stream`` each text object whose every shown string is invisible (its text state ops
    kept); how many were left out."""
    out: list = []
    block: list | None = None
    mode, saved = 0, []
    visible = shown = False
    dropped = 0
    for operands, operator in stream.operations:
        if operator == b"q":
            saved.append(mode)
        elif operator == b"Q" and saved:
            mode = saved.pop()
        elif operator == b"Tr" and operands and isinstance(operands[0], (int, float)):
            mode = int(operands[0])
        if operator == b"BT":
            block, visible, shown = [], False, False
        if block is None:
            out.append((operands, operator))
            continue
        block.append((operands, operator))
        if operator in _SHOWS:
            shown = True
            visible |= mode != INVISIBLE
        if operator == b"ET":
            if shown and not visible:
                out.extend(op for op in block if op[1] in _TEXT_STATE)
                dropped += 1
            else:
                out.extend(block)
            block = None
    if block is not None:  # a text object left open: kept as it was
        out.extend(block)
    if dropped:
        stream.operations = out
    return dropped
