"""What CSS hides: enough of the cascade to find HTML text a reader never sees.

A page can hide text from people while leaving it to a parser: ``display:none`` through a class
in a ``<style>`` block, white text on the white page, ``font-size:0``, a box pushed off screen,
clipped away or squeezed to nothing with ``overflow:hidden`` (the résumé attack of OWASP LLM08).
Rules from ``<style>`` blocks are matched the way browsers do it, indexed by the id, class or
tag of their rightmost part, so the work grows with the page, not with rules times elements.
Print-only and narrow-screen media rules are left out: the reader is on a desktop screen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import soupsieve
from bs4 import BeautifulSoup
from bs4.element import NavigableString, Tag

from knowledge.errors import FileTooLargeError

# Properties that decide visibility; every other declaration is ignored.
_PROPS = {"display", "visibility", "opacity", "font-size", "color", "background",
          "background-color", "position", "left", "top", "right", "text-indent", "clip",
          "clip-path", "overflow", "height", "width", "max-height", "max-width"}
MAX_RULES = 5000  # visibility selectors in a page's style blocks; past it the page is refused
# Selector tests per page: a few thousand elements times the rules that may match each. A page
# past it (thousands of rules on ``*`` or attributes over thousands of elements) is refused.
MAX_SELECTOR_MATCHES = 300_000
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_LENGTH = re.compile(r"^(-?\d*\.?\d+)\s*(px|pt|em|rem|%|vw|vh|cm|mm|in)?$")
_UNITS = {"px": 1.0, "pt": 4 / 3, "cm": 37.8, "mm": 3.78, "in": 96.0, None: 1.0}
_DYNAMIC = re.compile(r"::|:(?:hover|focus|active|visited|target|focus-within|focus-visible)\b")
_NAMED = {"white": (255, 255, 255, 1.0), "transparent": (0, 0, 0, 0.0), "snow": (255, 250, 250, 1.0),
          "ghostwhite": (248, 248, 255, 1.0), "whitesmoke": (245, 245, 245, 1.0)}


@dataclass(frozen=True)
class _Rule:
    selector: object  # a compiled soupsieve selector
    specificity: tuple[int, int, int]
    order: int
    declarations: tuple[tuple[str, str, bool], ...]  # (property, value, !important)


def _declarations(text: str) -> tuple[tuple[str, str, bool], ...]:
    out: list[tuple[str, str, bool]] = []
    for part in text.split(";"):
        name, colon, value = part.partition(":")
        name = name.strip().lower()
        if colon and name in _PROPS:
            value = value.strip().lower()
            important = value.endswith("!important")
            out.append((name, value.removesuffix("!important").strip(), important))
    return tuple(out)


def _blocks(css: str) -> Iterator[tuple[str, str]]:
    """``(selector list, declarations)`` of the rules that apply on a desktop screen."""
    i, n = 0, len(css)
    while i < n:
        brace = css.find("{", i)
        semi = css.find(";", i)
        if brace < 0:
            return
        if 0 <= semi < brace and css[i:semi].strip().startswith("@"):
            i = semi + 1  # @import, @charset
            continue
        prelude = css[i:brace].strip()
        depth, j = 1, brace + 1
        while j < n and depth:
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        body = css[brace + 1 : j - 1]
        i = j
        if prelude.startswith("@"):
            query = prelude.lower()
            if query.startswith(("@media", "@supports", "@layer", "@container")) and not any(
                word in query for word in ("print", "speech", "max-width", "max-device-width")
            ):
                yield from _blocks(body)
        else:
            yield prelude, body


def _split_selectors(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for k, ch in enumerate(text):
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            parts.append(text[start:k])
            start = k + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _rightmost(selector: str) -> str:
    """The index key of a selector: ``#id``, ``.class``, the tag of its last part, or ``*``."""
    last = re.split(r"\s*[\s>+~]\s*(?![^\[]*\]|[^(]*\))", selector.strip())[-1]
    last = re.sub(r"\[[^\]]*\]|\([^)]*\)", "", last)
    if m := re.search(r"#([\w-]+)", last):
        return "#" + m.group(1)
    if m := re.search(r"\.([\w-]+)", last):
        return "." + m.group(1)
    m = re.match(r"[A-Za-z][\w-]*", last)
    return m.group(0).lower() if m else "*"


