"""One exception tree for careerbot.

    CareerbotError
    ├── UserFacingError            message is safe and useful to show to a user
    │   ├── ConfigError            a setting is missing or wrong; says which and how to fix it
    │   ├── StoreUnavailableError  SQL or Chroma cannot be reached
    │   ├── StoreBusyError         another process is writing the embedded store
    │   ├── RateLimited            too many questions; carries retry_after (seconds)
    │   └── IngestError            one file could not be ingested (carries the file name)
    │       ├── UnsupportedFormatError
    │       ├── FileTooLargeError
    │       ├── EmptyDocumentError
    │       ├── EncryptedDocumentError
    │       └── CorruptDocumentError
    ├── LLMUnavailable             the language model failed after its retry (callers fall back)
    └── (anything else is a bug: logged with its traceback by the one error handler)

Third-party errors are wrapped at the edge with ``raise ... from exc``.
"""

from __future__ import annotations


class CareerbotError(Exception):
    """Base of every error careerbot raises on purpose."""


class UserFacingError(CareerbotError):
    """An error whose message can be shown to the user as it is."""


class MajorNotFound(UserFacingError):
    """No training plan for the major asked about; ``closest`` holds the nearest majors that
    have one, as ``(code, name)``, for a front end to offer."""

    def __init__(self, query: str, closest: list[tuple[str, str]]) -> None:
        names = ", ".join(f"{c} {n}".strip() for c, n in closest) or "none (no training plan is ingested)"
        super().__init__(f"no training plan for a major matching {query!r}; closest: {names}")
        self.query = query
        self.closest = closest


class ConfigError(UserFacingError):
    """A setting is missing, malformed or names an unknown backend."""


class StoreUnavailableError(UserFacingError):
    """The SQL database or the Chroma store cannot be reached."""


class StoreBusyError(UserFacingError):
    """Another process holds the embedded store's write lock."""


class IngestError(UserFacingError):
    """A single file could not be ingested; the rest of the run goes on."""

    reason = "could not be ingested"

    def __init__(self, path: str, detail: str = "") -> None:
        self.path = path
        self.detail = detail
        message = f"{path}: {self.reason}"
        if detail:
            message += f" ({detail})"
        super().__init__(message)


class UnsupportedFormatError(IngestError):
    reason = "unsupported file format"


class FileTooLargeError(IngestError):
    reason = "file is over the size limit"


class EmptyDocumentError(IngestError):
    reason = "no text could be extracted (empty file)"


class EncryptedDocumentError(IngestError):
    reason = "file is encrypted or password-protected"


class CorruptDocumentError(IngestError):
    reason = "file is corrupt or truncated"


class RateLimited(UserFacingError):
    """Too many questions in the last minute."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"too many questions; try again in {retry_after} s")


class LLMUnavailable(CareerbotError):
    """The language model could not be reached or failed after its retry; the caller falls
    back to the extractive answer, so this never reaches a user as an error."""
