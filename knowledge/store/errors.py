"""The one map from storage backends' exceptions to careerbot's (like httpx's
``map_httpcore_exceptions``): Chroma, SQLAlchemy and the file system raise dozens of types,
callers see ``StoreUnavailableError`` with a message that says what failed and where."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager

from knowledge.errors import CareerbotError, StoreUnavailableError

# OS errors that mean the data dir cannot take writes: a store problem, not a bug.
DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EACCES})
# Words in Chroma's messages (it raises plain Exception subclasses) that mean the same.
DISK_WORDS = ("readonly", "read-only", "read only", "no space", "disk is full", "disk full",
              "disk i/o", "database or disk is full", "permission denied")


class StaleVectorsError(StoreUnavailableError):
    """The embedded vector store changed under this process (another process ingested)."""


def _is_stale(exc: Exception) -> bool:
    return "error finding id" in str(exc).lower()


@contextmanager
def map_backend_errors(action: str, where: str) -> Iterator[None]:
    """Run a storage call; translate what its backend raises into careerbot's tree.

    ``action`` says what was attempted ("search", "read", "write"), ``where`` names the store.
    careerbot's own errors pass through unchanged; so do programming errors of our own
    (TypeError, AttributeError …), which must reach the error handler with a traceback.
    """
    try:
        yield
    except CareerbotError:
        raise
    except (TypeError, AttributeError, KeyError, AssertionError, NotImplementedError):
        raise
    except OSError as exc:
        if exc.errno in DISK_ERRNOS or isinstance(exc, ConnectionError | TimeoutError):
            raise StoreUnavailableError(f"cannot {action} {where}: {exc.strerror or exc}") from exc
        raise
    except Exception as exc:
        if _is_stale(exc):
            raise StaleVectorsError(f"cannot {action} {where}: it changed under this process") from exc
        if any(word in str(exc).lower() for word in DISK_WORDS):
            raise StoreUnavailableError(f"cannot {action} {where}: {exc}") from exc
        # Everything else a backend raises (connection refused, server errors, HTTP
        # failures of the Chroma client) means the store cannot be used right now.
        raise StoreUnavailableError(f"cannot {action} {where}: {exc}") from exc
