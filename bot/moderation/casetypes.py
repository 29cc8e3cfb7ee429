"""Case types as plain data: one row per kind of moderator action, nothing else to update."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CaseType(StrEnum):
    APPROVAL = "approval"
    REMOVAL = "removal"
    WARNING = "warning"
    TIMEOUT = "timeout"
    UNTIMEOUT = "untimeout"
    PARDON = "pardon"
    DISMISSAL = "dismissal"
    KEPT = "kept"
    VERIFICATION = "verification"
    REVEAL = "reveal"
    APPEAL_UPHELD = "appeal_upheld"
    APPEAL_OVERTURNED = "appeal_overturned"

    @property
    def info(self) -> CaseTypeInfo:
        return CASE_TYPES[self]


@dataclass(frozen=True, slots=True)
class CaseTypeInfo:
    label: str
    emoji: str
    sanction: bool  # counts against the member, can be appealed


CASE_TYPES: dict[CaseType, CaseTypeInfo] = {
    CaseType.APPROVAL: CaseTypeInfo("Held reply approved", "✅", False),
    CaseType.REMOVAL: CaseTypeInfo("Removal", "🗑️", True),
    CaseType.WARNING: CaseTypeInfo("Warning", "⚠️", True),
    CaseType.TIMEOUT: CaseTypeInfo("Timeout", "⏳", True),
    CaseType.UNTIMEOUT: CaseTypeInfo("Timeout lifted", "🔓", False),
    CaseType.PARDON: CaseTypeInfo("Pardon", "🕊️", False),
    CaseType.DISMISSAL: CaseTypeInfo("Reports dismissed", "📭", False),
    CaseType.KEPT: CaseTypeInfo("Reported text kept", "📌", False),
    CaseType.VERIFICATION: CaseTypeInfo("Verification decision", "🪪", False),
    CaseType.REVEAL: CaseTypeInfo("Author revealed", "🔍", False),
    CaseType.APPEAL_UPHELD: CaseTypeInfo("Appeal: sanction stands", "⚖️", False),
    CaseType.APPEAL_OVERTURNED: CaseTypeInfo("Appeal: sanction lifted", "↩️", False),
}
