"""The one map of storage backends' exceptions (knowledge/store/errors.py)."""

from __future__ import annotations

import errno

import pytest

from knowledge.errors import ConfigError, StoreUnavailableError
from knowledge.store.errors import StaleVectorsError, map_backend_errors


def _raise(exc: BaseException) -> None:
    with map_backend_errors("search", "the vector store at /data/chroma"):
        raise exc


@pytest.mark.parametrize("exc", [
    ConnectionRefusedError(111, "Connection refused"),
    TimeoutError("timed out"),
    OSError(errno.ENOSPC, "No space left on device"),
    OSError(errno.EROFS, "Read-only file system"),
    RuntimeError("Could not connect to tenant default_tenant. Are you sure it exists?"),
    ValueError("attempt to write a readonly database"),
])
def test_backend_failures_become_store_unavailable(exc: BaseException) -> None:
    with pytest.raises(StoreUnavailableError) as caught:
        _raise(exc)
    assert "cannot search the vector store at /data/chroma" in str(caught.value)
    assert caught.value.__cause__ is exc


def test_a_stale_embedded_index_is_its_own_kind() -> None:
    with pytest.raises(StaleVectorsError):
        _raise(RuntimeError("Error executing plan: Internal error: Error finding id"))


@pytest.mark.parametrize("exc", [TypeError("bad call"), AttributeError("x"), KeyError("ids"),
                                 OSError(errno.ENOENT, "No such file")])
def test_our_own_bugs_keep_their_type(exc: BaseException) -> None:
    with pytest.raises(type(exc)):
        _raise(exc)


def test_careerbot_errors_pass_through_unchanged() -> None:
    original = ConfigError("CAREERBOT_CHROMA_URL must look like http://host:port")
    with pytest.raises(ConfigError) as caught:
        _raise(original)
    assert caught.value is original
