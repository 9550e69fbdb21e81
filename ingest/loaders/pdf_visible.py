"""Text a PDF draws where no one can read it: white on the white page (outside any dark box),
invisible render modes (3 and 7), and glyphs under 1.5 points.

The page's content stream is replayed with the little of the graphics state that decides
this (fill colour, render mode, font size, text and transformation matrices, filled boxes);
the text operators that draw unreadable text are emptied before pypdf extracts the rest.
Text inside form XObjects is not replayed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from pypdf import PageObject
from pypdf.generic import ArrayObject, ContentStream, NameObject, TextStringObject

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_SHOW = {b"Tj", b"TJ", b"'", b'"'}
_FILL = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}
MIN_POINTS = 1.5


def _mul(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _point(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _colour(operands: list[Any]) -> tuple[float, ...] | None:
    """An RGB triple for gray, RGB or CMYK operands; None for patterns and names."""
    try:
        values = [float(v) for v in operands]
    except (TypeError, ValueError):
        return None
    if len(values) == 1:
        return (values[0],) * 3
    if len(values) == 3:
        return tuple(values)
    if len(values) == 4:
        c, m, y, k = values
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None


@dataclass(frozen=True)
class _Graphics:
    ctm: Matrix = _IDENTITY
    fill: tuple[float, ...] | None = (0.0, 0.0, 0.0)
    mode: int = 0
    size: float = 12.0
    leading: float = 0.0


@dataclass
class _Replay:
    gs: _Graphics = field(default_factory=_Graphics)
    stack: list[_Graphics] = field(default_factory=list)
    tm: Matrix = _IDENTITY
    tlm: Matrix = _IDENTITY
    path: list[tuple[float, float, float, float]] = field(default_factory=list)
    dark: list[tuple[float, float, float, float]] = field(default_factory=list)

    def move(self, tx: float, ty: float) -> None:
        self.tlm = _mul((1, 0, 0, 1, tx, ty), self.tlm)
        self.tm = self.tlm

    def unreadable(self) -> bool:
        gs = self.gs
        if gs.mode in (3, 7):
            return True
        full = _mul(self.tm, gs.ctm)
        scale = max(abs(full[0]), abs(full[1]), abs(full[2]), abs(full[3]))
        if gs.size * scale < MIN_POINTS:
            return True
        if gs.fill is None or min(gs.fill) < 0.94:
            return False
        x, y = full[4], full[5]
        return not any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in self.dark)

    def step(self, operands: list[Any], op: bytes) -> None:
        gs = self.gs
        if op == b"q":
            self.stack.append(gs)
        elif op == b"Q" and self.stack:
            self.gs = self.stack.pop()
        elif op == b"cm" and len(operands) == 6:
            self.gs = replace(gs, ctm=_mul(tuple(map(float, operands)), gs.ctm))  # type: ignore[arg-type]
        elif op in (b"rg", b"g", b"k", b"sc", b"scn"):
            self.gs = replace(gs, fill=_colour(operands))
        elif op == b"Tr" and operands:
            self.gs = replace(gs, mode=int(operands[0]))
        elif op == b"Tf" and len(operands) == 2:
            self.gs = replace(gs, size=abs(float(operands[1])))
        elif op == b"TL" and operands:
            self.gs = replace(gs, leading=float(operands[0]))
        elif op == b"BT":
            self.tm = self.tlm = _IDENTITY
        elif op in (b"Td", b"TD") and len(operands) == 2:
            if op == b"TD":
                self.gs = replace(gs, leading=-float(operands[1]))
            self.move(float(operands[0]), float(operands[1]))
        elif op == b"Tm" and len(operands) == 6:
            self.tm = self.tlm = tuple(map(float, operands))  # type: ignore[assignment]
        elif op in (b"T*", b"'", b'"'):
            self.move(0, -gs.leading)
        elif op == b"re" and len(operands) == 4:
            x, y, w, h = map(float, operands)
            corners = [_point(gs.ctm, x, y), _point(gs.ctm, x + w, y + h)]
            xs, ys = [p[0] for p in corners], [p[1] for p in corners]
            self.path.append((min(xs), min(ys), max(xs), max(ys)))
        elif op in _FILL:
            if gs.fill is not None and min(gs.fill) < 0.94:
                self.dark.extend(self.path)
            self.path = []
        elif op in (b"n", b"S", b"s"):
            self.path = []


def drop_unreadable_text(page: PageObject, reader: Any) -> None:
    """Empty the text operators of ``page`` that draw text no one can read."""
    contents = page.get_contents()
    if contents is None:
        return
    stream = ContentStream(contents, reader)
    replay = _Replay()
    changed = False
    operations = list(stream.operations)
    for i, (operands, op) in enumerate(operations):
        if op in _SHOW and replay.unreadable() and op not in (b"'", b'"'):
            operations[i] = ([ArrayObject() if op == b"TJ" else TextStringObject("")], op)
            changed = True
        try:
            replay.step(list(operands), op)
        except (TypeError, ValueError):
            continue
        if op in (b"'", b'"') and replay.unreadable():
            # These move to the next line first, then draw: judged after the move.
            operations[i] = ([*operands[:-1], TextStringObject("")], op)
            changed = True
    if changed:
        stream.operations = operations  # the setter drops the stream's old bytes
        page[NameObject("/Contents")] = stream
