"""The skill taxonomy shipped with the package, offline: ESCO v1.2 skills and knowledge
(``data/esco.tsv.gz``, with alternative labels and type), O*NET technology names
(``data/onet_tools.tsv.gz``), a reviewed list of tools, languages and certificates
(``data/tools.tsv``), the project's canonical skills (``data/skills.tsv``, each grouping ESCO
concepts) and reviewed Chinese and English aliases (``data/aliases_zh.tsv``, ``data/aliases_en.tsv``).
``scripts/build_taxonomy.py`` rebuilds the ESCO and O*NET files; the rest is edited by hand.

Every concept is reached through one alias table (lower-cased, spaces collapsed): the
canonical skills' own words first, then the reviewed lists, then ESCO labels, then O*NET names.
"""

from __future__ import annotations

import copy
import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
ESCO_PREFIX = "http://data.europa.eu/esco/skill/"
ESCO_TYPES = {"S": "skill", "K": "knowledge", "T": "transversal", "L": "language"}
_SPACE = re.compile(r"\s+")
GROUP_THRESHOLD = 0.925
# ESCO's language pillar holds each language ("German") and four uses of it ("interact verbally in
# German", "write German" …); a job ad asking for a language asks for the language itself.
_LANGUAGE_USE = re.compile(r"^(?:interact verbally in|understand spoken|understand written|write) (.+)$")
_PAREN = re.compile(r"\s*\([^)]*\)\s*$")
_DOT_NAME = re.compile(r"\.[a-z]")


def norm(text: str) -> str:
    """The form aliases are compared in: lower case, one space, no outer punctuation, except the
    dot that opens a name (".NET" is not "net", which would find ASP.NET in "net profit")."""
    key = _SPACE.sub(" ", text.strip().lower()).strip(" ,;:，。；：、").rstrip(".")
    return key if _DOT_NAME.match(key) else key.lstrip(". ")


def unknown_id(phrase: str) -> str:
    """The id of a requirement no concept names: its own words, normalised ("new:鸿蒙arkts开发")."""
    return "new:" + re.sub(r"[^0-9a-z\u3400-\u9fff+#]+", "-", norm(phrase)).strip("-")[:80]


@dataclass(frozen=True)
class Concept:
    """A skill, knowledge area, tool, language or certificate the taxonomy knows."""

    id: str
    label: str
    type: str
    label_zh: str = ""
    uri: str = ""
    canonical: str = ""


@dataclass(frozen=True)
class Canonical:
    """A project skill grouping ESCO concepts: what profile, match and gap count in."""

    id: str
    en: str
    zh: str
    uris: tuple[str, ...]

    def label(self, language: str = "en") -> str:
        return self.zh if language == "zh" else self.en


