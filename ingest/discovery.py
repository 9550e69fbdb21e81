"""What an ingest run reads: the files under the paths it was given, each with the root its
source name is relative to. Links that leave a folder are listed with a reason to skip them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ingest.encoding import strip_controls


@dataclass(frozen=True)
class Target:
    """A file to ingest, with the root its ``source`` is relative to."""

    path: Path
    root: Path
    explicit: bool
    skip: str = ""  # why this file is not read (a link leaving the tree)

    @property
    def source(self) -> str:
        """The path shown and cited; a file name's control characters never reach a terminal."""
        try:
            return strip_controls(self.path.relative_to(self.root).as_posix())
        except ValueError:
            return strip_controls(self.path.name)

    @property
    def doc_id(self) -> str:
        return document_id(str(self.path))



def document_id(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def discover(paths: Iterable[Path]) -> tuple[list[Target], list[Path]]:
    """Files under ``paths`` (hidden files and folders skipped) and the folders walked.

    A symbolic link that leads out of its folder is listed with a reason to skip it: ingesting
    a folder must not serve ``/etc/passwd`` because someone dropped a link to it there.
    """
    targets: list[Target] = []
    roots: list[Path] = []
    for raw in paths:
        path = raw.expanduser().resolve()
        if path.is_dir():
            roots.append(path)
            for file in sorted(path.rglob("*")):
                rel = file.relative_to(path).parts
                if any(p.startswith(".") for p in rel):
                    continue
                if file.is_symlink() and not file.resolve().is_relative_to(path):
                    reason = strip_controls(f"{file.relative_to(path).as_posix()}: a symbolic link "
                                            f"that leaves the ingested folder (to {file.resolve()})")
                    targets.append(Target(file, path, explicit=False, skip=reason))
                elif file.is_file():
                    targets.append(Target(file, path, explicit=False))
        else:
            targets.append(Target(path, path.parent, explicit=True))
    return targets, roots
