"""Decode text files whose encoding nobody told us: UTF-8 (with or without BOM), UTF-16,
GBK/GB18030, and whatever charset-normalizer recognises."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from knowledge.errors import CorruptDocumentError, EmptyDocumentError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _looks_utf16(data: bytes) -> str | None:
    """BOM-less UTF-16: every other byte is NUL in ASCII-heavy text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / len(sample[0::2])
    odd = sample[1::2].count(0) / len(sample[1::2])
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _is_binary(text: str) -> bool:
    """Control characters other than whitespace mean this was never text (ESC starts the
    colour codes of a saved terminal log: text, whose escapes the loaders strip)."""
    sample = text[:20000]
    if not sample:
        return False
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v\x1b")
    return bad / len(sample) > 0.01 or "\x00" in sample


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Return ``(text, encoding)`` or raise an error that names ``path``."""
    if not data.strip():
        raise EmptyDocumentError(path)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(data.decode(encoding, errors="replace"), encoding, path)
    utf16 = _looks_utf16(data)
    if utf16:
        return _checked(data.decode(utf16, errors="replace"), utf16, path)
    try:
        return _checked(data.decode("utf-8"), "utf-8", path)
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:8192]:
        raise CorruptDocumentError(path, "binary content, not text")
    # Chinese files that are not UTF-8 are almost always GBK/GB18030; try it first since
    # detectors sometimes mistake short GBK files for Cyrillic or Latin-1.
    try:
        return _checked(data.decode("gb18030"), "gb18030", path)
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise CorruptDocumentError(path, "binary content or unknown text encoding")
    return _checked(str(best), best.encoding, path)


def _checked(text: str, encoding: str, path: str) -> tuple[str, str]:
    if _is_binary(text):
        raise CorruptDocumentError(path, "binary content, not text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyDocumentError(path)
    return text, encoding


# Terminal escape sequences (CSI, OSC, two-byte ESC and the 8-bit CSI), then any other control
# character and the bidi overrides that make text display differently from what it says.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]"
)
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """Text as safe to store and print: no NUL (PostgreSQL refuses it), no terminal escapes,
    no control characters other than tab and newline."""
    if text.isprintable():
        return text
    text = _ESCAPES.sub("", text)
    text = _LINE_BREAKS.sub("\n", text)
    return _CONTROLS.sub("", text)
