"""Unicode-folded keys for names compared without regard to case."""

from __future__ import annotations

import unicodedata


def fold_name(name: str) -> str:
    """The key two names share when they differ only in case: NFKC, then ``casefold()``
    (so "Հայեր"/"ՀԱՅԵՐ", "Русские"/"РУССКИЕ" and "Straße"/"STRASSE" are one name)."""
    return unicodedata.normalize("NFKC", name).casefold()
