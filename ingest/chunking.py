"""Blocks to chunks. Every chunk carries a header naming its document, record and section,
so "COSC 3320" or "510201 计算机应用技术" is in the chunk that talks about it."""

from __future__ import annotations

import hashlib
import re

from langchain_text_splitters import RecursiveCharacterTextSplitter

from knowledge.errors import FileTooLargeError
from knowledge.language import detect_language
from knowledge.schema import Block, Chunk, DocType, LoadedDocument, RecordBlock, TextBlock

CHUNK_CHARS = 800
OVERLAP_CHARS = 100
# The largest file of the shared corpus makes ~1,600 chunks; a file past this is one table with
# a million columns or a book, and would hold the ingest lock for an hour of embedding.
MAX_CHUNKS_PER_FILE = 5000

_SPLITTER = RecursiveCharacterTextSplitter(
    chunk_size=CHUNK_CHARS,
    chunk_overlap=OVERLAP_CHARS,
    separators=["\n\n", "\n", "。", "；", ". ", "; ", "，", ", ", " ", ""],
    keep_separator="end",
)


def _join(parts: list[str]) -> str:
    out: list[str] = []
    for part in parts:
        part = part.strip()
        if part and part not in out:
            out.append(part)
    return " · ".join(out)


# Lines that only label a small value ("Credit Hours: 3", "Lab Contact Hours: 0  Repeatability:
# No"): kept for keyword search and quotes, left out of what is embedded, since the embedding
# sees only the opening of a chunk and such lines would crowd out what the chunk is about.
_TRIVIAL_LINE = re.compile(
    r"^(?:\s*[A-Za-z\u4e00-\u9fff][A-Za-z\u4e00-\u9fff /()-]{0,30}[:：]\s*"
    r"(?:\d+(?:\.\d+)?|yes|no|y|n|none|n/a)?\s*)+$",
    re.IGNORECASE,
)


def embedding_text(chunk: Chunk) -> str:
    """The chunk as the embedding model should see it: header first, trivial lines out."""
    lines = [ln for ln in chunk.text.split("\n") if ln.strip() and not _TRIVIAL_LINE.match(ln)]
    body = "\n".join(lines) or chunk.text
    return f"{chunk.header}\n{body}" if chunk.header else body


def chunk_key(doc_id: str, content: str) -> str:
    """Stable id of a chunk: the same text in the same document is never embedded twice."""
    return hashlib.sha256(f"{doc_id}\n{content}".encode()).hexdigest()[:40]


def _text_groups(blocks: list[TextBlock]) -> list[tuple[str, str, str, str]]:
    """Merge neighbouring small blocks of one record: ``(context, text, locator, entity)``."""
    groups: list[tuple[str, str, str, str]] = []
    current: list[TextBlock] = []

    def flush() -> None:
        if not current:
            return
        first = current[0]
        common = first.headings
        for block in current[1:]:
            n = 0
            while n < min(len(common), len(block.headings)) and common[n] == block.headings[n]:
                n += 1
            common = common[:n]
        lines: list[str] = []
        for block in current:
            extra = block.headings[len(common):]
            if extra and len(current) > 1:
                lines.append(f"【{' › '.join(extra)}】" if detect_language(block.text) == "zh"
                             else f"[{' › '.join(extra)}]")
            lines.append(block.text)
        context = _join([first.entity, *common])
        where = " › ".join(p for p in (first.entity, *common) if p)
        locator = _join([first.locator, where]) if first.locator else where
        groups.append((context, "\n".join(lines), locator, first.entity))
        current.clear()

    size = 0
    for block in blocks:
        same = current and block.entity == current[0].entity and block.locator == current[0].locator
        if current and (not same or size + len(block.text) > CHUNK_CHARS):
            flush()
            size = 0
        current.append(block)
        size += len(block.text)
    flush()
    return groups


def _record_pieces(block: RecordBlock) -> list[tuple[str, str, str, str]]:
    """A record as one piece, or, when long, pieces that each repeat its identifying field."""
    lines = [f"{k}: {v}" for k, v in block.fields]
    text = "\n".join(lines)
    if len(text) <= CHUNK_CHARS or len(lines) < 2:
        return [(block.table, text, block.locator, "")]
    key, rest = lines[0][:200], "\n".join(lines[1:])
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=CHUNK_CHARS - len(key) - 1, chunk_overlap=0,
        separators=["\n", "; ", "。", ". ", "，", ", ", " ", ""], keep_separator="end",
    )
    return [(block.table, f"{key}\n{part}", block.locator, "")
            for part in splitter.split_text(rest)]


def chunk_document(
    doc: LoadedDocument, *, doc_id: str, source: str, doc_type: DocType
) -> list[Chunk]:
    """Chunks in document order; identical chunks within a document are kept once.

    Raises ``FileTooLargeError`` as soon as the file passes ``MAX_CHUNKS_PER_FILE`` chunks.
    """
    pieces: list[tuple[str, str, str, str]] = []
    run: list[TextBlock] = []
    for block in [*doc.blocks, None]:
        if isinstance(block, TextBlock):
            run.append(block)
            continue
        if run:
            pieces.extend(_text_groups(run))
            run = []
        if isinstance(block, RecordBlock):
            pieces.extend(_record_pieces(block))
    chunks: list[Chunk] = []
    seen: set[str] = set()
    for context, text, locator, entity in pieces:
        header = _join([doc.title, context])
        for part in _SPLITTER.split_text(text) if len(text) > CHUNK_CHARS else [text]:
            part = part.strip()
            if not part:
                continue
            chunk = Chunk(
                doc_id=doc_id,
                ordinal=len(chunks),
                header=header,
                text=part,
                locator=locator,
                doc_type=doc_type,
                language=detect_language(f"{header} {part}"),
                title=doc.title,
                source=source,
                entity=entity,
            )
            key = chunk_key(doc_id, chunk.content)
            if key not in seen:
                seen.add(key)
                chunks.append(chunk)
                if len(chunks) > MAX_CHUNKS_PER_FILE:
                    raise FileTooLargeError(
                        source, f"more than {MAX_CHUNKS_PER_FILE} chunks; split it into smaller files")
    return chunks


def blocks_text(blocks: list[Block], limit: int = 4000) -> str:
    """The first ``limit`` characters of a document's text, for typing and language."""
    out: list[str] = []
    size = 0
    for block in blocks:
        text = block.text if isinstance(block, TextBlock) else " ".join(
            f"{k} {v}" for k, v in block.fields
        )
        out.append(text)
        size += len(text)
        if size > limit:
            break
    return "\n".join(out)[:limit]
