"""HTML: visible text with its headings, data tables as records. Scripts, styles and hidden
elements (see ``css``) are dropped, so text a reader never sees never reaches the knowledge base."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from bs4.element import NavigableString, Tag

from ingest.encoding import decode
from ingest.loaders.css import hidden_parts
from ingest.outline import OutlineParser
from ingest.tables import clean_cell, records_from_rows
from knowledge.errors import CorruptDocumentError
from knowledge.schema import Block, LoadedDocument

_DROP = ("script", "style", "noscript", "template", "iframe", "object", "svg", "head", "form",
         "nav")
_BLOCK = {
    "p", "div", "br", "li", "tr", "hr", "table", "section", "article", "ul", "ol", "dd", "dt",
    "blockquote", "pre", "header", "footer", "main", "aside", "nav", "td", "th",
}
_BREAK = "\x1e"


def _hidden(tag: Tag) -> bool:
    return tag.has_attr("hidden") or tag.get("aria-hidden") == "true"


def _table_records(table: Tag, label: str) -> list[Block]:
    rows = [
        [clean_cell(c.get_text(" ")) for c in tr.find_all(["th", "td"])]
        for tr in table.find_all("tr")
    ]
    rows = [r for r in rows if any(r)]
    if len(rows) < 2 or max(len(r) for r in rows) < 2:
        return []
    return list(records_from_rows(rows[0], rows[1:], table=label))


def load_html(data: bytes, path: str) -> LoadedDocument:
    text, encoding = decode(data, path)
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as exc:  # lxml raises several unrelated types on broken input
        raise CorruptDocumentError(path, f"cannot parse HTML: {exc}") from exc
    page_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    boxes, texts = hidden_parts(soup, path)  # before <style> blocks go: they say what is hidden
    for text_node in texts:
        text_node.extract()
    for box in boxes:
        box.decompose()
    for tag in soup.find_all(_DROP):
        tag.decompose()
    for tag in soup.find_all(_hidden):
        tag.decompose()
    records: list[Block] = []
    for i, table in enumerate(soup.find_all("table")):
        if table.find("table") is None and table.find("th") is not None:
            # A data table is named by the heading above it ("Assessment"), not its number.
            named_by = table.find("caption") or table.find_previous(["h1", "h2", "h3", "h4", "h5", "h6"])
            label = named_by.get_text(" ", strip=True) if named_by is not None else ""
            found = _table_records(table, label or f"table {i + 1}")
            if found:
                records.extend(found)
                table.decompose()
    # Source line breaks mean nothing in HTML; block elements do. Mark those with a
    # separator that cannot occur in text, then fold all other whitespace.
    for level in range(1, 7):
        for h in soup.find_all(f"h{level}"):
            marked = f"{_BREAK}{'#' * level} {h.get_text(' ', strip=True)}{_BREAK}"
            h.replace_with(NavigableString(marked))
    for tag in soup.find_all(_BLOCK):
        tag.insert_before(NavigableString(_BREAK))
        tag.insert_after(NavigableString(_BREAK))
    raw = soup.get_text()
    lines = [re.sub(r"\s+", " ", ln).strip() for ln in raw.split(_BREAK)]
    parser = OutlineParser()
    parser.feed("\n".join(lines))
    blocks = parser.finish() + records
    title = parser.title or page_title
    return LoadedDocument(title=title, blocks=blocks, encoding=encoding)
