"""One exception tree for careerbot.

    CareerbotError
    ├── UserFacingError            message is safe and useful to show to a user
    │   ├── ConfigError            a setting is missing or wrong; says which and how to fix it
    │   ├── StoreUnavailableError  SQL or Chroma cannot be reached
    │   ├── StoreBusyError         another process is writing the embedded store
    │   └── IngestError            one file could not be ingested (carries the file name)
    │       ├── UnsupportedFormatError
    │       ├── FileTooLargeError
    │       ├── EmptyDocumentError
    │       ├── EncryptedDocumentError
    │       └── CorruptDocumentError
    └── (anything else is a bug: logged with its traceback by the one error handler)

Third-party errors are wrapped at the edge with ``raise ... from exc``.
"""

from __future__ import annotations


class CareerbotError(Exception):
    """Base of every error careerbot raises on purpose."""


class UserFacingError(CareerbotError):
    """An error whose message can be shown to the user as it is."""


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
