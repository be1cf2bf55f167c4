"""Contraction mode of each muscle: concentric, eccentric, isometric or inactive."""

from __future__ import annotations

from enum import IntEnum


class ContractionMode(IntEnum):
    """Stored as small integers in arrays (int8); ``.label`` is the exported word."""

    INACTIVE = 0
    CONCENTRIC = 1  # shortening under activation
    ECCENTRIC = 2  # lengthening under activation
    ISOMETRIC = 3  # active, length nearly constant

    @property
    def label(self) -> str:
        return self.name.lower()
