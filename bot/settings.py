"""Typed, immutable settings read from the environment and an optional ``.env`` file.

The real environment wins over ``.env``. Every problem names the setting and what is
expected, and no message ever contains the token.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import dotenv_values

from bot.storage.engine import DatabaseUrl, DatabaseUrlError, parse_database_url, sqlite_url

DEFAULT_DATABASE_PATH = "./data/tracktwo.sqlite3"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class SettingsError(ValueError):
    """One or more settings are wrong; ``problems`` holds one line per setting."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True, slots=True)
class Settings:
    discord_token: str | None = field(default=None, repr=False)
    database_path: Path = Path(DEFAULT_DATABASE_PATH)
    log_level: str = "INFO"
    dev_guild_id: int | None = None
    discord_api_base: str | None = None
    discord_gateway_url: str | None = None
    pseudonym_secret: str | None = field(default=None, repr=False)
    # DATABASE_URL: sqlite:///path (the default, from database_path) or postgresql://…
    database_url: str | None = field(default=None, repr=False)
    # Several processes sharing one token: SHARD_COUNT shards in all, SHARD_IDS this one's.
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None

    @property
    def database(self) -> DatabaseUrl:
        """Where the data is: DATABASE_URL, else the SQLite file at DATABASE_PATH."""
        if self.database_url is not None:
            return parse_database_url(self.database_url)
        return parse_database_url(sqlite_url(self.database_path))

    @property
    def shard_spec(self) -> tuple[int, tuple[int, ...]] | None:
        """(SHARD_COUNT, this process's SHARD_IDS), or None when the bot is not sharded."""
        if self.shard_count is None or self.shard_ids is None:
            return None
        return self.shard_count, self.shard_ids

    @property
    def owns_direct_messages(self) -> bool:
        """Discord sends DMs to shard 0: the process running it handles them."""
        return self.shard_ids is None or 0 in self.shard_ids

    @property
    def has_token(self) -> bool:
        return bool(self.discord_token)

    @property
    def data_dir(self) -> Path:
        return self.database_path.parent

    def __str__(self) -> str:  # never show secrets, even by accident
        token = "set" if self.discord_token else "not set"
        return (
            f"Settings(token {token}, database={self.database.redacted}, "
            f"log_level={self.log_level}, shards={self.shard_ids}/{self.shard_count}, "
            f"dev_guild_id={self.dev_guild_id}, api_base={self.discord_api_base}, "
            f"gateway={self.discord_gateway_url})"
        )


def _merged_environment(environ: Mapping[str, str] | None, env_file: Path | None) -> dict[str, str]:
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        for key, value in dotenv_values(env_file).items():
            if value is not None:
                values[key] = value
    values.update(os.environ if environ is None else environ)
    return values