def _specificity(selector: str) -> tuple[int, int, int]:
    plain = re.sub(r"\[[^\]]*\]", ".", selector)
    return (plain.count("#"), plain.count(".") + plain.count(":"),
            len(re.findall(r"(?:^|[\s>+~])[A-Za-z]", plain)))


def style_rules(soup: BeautifulSoup, path: str) -> dict[str, list[_Rule]]:
    """The rules of the page's ``<style>`` blocks that set a visibility property, by key.
    Too many is an error, not a cut: a hiding rule must not escape behind thousands of others."""
    index: dict[str, list[_Rule]] = {}
    order = 0
    for style in soup.find_all("style"):
        css = _COMMENT.sub("", style.get_text())
        for selectors, body in _blocks(css):
            declarations = _declarations(body)
            if not declarations:
                continue
            for selector in _split_selectors(selectors):
                if _DYNAMIC.search(selector):
                    continue
                if order >= MAX_RULES:
                    raise FileTooLargeError(path, f"over {MAX_RULES} style rules")
                try:
                    compiled = soupsieve.compile(selector)
                except Exception:  # soupsieve raises its own error types on selectors it lacks
                    continue
                order += 1
                rule = _Rule(compiled, _specificity(selector), order, declarations)
                index.setdefault(_rightmost(selector), []).append(rule)
    return index


def _computed(tag: Tag, rules: dict[str, list[_Rule]], budget: list[int]) -> dict[str, str]:
    """The element's own visibility declarations after the cascade (rules, then inline);
    ``budget`` holds the selector tests left."""
    keys = ["*", tag.name.lower()]
    if isinstance(tag.get("id"), str):
        keys.append("#" + str(tag["id"]))
    classes = tag.get_attribute_list("class")
    keys.extend("." + c for c in classes if isinstance(c, str))
    found: list[tuple[tuple[int, ...], str, str]] = []
    # Presentational attributes (<font color>, bgcolor) count as the weakest rules.
    for attr, name in (("color", "color"), ("bgcolor", "background-color")):
        value = tag.get(attr)
        if isinstance(value, str) and (attr == "bgcolor" or tag.name == "font"):
            found.append(((0, 0, 0, 0, 0, 0), name, value.strip().lower()))
    seen: set[int] = set()
    for key in keys:
        for rule in rules.get(key, ()):
            if rule.order in seen:
                continue
            budget[0] -= 1
            if not rule.selector.match(tag):  # type: ignore[attr-defined]
                continue
            seen.add(rule.order)
            for name, value, important in rule.declarations:
                found.append(((int(important), 0, *rule.specificity, rule.order), name, value))
    inline = tag.get("style")
    if isinstance(inline, str):
        for name, value, important in _declarations(inline):
            found.append(((int(important), 1, 0, 0, 0, 0), name, value))
    found.sort(key=lambda item: item[0])
    return {name: value for _, name, value in found}


def _px(value: str, parent: float) -> float | None:
    m = _LENGTH.match(value.strip())
    if not m:
        return None
    number, unit = float(m.group(1)), m.group(2)
    if unit in ("em", "%"):
        return number * parent / (100 if unit == "%" else 1)
    if unit == "rem":
        return number * 16
    if unit in ("vw", "vh"):
        return number * 10
    return number * _UNITS[unit]


def _rgba(value: str) -> tuple[float, float, float, float] | None:
    value = value.strip()
    if value in _NAMED:
        return _NAMED[value]
    if m := re.fullmatch(r"#([0-9a-f]{3,8})", value):
        digits = m.group(1)
        if len(digits) in (3, 4):
            digits = "".join(ch * 2 for ch in digits)
        if len(digits) not in (6, 8):
            return None
        alpha = int(digits[6:8], 16) / 255 if len(digits) == 8 else 1.0
        return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16), alpha)
    if m := re.fullmatch(r"rgba?\(([^)]*)\)", value):
        parts = [p for p in re.split(r"[\s,/]+", m.group(1)) if p]
        try:
            numbers = [float(p.rstrip("%")) * (2.55 if p.endswith("%") else 1) for p in parts[:3]]
            alpha = float(parts[3].rstrip("%")) / (100 if parts[3].endswith("%") else 1) \
                if len(parts) > 3 else 1.0
        except ValueError:
            return None
        return (*numbers, alpha) if len(numbers) == 3 else None  # type: ignore[return-value]
    return None


