"""Errors a member can cause. Cogs answer them with their message, in one ephemeral sentence;
anything else is logged with context and answered with "something went wrong"."""

from __future__ import annotations

from bot.i18n import CATALOGS, SOURCE, nested_params, translate


class UserFacingError(Exception):
    """The message is shown to the member: one friendly sentence. It is raised with a message
    id of :mod:`bot.i18n` and its parameters (``NotFound("error.no_such_round")``); the
    cogs answer in the member's language, and ``message`` is the English text, for logs and
    tests. A first argument that is no message id is taken as finished English (older code;
    tests/unit/test_catalog_bypass.py refuses it in app/, bot/ and cogs/)."""

    def __init__(self, message: str, /, *, key: str | None = None, **params: object) -> None:
        if key is None and message in CATALOGS[SOURCE].messages:
            key, message = message, translate(message, SOURCE, **nested_params(params, SOURCE))
        super().__init__(message)
        self.message = message
        self.key = key
        self.params = params


class NotAllowed(UserFacingError):
    pass


class NotFound(UserFacingError):
    pass


class Conflict(UserFacingError):
    pass


class InvalidInput(UserFacingError):
    pass


class StorageUnavailable(RuntimeError):
    """The database cannot be used. Not a member's doing: logged, and answered with "something
    went wrong". Storage raises its own subclass; cogs catch this one and never import storage."""


class StorageClosed(StorageUnavailable):
    """The database is closed: the bot is shutting down (or has not opened it yet)."""