def _url(name: str, raw: str, schemes: tuple[str, ...], problems: list[str]) -> str | None:
    parts = urlsplit(raw)
    if parts.scheme not in schemes or not parts.netloc:
        problems.append(
            f"{name} must be a {' or '.join(schemes)} URL, e.g. {schemes[0]}://127.0.0.1:8123/..."
        )
        return None
    return raw.rstrip("/")


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
) -> Settings:
    """Read settings; raise :class:`SettingsError` listing every problem at once."""
    env = _merged_environment(environ, env_file)
    problems: list[str] = []

    token = env.get("DISCORD_TOKEN", "").strip() or None
    if token is not None and (any(ch.isspace() for ch in token) or len(token) < 20):
        problems.append(
            "DISCORD_TOKEN does not look like a bot token (expected the token from the "
            "Developer Portal's Bot page, with no spaces)"
        )
        token = None

    db_raw = env.get("DATABASE_PATH", "").strip() or DEFAULT_DATABASE_PATH
    database_path = Path(db_raw).expanduser()
    database_url = env.get("DATABASE_URL", "").strip() or None
    if database_url is not None:
        try:
            parsed = parse_database_url(database_url)
        except DatabaseUrlError as exc:
            problems.append(str(exc))
            database_url = None
        else:
            if parsed.path is not None:  # sqlite:///…: the same file DATABASE_PATH would name
                database_path = parsed.path

    shard_count, shard_ids = _shards(env, problems)

    level = (env.get("LOG_LEVEL", "").strip() or "INFO").upper()
    if level not in LOG_LEVELS:
        problems.append(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {level!r}")
        level = "INFO"

    dev_guild: int | None = None
    raw_guild = env.get("DEV_GUILD_ID", "").strip()
    if raw_guild:
        if raw_guild.isdigit() and 15 <= len(raw_guild) <= 20:
            dev_guild = int(raw_guild)
        else:
            problems.append("DEV_GUILD_ID must be a server id (a number of 17 to 20 digits)")

    api_base = None
    if raw := env.get("DISCORD_API_BASE", "").strip():
        api_base = _url("DISCORD_API_BASE", raw, ("http", "https"), problems)
    gateway = None
    if raw := env.get("DISCORD_GATEWAY_URL", "").strip():
        gateway = _url("DISCORD_GATEWAY_URL", raw, ("ws", "wss"), problems)

    secret = env.get("PSEUDONYM_SECRET", "").strip() or None
    if secret is not None and len(secret) < 32:
        problems.append(
            "PSEUDONYM_SECRET must be at least 32 characters (or unset to generate one)"
        )
        secret = None

    some_shards = shard_ids is not None and shard_count is not None and len(shard_ids) < shard_count
    if some_shards and secret is None:
        problems.append(
            "PSEUDONYM_SECRET must be set when SHARD_IDS runs only some shards: every "
            "process must use the same secret, and a generated one would differ"
        )

    if problems:
        raise SettingsError(problems)
    return Settings(
        discord_token=token,
        database_path=database_path,
        log_level=level,
        dev_guild_id=dev_guild,
        discord_api_base=api_base,
        discord_gateway_url=gateway,
        pseudonym_secret=secret,
        database_url=database_url,
        shard_count=shard_count,
        shard_ids=shard_ids,
    )


MAX_SHARDS = 4096


def _shards(
    env: Mapping[str, str], problems: list[str]
) -> tuple[int | None, tuple[int, ...] | None]:
    raw_count = env.get("SHARD_COUNT", "").strip()
    raw_ids = env.get("SHARD_IDS", "").strip()
    if not raw_count:
        if raw_ids:
            problems.append("SHARD_IDS needs SHARD_COUNT (the number of shards in all processes)")
        return None, None
    if not raw_count.isdigit() or not 1 <= int(raw_count) <= MAX_SHARDS:
        problems.append(f"SHARD_COUNT must be a number from 1 to {MAX_SHARDS}, not {raw_count!r}")
        return None, None
    count = int(raw_count)
    if not raw_ids:
        return count, tuple(range(count))  # one process runs them all
    parts = [p.strip() for p in raw_ids.split(",")]
    if not all(p.isdigit() and int(p) < count for p in parts):
        problems.append(
            f"SHARD_IDS must be shard numbers from 0 to {count - 1}, separated by commas "
            f"(e.g. 0,1), not {raw_ids!r}"
        )
        return None, None
    ids = tuple(sorted({int(p) for p in parts}))
    return count, ids


class _RedactingFilter(logging.Filter):
    """Last line of defence: replace any known secret that reaches a log record."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if self._secrets:
            message = record.getMessage()
            if any(s in message for s in self._secrets):
                for secret in self._secrets:
                    message = message.replace(secret, "[redacted]")
                record.msg, record.args = message, None
        return True


def configure_logging(settings: Settings) -> None:
    """One line per event, at the configured level, with secrets redacted."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S")
    )
    db_password = urlsplit(settings.database_url).password if settings.database_url else None
    handler.addFilter(
        _RedactingFilter(
            [s for s in (settings.discord_token, settings.pseudonym_secret, db_password) if s]
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    # discord.py's own loggers are chatty at DEBUG; keep them one step quieter.
    logging.getLogger("discord").setLevel(max(logging.INFO, root.level))
    # aiosqlite logs every statement with its parameters at DEBUG: that is reply text.
    logging.getLogger("aiosqlite").setLevel(max(logging.INFO, root.level))
    logging.getLogger("asyncpg").setLevel(max(logging.INFO, root.level))