def _is_white(rgba: tuple[float, float, float, float] | None) -> bool:
    return rgba is not None and min(rgba[:3]) >= 240


def _background(value: str) -> str:
    """'white' (or none), 'dark' (a colour or image a light text can sit on)."""
    if "url(" in value or "gradient" in value:
        return "dark"
    for token in re.findall(r"#[0-9a-f]+|rgba?\([^)]*\)|[a-z]+", value):
        rgba = _rgba(token)
        if rgba is not None:
            return "white" if _is_white(rgba) or rgba[3] <= 0.05 else "dark"
    return "white" if value.strip() in ("none", "initial", "unset") else ""


def _hides_box(d: dict[str, str]) -> bool:
    """The element and all it holds are out of sight."""
    if d.get("display") == "none" or d.get("visibility") in ("hidden", "collapse"):
        return True
    try:
        if float(d.get("opacity", "1").rstrip("%")) <= 0.05:
            return True
    except ValueError:
        pass
    if d.get("position") in ("absolute", "fixed"):
        for side in ("left", "top", "right"):
            offset = _px(d.get(side, ""), 16)
            if offset is not None and offset <= -500:
                return True
    indent = _px(d.get("text-indent", ""), 16)
    if indent is not None and indent <= -500:
        return True
    if re.fullmatch(r"rect\(\s*0(px)?[\s,]+0(px)?[\s,]+0(px)?[\s,]+0(px)?\s*\)", d.get("clip", "")):
        return True
    if re.fullmatch(r"inset\(\s*50%\s*\)|circle\(\s*0(px|%)?\s*\)", d.get("clip-path", "")):
        return True
    if d.get("overflow") in ("hidden", "clip"):
        for side in ("height", "width", "max-height", "max-width"):
            size = _px(d.get(side, ""), 16)
            if size is not None and size <= 1:
                return True
    return False


@dataclass(frozen=True)
class _State:
    font_px: float = 16.0
    color: tuple[float, float, float, float] | None = None
    background: str = "white"


def hidden_parts(soup: BeautifulSoup, path: str) -> tuple[list[Tag], list[NavigableString]]:
    """Elements whose box is out of sight, and text unreadable where it sits (white on the
    page, transparent, 2px or smaller)."""
    rules = style_rules(soup, path)
    budget = [MAX_SELECTOR_MATCHES]
    boxes: list[Tag] = []
    texts: list[NavigableString] = []
    states: dict[int, _State] = {}
    hidden_ids: set[int] = set()
    for node in soup.descendants:
        parent = node.parent
        if parent is None:
            continue
        if id(parent) in hidden_ids:
            if isinstance(node, Tag):
                hidden_ids.add(id(node))
            continue
        above = states.get(id(parent), _State())
        if isinstance(node, Tag):
            d = _computed(node, rules, budget)
            if budget[0] < 0:
                raise FileTooLargeError(path, f"its style sheet needs over {MAX_SELECTOR_MATCHES} "
                                              "selector tests")
            if _hides_box(d):
                boxes.append(node)
                hidden_ids.add(id(node))
                continue
            size = _px(d["font-size"], above.font_px) if "font-size" in d else None
            color = _rgba(d["color"]) if "color" in d else None
            back = ""
            for name in ("background-color", "background"):
                back = back or (_background(d[name]) if name in d else "")
            states[id(node)] = _State(font_px=above.font_px if size is None else size,
                                      color=above.color if color is None else color,
                                      background=back or above.background)
        elif type(node) is NavigableString and node.strip():
            color = above.color
            unreadable = above.font_px <= 2 or (color is not None and (
                color[3] <= 0.05 or (_is_white(color) and above.background == "white")))
            if unreadable:
                texts.append(node)
    return boxes, texts
