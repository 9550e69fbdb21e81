"""Who may add documents, and as which types.

Roles are self-declared (anyone can press the "enterprise" button, or forge its callback), so
a role never grants a write on its own: administrators (``CAREERBOT_ADMIN_IDS``) may upload
any type; with ``CAREERBOT_ENTERPRISE_UPLOADS=true`` the users listed in
``CAREERBOT_ENTERPRISE_UPLOAD_IDS`` may upload enterprise requirements and internships, and
only those, whatever their caption says. Everyone else is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.config import Settings
from knowledge.schema import DocType

ENTERPRISE_TYPES = frozenset({DocType.ENTERPRISE_REQUIREMENT, DocType.INTERNSHIP})
DEFAULT_TYPE = DocType.ENTERPRISE_REQUIREMENT


@dataclass(frozen=True)
class UploadRight:
    """What one user may upload: ``types`` None means any type."""

    user_id: int
    types: frozenset[DocType] | None

    def doc_type(self, caption: str | None) -> DocType:
        """The type a caption's first word names, when this user may use it; else the default."""
        if not caption or not caption.split():
            return DEFAULT_TYPE
        try:
            named = DocType.parse(caption.split()[0])
        except ValueError:
            return DEFAULT_TYPE
        return named if self.types is None or named in self.types else DEFAULT_TYPE


def upload_right(settings: Settings, user_id: int) -> UploadRight | None:
    """The user's right to upload, or None."""
    if user_id in settings.telegram.admin_ids:
        return UploadRight(user_id, None)
    if settings.telegram.enterprise_uploads and user_id in settings.telegram.enterprise_upload_ids:
        return UploadRight(user_id, ENTERPRISE_TYPES)
    return None