def _lines(path: Path) -> list[list[str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh if line.strip() and not line.startswith("#")]


class Taxonomy:
    """Concepts by id and the alias table that reaches them."""

    def __init__(self) -> None:
        self.concepts: dict[str, Concept] = {}
        self.canonical: dict[str, Canonical] = {}
        self.aliases: dict[str, str] = {}
        self.esco_ids: list[str] = []
        # Aliases safe to find inside a longer phrase: reviewed names and multi-word labels,
        # not ESCO's one-word labels ("joins", "building").
        self.strong: set[str] = set()
        # An ESCO language use ("interact verbally in German") -> the language concept ("German").
        self.language_of: dict[str, str] = {}
        self._widest: tuple[int, int] | None = None
        self._load()

    def _alias(self, alias: str, concept_id: str, strong: bool = True) -> None:
        key = norm(alias)
        if key and key not in self.aliases:
            self.aliases[key] = concept_id
            if strong or " " in key:
                self.strong.add(key)

    def _load(self) -> None:
        esco_aliases: list[tuple[str, str]] = []
        for uuid, kind, label, alts in ((row + [""] * 4)[:4] for row in _lines(DATA / "esco.tsv.gz")):
            cid = "esco:" + uuid
            self.concepts[cid] = Concept(cid, label, ESCO_TYPES.get(kind, "skill"), uri=ESCO_PREFIX + uuid)
            self.esco_ids.append(cid)
            esco_aliases.append((label, cid))
            bare = _PAREN.sub("", label)
            if bare != label:
                esco_aliases.append((bare, cid))
            esco_aliases.extend((a, cid) for a in alts.split("|") if a)
        canonical_aliases: dict[str, str] = {}
        for sid, en, zh, alias_field, uris in ((row + [""] * 5)[:5] for row in _lines(DATA / "skills.tsv")):
            uri_list = tuple(ESCO_PREFIX + u for u in uris.split("|") if u)
            self.canonical[sid] = Canonical(sid, en, zh, uri_list)
            self.concepts[sid] = Concept(sid, en, "skill", zh, uri_list[0] if uri_list else "", sid)
            for alias in (en, zh, *alias_field.split("|")):
                canonical_aliases.setdefault(norm(alias), sid)
            for uri in uri_list:
                cid = "esco:" + uri.removeprefix(ESCO_PREFIX)
                c = self.concepts.get(cid)
                if c is not None and not c.canonical:  # the first canonical skill listing it keeps it
                    self.concepts[cid] = Concept(c.id, c.label, c.type, c.label_zh or zh, c.uri, sid)
        # A named tool is more precise than the canonical skill it belongs to (Tableau, not "data
        # visualization"), so the reviewed list comes first and keeps the canonical as its group.
        for cid, label, kind, zh, alias_field, esco, _, broader in ((row + [""] * 8)[:8]
                                                                    for row in _lines(DATA / "tools.tsv")):
            names = [a for a in (label, zh, *alias_field.split("|")) if a]
            group = next((canonical_aliases[norm(a)] for a in names if norm(a) in canonical_aliases), "")
            target = "esco:" + esco if esco and "esco:" + esco in self.concepts else ""
            if target:  # a reviewed name for an ESCO concept: its words lead to that concept
                c = self.concepts[target]
                self.concepts[target] = Concept(c.id, c.label, c.type, c.label_zh or zh, c.uri,
                                                c.canonical or group)
                cid = target
            else:  # a tool of its own; where ESCO files it under a broader concept (Excel under
                # "use spreadsheets software"), that concept's URI says which ESCO skill it is
                uri = ESCO_PREFIX + broader if broader and "esco:" + broader in self.concepts else ""
                self.concepts[cid] = Concept(cid, label, kind, zh, uri, canonical=group)
            for alias in names:
                self._alias(alias, cid)
        for alias, sid in canonical_aliases.items():
            self._alias(alias, sid)
        for phrase, target, *_ in _lines(DATA / "aliases_zh.tsv"):
            if target in self.concepts:
                self._alias(phrase, target)
                c = self.concepts[target]
                if not c.label_zh:
                    self.concepts[target] = Concept(c.id, c.label, c.type, phrase, c.uri, c.canonical)
        # Everyday English wording of common requirements ("team player", "self-motivated");
        # one-word ones are not found inside longer phrases, like ESCO's own one-word labels.
        for phrase, target, *_ in _lines(DATA / "aliases_en.tsv"):
            if target in self.concepts:
                self._alias(phrase, target, strong=False)
        for alias, cid in esco_aliases:
            self._alias(alias, cid, strong=False)
        self._group_by_similarity()
        self._languages()
        for name, _title in ((row + [""])[:2] for row in _lines(DATA / "onet_tools.tsv.gz")):
            if len(name) <= 40:
                slug = re.sub(r"[^a-z0-9+#]+", "-", name.lower()).strip("-")
                cid = "onet:" + slug
                self.concepts.setdefault(cid, Concept(cid, name, "tool"))
                self._alias(name, cid, strong=False)

    def _languages(self) -> None:
        languages = {c.label: c.id for c in self.concepts.values() if c.type == "language"}
        for cid in self.esco_ids:
            use = _LANGUAGE_USE.match(self.concepts[cid].label)
            if use and self.concepts[cid].type == "language" and use.group(1) in languages:
                self.language_of[cid] = languages[use.group(1)]

    def plain(self, concept: Concept) -> Concept:
        """A concept as a job ad means it: a language use stands for its language."""
        language = self.language_of.get(concept.id)
        return self.concepts[language] if language else concept

    def _group_by_similarity(self) -> None:
        """Put an ESCO concept no canonical skill lists into the canonical skill whose concepts
        it is closest to in the shipped e5 vectors (cosine >= GROUP_THRESHOLD): "use software
        design patterns" counts as software engineering when a job is matched to majors."""
        import numpy as np

        data = np.load(DATA / "esco_e5.npz")
        ids = ["esco:" + str(i) for i in data["ids"]]
        matrix = data["q"].astype(np.float32) / 127.0
        row = {cid: n for n, cid in enumerate(ids)}
        names, centroids = [], []
        for sid, canonical in self.canonical.items():
            rows = [row[c] for c in ("esco:" + u.removeprefix(ESCO_PREFIX) for u in canonical.uris) if c in row]
            if rows:
                centre = matrix[rows].mean(axis=0)
                names.append(sid)
                centroids.append(centre / np.linalg.norm(centre))
        sims = matrix @ np.asarray(centroids).T
        best, score = sims.argmax(axis=1), sims.max(axis=1)
        for n, cid in enumerate(ids):
            concept = self.concepts.get(cid)
            if concept is not None and not concept.canonical and score[n] >= GROUP_THRESHOLD:
                self.concepts[cid] = Concept(concept.id, concept.label, concept.type, concept.label_zh,
                                             concept.uri, names[int(best[n])])

    def lookup(self, phrase: str) -> Concept | None:
        """The concept a phrase names exactly (ignoring case and a plural or "skills" tail)."""
        key = norm(phrase)
        for candidate in (key, key.removesuffix(" skills"), key.removesuffix(" skill"),
                          key.removesuffix("s") if len(key) > 4 else key):
            cid = self.aliases.get(candidate)
            if cid:
                return self.concepts[cid]
        return None

    def extended(self, terms: list[tuple[str, str]]) -> Taxonomy:
        """A copy that also knows ``(term, skill id)`` pairs found by ingest: a term naming no
        concept yet becomes an alias of its id (a concept of its own when the id is new)."""
        out = copy.copy(self)
        out.concepts = dict(self.concepts)
        out.aliases = dict(self.aliases)
        out.strong = set(self.strong)
        for term, sid in terms:
            key = norm(term)
            if not key or key in out.aliases:
                continue
            if sid not in out.concepts:
                out.concepts[sid] = Concept(sid, term, "skill")
            out.aliases[key] = sid
            out.strong.add(key)
        out._widest = None
        return out

    def within(self, phrase: str) -> Concept | None:
        """The concept of the longest strong alias inside a phrase, when it is at least half of
        it ("SQL joins" -> SQL, "虚拟现实应用开发" -> 虚拟现实, but not a short name in a long phrase)."""
        piece = self.piece_within(phrase)
        return self.concepts[self.aliases[piece]] if piece else None

    def widest(self) -> tuple[int, int]:
        """The most words and the most characters of a strong alias: no longer piece can be one."""
        if self._widest is None:
            self._widest = (max((len(k.split()) for k in self.strong), default=0),
                            max((len(k) for k in self.strong), default=0))
        return self._widest

    def piece_within(self, phrase: str) -> str:
        """The alias ``within`` finds in a phrase ("" when none). Only pieces as long as some
        strong alias are tried, so a hostile phrase of many thousand words costs no more than a short one."""
        key = norm(phrase)
        most_words, most_chars = self.widest()
        if re.search(r"[\u3400-\u9fff]", key):
            for size in range(min(len(key) - 1, most_chars), 1, -1):
                if size < 0.5 * len(key):
                    return ""
                for start in range(0, len(key) - size + 1):
                    if key[start:start + size] in self.strong:
                        return key[start:start + size]
            return ""
        words = key.split()
        for size in range(min(len(words) - 1, most_words), 0, -1):
            if size < 0.5 * len(words):
                return ""
            for start in range(0, len(words) - size + 1):
                piece = " ".join(words[start:start + size])
                if piece in self.strong:
                    return piece
        return ""

    def scan(self, text: str) -> list[Concept]:
        """Concepts whose strong aliases occur anywhere in ``text``, longest first, without
        overlaps: for short questions ("哪些课程教数据库？") whose frame is not a requirement."""
        low = text.lower()
        found: list[Concept] = []
        taken = [False] * len(low)
        for size in range(min(len(low), 30), 1, -1):
            for start in range(0, len(low) - size + 1):
                piece = low[start:start + size]
                if piece not in self.strong or any(taken[start:start + size]):
                    continue
                if piece.isascii() and (low[start - 1:start].isalnum() or low[start + size:start + size + 1].isalnum()):
                    continue  # English aliases match whole words only
                taken[start:start + size] = [True] * size
                found.append(self.concepts[self.aliases[piece]])
        return found

    def segment(self, run: str) -> list[str]:
        """Labels run together without separators, as PDF exports of ESCO profiles print them
        ("analyse texts to be illustrated consult with business clients …"), cut back into
        labels: the longest known label at each point; words no label covers stay together."""
        words = run.split()
        out: list[str] = []
        unknown: list[str] = []
        i = 0
        while i < len(words):
            for j in range(min(len(words), i + 14), i, -1):
                piece = " ".join(words[i:j])
                if norm(piece) in self.aliases and (j - i > 1 or len(piece) > 3):
                    if unknown:
                        out.append(" ".join(unknown))
                        unknown = []
                    out.append(piece)
                    i = j
                    break
            else:
                unknown.append(words[i])
                i += 1
        if unknown:
            out.append(" ".join(unknown))
        return out

    def find(self, name: str) -> Concept | None:
        """A concept by id, canonical id or exact alias."""
        return self.concepts.get(name) or self.lookup(name)


@lru_cache(maxsize=1)
def taxonomy() -> Taxonomy:
    """The shipped taxonomy, loaded once per process (about half a second)."""
    return Taxonomy()
