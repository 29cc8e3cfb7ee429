"""What the bot asked of the emulator (:class:`RestCall`) and the failures a test arranges for
it (:class:`Fault`, kept in :class:`Faults`). Depends on nothing else in the sandbox."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RestCall:
    """One REST request the bot made, as the emulator answered it."""

    method: str
    path: str  # after /api/v10
    route: str  # the route template, e.g. /channels/{channel_id}/messages
    body: Any
    audit_reason: str | None
    status: int = 0
    error_code: int | None = None
    files: list[str] = field(default_factory=list)

    def matches(self, pattern: str) -> bool:
        return route_matches(pattern, self.method, self.path, self.route)

    def __str__(self) -> str:
        code = f" (code {self.error_code})" if self.error_code else ""
        return f"{self.method} {self.path} -> {self.status}{code}"


def route_matches(pattern: str, method: str, path: str, route: str) -> bool:
    """``"POST /channels/*/messages"`` or ``"/guilds/{guild_id}/members/{user_id}"``."""
    want_method, _, want_path = pattern.partition(" ") if " " in pattern else ("", "", pattern)
    if want_method and want_method.upper() != method:
        return False
    return fnmatch.fnmatchcase(path, want_path) or fnmatch.fnmatchcase(route, want_path)


@dataclass
class Fault:
    pattern: str
    remaining: int
    status: int
    code: int = 0
    message: str = "injected failure"
    retry_after: float = 0.0
    is_global: bool = False


class Faults:
    """Failures waiting for the next matching calls (``pending`` may be cleared by tests)."""

    def __init__(self) -> None:
        self.pending: list[Fault] = []

    def fail_next(
        self,
        pattern: str,
        status: int = 500,
        *,
        times: int = 1,
        code: int = 0,
        message: str = "injected failure",
    ) -> None:
        """The next ``times`` calls matching ``pattern`` (``"POST /channels/*/messages"``) fail."""
        self.pending.append(Fault(pattern, times, status, code, message))

    def rate_limit_next(
        self, pattern: str, *, times: int = 1, retry_after: float = 0.05, is_global: bool = False
    ) -> None:
        """The next ``times`` matching calls get a 429 with Discord's headers."""
        self.pending.append(
            Fault(pattern, times, 429, 0, "You are being rate limited.", retry_after, is_global)
        )

    def take(self, method: str, path: str, route: str) -> Fault | None:
        """The fault this call meets, if any (each use counts down its ``remaining``)."""
        for fault in self.pending:
            if fault.remaining > 0 and route_matches(fault.pattern, method, path, route):
                fault.remaining -= 1
                if fault.remaining == 0:
                    self.pending.remove(fault)
                return fault
        return None
