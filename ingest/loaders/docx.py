"""DOCX: paragraphs in order with heading styles, tables as records; text a reader never sees
(hidden, white or 1-point runs, directly or through a style) is dropped.

The XML is walked directly with one dictionary of styles built up front: python-docx looks a
paragraph's style up by scanning the whole style table, so a small file with thousands of
styles and paragraphs took minutes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn

from ingest.loaders.archive import check_zip
from ingest.outline import OutlineParser
from ingest.tables import clean_cell, records_from_rows
from knowledge.errors import CorruptDocumentError
from knowledge.schema import Block, LoadedDocument

_RUNS = "./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:smartTag/w:r | ./w:fldSimple/w:r " \
        "| ./w:sdt/w:sdtContent/w:r | ./w:customXml/w:r"
_VAL = qn("w:val")
_OFF = {"0", "false", "off"}
_PLAIN_FILLS = {"", "auto", "FFFFFF"}


@dataclass(frozen=True)
class _Look:
    """The run properties that decide whether text can be seen (None: not set here)."""

    vanish: bool | None = None
    white: bool | None = None
    tiny: bool | None = None

    def over(self, below: _Look) -> _Look:
        return _Look(*(mine if mine is not None else theirs
                       for mine, theirs in zip(self._astuple(), below._astuple(), strict=True)))

    def _astuple(self) -> tuple[bool | None, ...]:
        return (self.vanish, self.white, self.tiny)

    def hidden(self, shaded: bool) -> bool:
        return bool(self.vanish or self.tiny or (self.white and not shaded))


def _look(rpr: Any) -> _Look:
    if rpr is None:
        return _Look()
    vanish = None
    for tag in ("w:vanish", "w:specVanish"):
        el = rpr.find(qn(tag))
        if el is not None:
            vanish = el.get(_VAL, "true").lower() not in _OFF
    color = rpr.find(qn("w:color"))
    size = rpr.find(qn("w:sz"))
    white = None if color is None else (color.get(_VAL, "").upper() == "FFFFFF"
                                        and not _shaded(rpr))
    tiny = None
    if size is not None and (size.get(_VAL) or "").isdigit():
        tiny = int(size.get(_VAL)) <= 2  # half-points: 1 pt or less
    return _Look(vanish, white, tiny)


def _shaded(props: Any) -> bool:
    """A background behind the text (shading or highlight): white text on it is visible."""
    if props is None:
        return False
    shd = props.find(qn("w:shd"))
    if shd is not None and (shd.get(qn("w:fill")) or "").upper() not in _PLAIN_FILLS:
        return True
    mark = props.find(qn("w:highlight"))
    return mark is not None and mark.get(_VAL, "none") not in ("none", "white")


class _Styles:
    """Each style's name and effective look, computed once per style (``basedOn`` followed)."""

    def __init__(self, document: Any) -> None:
        self.names: dict[str, str] = {}
        self._own: dict[str, tuple[_Look, str]] = {}
        self._done: dict[str, _Look] = {}
        root = document.part.styles.element if document.part._styles_part is not None else None
        self.default = _Look()
        if root is None:
            return
        defaults = root.find(qn("w:docDefaults"))
        if defaults is not None:
            self.default = _look(defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}"))
        for style in root.iterfind(qn("w:style")):
            sid = style.get(qn("w:styleId")) or ""
            name = style.find(qn("w:name"))
            based = style.find(qn("w:basedOn"))
            self.names[sid] = (name.get(_VAL) if name is not None else "") or ""
            self._own[sid] = (_look(style.find(qn("w:rPr"))),
                              based.get(_VAL, "") if based is not None else "")

    def look(self, sid: str) -> _Look:
        if sid in self._done:
            return self._done[sid]
        chain: list[str] = []
        current = sid
        while current in self._own and current not in chain and current not in self._done:
            chain.append(current)
            current = self._own[current][1]
        look = self._done.get(current, self.default)
        for name in reversed(chain):
            look = self._own[name][0].over(look)
            self._done[name] = look
        return self._done.get(sid, self.default)


def _style_id(props: Any, tag: str) -> str:
    el = props.find(qn(tag)) if props is not None else None
    return (el.get(_VAL) or "") if el is not None else ""


def _paragraph(p: Any, styles: _Styles, shaded: bool = False) -> tuple[str, int]:
    """The visible text of a paragraph and its heading level (0 for body text)."""
    ppr = p.find(qn("w:pPr"))
    pstyle = _style_id(ppr, "w:pStyle")
    base = styles.look(pstyle) if pstyle else styles.default
    shaded = shaded or _shaded(ppr)
    parts: list[str] = []
    for run in p.xpath(_RUNS):
        rpr = run.find(qn("w:rPr"))
        rstyle = _style_id(rpr, "w:rStyle")
        look = _look(rpr).over(styles.look(rstyle).over(base) if rstyle else base)
        if not look.hidden(shaded or _shaded(rpr)):
            parts.append(run.text)
    name = styles.names.get(pstyle, "").lower()
    level = 1 if name == "title" else 0
    if name.startswith("heading"):
        digits = name.removeprefix("heading").strip()
        level = int(digits) if digits.isdigit() else 1
    return "".join(parts), level


def _table_rows(tbl: Any, styles: _Styles) -> list[list[str]]:
    """Cells by grid column: a cell spanning columns repeats, a vertical merge repeats the
    cell above (as python-docx reports them)."""
    rows: list[list[str]] = []
    above: dict[int, str] = {}
    for tr in tbl.iterfind(qn("w:tr")):
        row: list[str] = []
        for tc in tr.iterfind(qn("w:tc")):
            tcpr = tc.find(qn("w:tcPr"))
            span_el = tcpr.find(qn("w:gridSpan")) if tcpr is not None else None
            span = int(span_el.get(_VAL, "1")) if span_el is not None else 1
            merge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
            if merge is not None and merge.get(_VAL, "continue") == "continue":
                text = above.get(len(row), "")
            else:
                shaded = _shaded(tcpr)
                text = clean_cell("\n".join(_paragraph(p, styles, shaded)[0]
                                            for p in tc.iterfind(qn("w:p"))))
            for _ in range(max(1, min(span, 64))):
                above[len(row)] = text
                row.append(text)
        rows.append(row)
    return rows


def _body(container: Any) -> Any:
    """Paragraphs and tables in order, looking inside content controls."""
    for child in container:
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _body(content)


def load_docx(data: bytes, path: str) -> LoadedDocument:
    check_zip(data, path)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise CorruptDocumentError(path, f"not a readable DOCX: {exc}") from exc
    styles = _Styles(document)
    parser = OutlineParser(title=(document.core_properties.title or "").strip())
    records: list[Block] = []
    tables = 0
    for item in _body(document.element.body):
        if item.tag == qn("w:p"):
            text, level = _paragraph(item, styles)
            text = text.strip()
            if text:
                parser.line(f"{'#' * level} {text}" if level else text)
            continue
        tables += 1
        rows = [r for r in _table_rows(item, styles) if any(r)]
        if len(rows) >= 2 and len(rows[0]) >= 2:
            parser.flush()
            label = parser.current_heading or f"table {tables}"
            records.extend(records_from_rows(rows[0], rows[1:], table=label))
        else:
            for row in rows:
                parser.line(" ".join(r for r in row if r))
    blocks = parser.finish()
    return LoadedDocument(title=parser.title, blocks=blocks + records)
