"""Errors a member can cause. Cogs answer them with their message, in one ephemeral sentence;
anything else is logged with context and answered with "something went wrong"."""

from __future__ import annotations


class UserFacingError(Exception):
    """The message is shown to the member as is: one friendly sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(UserFacingError):
    pass


class NotFound(UserFacingError):
    pass


class Conflict(UserFacingError):
    pass


class InvalidInput(UserFacingError):
    pass
