from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError, configure_logging, load_settings

TOKEN = "MTA1.fake-token.for-tests-only-abcdefghijklmnop"


def test_defaults_without_anything(tmp_path: Path) -> None:
    settings = load_settings({}, env_file=tmp_path / "missing.env")
    assert settings.discord_token is None
    assert settings.database_path == Path("./data/tracktwo.sqlite3")
    assert settings.log_level == "INFO"
    assert settings.dev_guild_id is None
    assert settings.discord_api_base is None
    assert settings.discord_gateway_url is None


def test_valid_values_are_typed() -> None:
    settings = load_settings(
        {
            "DISCORD_TOKEN": TOKEN,
            "DATABASE_PATH": "/tmp/x/db.sqlite3",
            "LOG_LEVEL": "debug",
            "DEV_GUILD_ID": "123456789012345678",
            "DISCORD_API_BASE": "http://127.0.0.1:8123/api/v10/",
            "DISCORD_GATEWAY_URL": "ws://127.0.0.1:8123/gateway",
        },
        env_file=None,
    )
    assert settings.discord_token == TOKEN
    assert settings.database_path == Path("/tmp/x/db.sqlite3")
    assert settings.log_level == "DEBUG"
    assert settings.dev_guild_id == 123456789012345678
    assert settings.discord_api_base == "http://127.0.0.1:8123/api/v10"
    assert settings.discord_gateway_url == "ws://127.0.0.1:8123/gateway"


def test_settings_are_immutable() -> None:
    settings = Settings()
    with pytest.raises(AttributeError):
        settings.log_level = "DEBUG"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("LOG_LEVEL", "loud", "LOG_LEVEL must be one of"),
        ("DEV_GUILD_ID", "my-server", "DEV_GUILD_ID must be a server id"),
        ("DISCORD_API_BASE", "127.0.0.1:8123", "DISCORD_API_BASE must be a http or https URL"),
        ("DISCORD_GATEWAY_URL", "http://127.0.0.1", "DISCORD_GATEWAY_URL must be a ws or wss URL"),
        ("PSEUDONYM_SECRET", "short", "PSEUDONYM_SECRET must be at least 32"),
    ],
)
def test_malformed_value_names_the_setting(name: str, value: str, expected: str) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings({name: value}, env_file=None)
    assert len(info.value.problems) == 1
    assert expected in info.value.problems[0]


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(SettingsError) as info:
        load_settings({"LOG_LEVEL": "x", "DEV_GUILD_ID": "y"}, env_file=None)
    assert len(info.value.problems) == 2


def test_malformed_token_is_rejected_without_echoing_it() -> None:
    bad = "abc def secret-part-that-must-not-leak"
    with pytest.raises(SettingsError) as info:
        load_settings({"DISCORD_TOKEN": bad}, env_file=None)
    assert "DISCORD_TOKEN" in str(info.value)
    for fragment in bad.split():
        assert fragment not in str(info.value)


def test_env_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("LOG_LEVEL=WARNING\nDEV_GUILD_ID=123456789012345678\n", encoding="utf-8")
    settings = load_settings({"LOG_LEVEL": "ERROR"}, env_file=env_file)
    assert settings.log_level == "ERROR"
    assert settings.dev_guild_id == 123456789012345678


def test_token_never_in_repr_or_str() -> None:
    settings = load_settings({"DISCORD_TOKEN": TOKEN}, env_file=None)
    assert TOKEN not in repr(settings)
    assert TOKEN not in str(settings)
    assert "token set" in str(settings)


def test_logging_redacts_the_token(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    settings = load_settings({"DISCORD_TOKEN": TOKEN}, env_file=None)
    try:
        configure_logging(settings)
        logging.getLogger("tracktwo.test").warning("connecting with %s", TOKEN)
        err = capsys.readouterr().err
    finally:
        # the handler writes to this test's captured stderr, closed after it: left installed,
        # every later log line fails ("I/O operation on closed file") and prints a whole stack,
        # slow enough to make timing tests after it flaky (test_tasks.py's retry test)
        root.handlers[:], root.level = handlers, level
    assert TOKEN not in err
    assert "[redacted]" in err
