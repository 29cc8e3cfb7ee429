from __future__ import annotations

import argparse
import base64
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp
import discord
import pytest

from app.cli import build_parser, client_id_from_token, main
from app.startup import startup_failure
from bot import __version__
from bot.privacy import secret_fingerprint
from bot.settings import Settings
from bot.storage.migrations import load_migrations
from cogs._permissions import BOT_PERMISSIONS, invite_permissions


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        env={"PATH": "/usr/bin:/bin", **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_check_config_mistyped_path_creates_nothing_and_says_what_run_would_do(
    tmp_path: Path,
) -> None:
    db = tmp_path / "dta" / "tracktwo.sqlite3"
    result = run_cli("check-config", env={"DATABASE_PATH": str(db)}, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert f"there is no database at {db}" in lines[0]
    assert (
        f"run would create a new, empty one there and apply {len(load_migrations())}" in (lines[0])
    )
    assert list(tmp_path.iterdir()) == []  # no folder, no database, no secret


def test_check_config_writes_nothing_and_lists_pending_migrations(tmp_path: Path) -> None:
    db = tmp_path / "d" / "x.db"
    env = {"DATABASE_PATH": str(db)}
    latest = load_migrations()[-1].name
    db.parent.mkdir()
    with sqlite3.connect(db) as conn:  # an old database: only the first migration applied
        conn.execute(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
            "checksum TEXT NOT NULL, applied_at TEXT)"
        )
        first = load_migrations()[0]
        conn.executescript(first.sql)
        conn.execute(
            "INSERT INTO schema_migrations VALUES (?, ?, ?, 'then')",
            (first.version, first.name, first.checksum),
        )
    conn.close()
    before = tree(tmp_path)
    result = run_cli("check-config", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"run would apply {len(load_migrations()) - 1} migration(s): " in result.stdout
    assert latest in result.stdout and first.name not in result.stdout
    assert f"run would generate {tmp_path / 'd' / 'pseudonym.secret'}" in result.stdout
    assert result.stdout.strip().endswith("configuration ok")
    assert tree(tmp_path) == before  # byte for byte, and no -wal, -shm or secret beside it

    assert run_cli("migrate", env=env, cwd=tmp_path).returncode == 0
    result = run_cli("check-config", env=env, cwd=tmp_path)
    assert "its schema is up to date" in result.stdout


def test_check_config_edited_migration_is_one_line(tmp_path: Path) -> None:
    env = {"DATABASE_PATH": str(tmp_path / "x.db")}
    assert run_cli("migrate", env=env, cwd=tmp_path).returncode == 0
    with sqlite3.connect(tmp_path / "x.db") as conn:
        conn.execute("UPDATE schema_migrations SET checksum = 'other' WHERE version = 2")
    conn.close()
    result = run_cli("check-config", env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "configuration error: migration 0002_dialogue.sql was edited after it was applied "
        "(recorded as 0002_dialogue.sql); add a new migration instead of changing it"
    ]


def test_check_config_checks_the_secret_against_the_database(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    secret_a, secret_b = "a" * 40, "b" * 40
    assert run_cli("migrate", env={"DATABASE_PATH": str(db)}, cwd=tmp_path).returncode == 0
    with sqlite3.connect(db) as conn:  # what run records on its first start
        conn.execute(
            "INSERT INTO secret_fingerprint (id, fingerprint) VALUES (1, ?)",
            (secret_fingerprint(secret_a.encode()),),
        )
    conn.close()
    same = run_cli(
        "check-config", env={"DATABASE_PATH": str(db), "PSEUDONYM_SECRET": secret_a}, cwd=tmp_path
    )
    assert same.returncode == 0, same.stderr
    assert "the secret is the one this database was first run with" in same.stdout
    for env in ({"PSEUDONYM_SECRET": secret_b}, {}):  # another secret; none (run makes one)
        other = run_cli("check-config", env={"DATABASE_PATH": str(db), **env}, cwd=tmp_path)
        assert other.returncode == 1
        lines = other.stderr.strip().splitlines()
        assert len(lines) == 1
        assert "not the secret the database was first run with" in lines[0]
        assert "no stored author, voter or reporter can be found again" in lines[0]
        assert secret_a not in other.stderr + other.stdout
        assert secret_b not in other.stderr + other.stdout
    assert not (tmp_path / "pseudonym.secret").exists()


def test_check_config_unusable_database_path_is_one_clear_line(tmp_path: Path) -> None:
    result = run_cli("check-config", env={"DATABASE_PATH": "/proc/nope/x.db"}, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "DATABASE_PATH" in lines[0] and "/proc/nope" in lines[0]


def test_check_config_not_a_database_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "x.db").write_bytes(b"this is not sqlite" * 100)
    result = run_cli("check-config", env={"DATABASE_PATH": str(tmp_path / "x.db")}, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "is not a usable database" in lines[0]


def test_check_config_bad_setting_never_echoes_token(tmp_path: Path) -> None:
    token = "MTA1.secret-token-value-abcdefghijklmnopqrstuv"
    result = run_cli(
        "check-config", env={"DISCORD_TOKEN": token, "LOG_LEVEL": "loud"}, cwd=tmp_path
    )
    assert result.returncode == 1
    assert "LOG_LEVEL" in result.stderr
    assert token not in result.stderr + result.stdout


def test_env_file_in_working_directory_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("LOG_LEVEL=nonsense\n", encoding="utf-8")
    result = run_cli("check-config", env={}, cwd=tmp_path)
    assert result.returncode == 1
    assert "LOG_LEVEL" in result.stderr


def test_migrate_command(tmp_path: Path) -> None:
    env = {"DATABASE_PATH": str(tmp_path / "x.db")}
    first = run_cli("migrate", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "0001_foundation.sql" in first.stdout
    second = run_cli("migrate", env=env, cwd=tmp_path)
    assert second.stdout.strip() == "applied 0 migration(s)"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_prompts_import_and_dedupe(tmp_path: Path) -> None:
    text = tmp_path / "essay.md"
    text.write_text(
        "\n\n".join(
            f"Paragraph {n} of a thoughtful essay about neighbours. " * 8 for n in range(4)
        ),
        encoding="utf-8",
    )
    env = {"DATABASE_PATH": str(tmp_path / "x.db")}
    args = ("prompts", "import", str(text), "--title", "On Neighbours", "--author", "A. Writer")
    first = run_cli(*args, env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "4 new excerpts, 0 already stored" in first.stdout
    second = run_cli(*args, env=env, cwd=tmp_path)
    assert "0 new excerpts, 4 already stored" in second.stdout


def test_prompts_import_rejects_binary_file(tmp_path: Path) -> None:
    blob = tmp_path / "image.txt"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    result = run_cli(
        "prompts",
        "import",
        str(blob),
        "--title",
        "T",
        "--author",
        "A",
        env={"DATABASE_PATH": str(tmp_path / "x.db")},
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "binary" in result.stderr


def test_no_arguments_prints_help_and_exits_0(tmp_path: Path) -> None:
    result = run_cli(env={}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: tracktwo")
    assert list(tmp_path.iterdir()) == []  # in particular: it did not start the sandbox or run


def test_help_describes_every_subcommand(tmp_path: Path) -> None:
    result = run_cli("--help", env={}, cwd=tmp_path)
    assert result.returncode == 0
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {choice.dest: choice.help for choice in subparsers._choices_actions}
    assert (
        set(helps)
        == set(subparsers.choices)
        == {
            "run",
            "migrate",
            "check-config",
            "invite",
            "prompts",
            "sandbox",
            "copy-database",
            "bridging",
        }
    )
    for name, summary in helps.items():
        assert summary and summary in " ".join(result.stdout.split()), name
        own = run_cli(name, "--help", env={}, cwd=tmp_path)
        assert own.returncode == 0 and subparsers.choices[name].description, name
        assert own.stdout.startswith(f"usage: tracktwo {name}")


def test_invite_permissions_are_the_named_flags() -> None:
    expected = discord.Permissions(
        view_channel=True,
        send_messages=True,
        send_messages_in_threads=True,
        create_public_threads=True,
        create_private_threads=True,  # the circles' private threads
        manage_threads=True,
        embed_links=True,
        attach_files=True,
        manage_messages=True,
        manage_roles=True,
        moderate_members=True,
    )
    assert invite_permissions() == expected
    assert invite_permissions().value == 1494917114880
    assert not invite_permissions().administrator
    assert len({need.flag for need in BOT_PERMISSIONS}) == len(BOT_PERMISSIONS)


def test_invite_with_client_id(tmp_path: Path) -> None:
    result = run_cli("invite", "--client-id", "123456789012345678", env={}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    url = result.stdout.strip()
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "discord.com", "/oauth2/authorize")
    assert "scope=bot+applications.commands" in parts.query
    assert parse_qs(parts.query) == {
        "client_id": ["123456789012345678"],
        "scope": ["bot applications.commands"],
        "permissions": [str(invite_permissions().value)],
    }


def test_invite_reads_the_client_id_from_the_token(tmp_path: Path) -> None:
    user_id = "123456789012345678"
    head = base64.b64encode(user_id.encode()).decode().rstrip("=")
    token = f"{head}.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB"
    assert client_id_from_token(token) == int(user_id)
    result = run_cli("invite", "--explain", env={"DISCORD_TOKEN": token}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert f"client_id={user_id}&" in lines[0]
    assert [line.split(":")[0].strip() for line in lines[1:]] == [
        need.name for need in BOT_PERMISSIONS
    ]
    assert token not in result.stdout + result.stderr
    checked = run_cli("check-config", env={"DISCORD_TOKEN": token}, cwd=tmp_path)
    assert f"token: set, for the application {user_id} (not checked with Discord)" in (
        checked.stdout
    )
    assert token not in checked.stdout + checked.stderr


def test_invite_without_client_id_says_how_to_get_one(tmp_path: Path) -> None:
    result = run_cli("invite", env={}, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "--client-id" in lines[0] and "Application ID" in lines[0]
    assert client_id_from_token("not-base64!.x.y") is None
    bad = run_cli("invite", "--client-id", "12ab", env={}, cwd=tmp_path)
    assert bad.returncode == 2 and "17 to 20 digits" in bad.stderr


def test_readme_lists_exactly_the_invite_permissions() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- permissions -->")[1].split("<!-- /permissions -->")[0]
    rows = [line.strip() for line in section.splitlines() if line.strip().startswith("| *")]
    assert rows == [f"| *{need.name}* | {need.used_for} |" for need in BOT_PERMISSIONS]
    assert str(invite_permissions().value) in readme


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_with_too_old_python_makes_no_venv(tmp_path: Path) -> None:
    old = tmp_path / "python3.10"
    old.write_text(
        '#!/bin/sh\nif [ "$1" = "-V" ]; then echo "Python 3.10.12"; exit 0; fi\n'
        'if [ "$1" = "-c" ]; then exit 1; fi\necho "must not be used to make a venv" >&2\n'
        "exit 3\n",
        encoding="utf-8",
    )
    old.chmod(0o755)
    venv = tmp_path / "venv"
    root = Path(__file__).parents[2]
    result = subprocess.run(
        ["make", "-s", "-C", str(root), f"PYTHON={old}", f"VENV={venv}", "venv"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "needs Python 3.11 or newer" in result.stderr and "Python 3.10.12" in result.stderr
    assert "must not be used" not in result.stderr
    assert not venv.exists()


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_leaves_no_half_made_venv(tmp_path: Path) -> None:
    """`make run` with a too-old Python stops before making anything; with a Python whose
    venv is made but cannot install (pip fails), the half-made venv is removed, so the next
    `make` does not skip the step and fail further on."""
    root = Path(__file__).parents[2]
    old = tmp_path / "python3.9"
    old.write_text(
        '#!/bin/sh\nif [ "$1" = "-V" ]; then echo "Python 3.9.2"; exit 0; fi\nexit 1\n',
        encoding="utf-8",
    )
    broken = tmp_path / "python3.12"
    broken.write_text(  # passes the version check; makes a venv whose python cannot install
        '#!/bin/sh\nif [ "$1" = "-c" ]; then exit 0; fi\n'
        'if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then mkdir -p "$3/bin"; '
        'printf "#!/bin/sh\\nexit 1\\n" > "$3/bin/python"; chmod +x "$3/bin/python"; exit 0; fi\n'
        "exit 3\n",
        encoding="utf-8",
    )
    for python in (old, broken):
        python.chmod(0o755)
        venv = tmp_path / f"venv-{python.name}"
        result = subprocess.run(
            ["make", "-s", "-C", str(root), f"PYTHON={python}", f"VENV={venv}", "run"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode != 0, result.stdout
        assert not venv.exists(), (python.name, result.stderr)


def test_startup_failure_names_a_timeout_and_leaves_bugs_alone() -> None:
    settings = Settings(discord_token="x" * 30, discord_api_base="http://127.0.0.1:9/api/v10")
    # what aiohttp raises when Discord accepts no connection within its 30 s, or never answers
    for exc in (aiohttp.ConnectionTimeoutError(), aiohttp.SocketTimeoutError(), TimeoutError()):
        assert startup_failure(exc, settings) == (
            "Discord at http://127.0.0.1:9/api/v10 did not answer in time; check the network"
        )
    assert startup_failure(ValueError("a bug"), settings) is None  # keeps its traceback
    assert startup_failure(KeyError("x"), settings) is None


def test_check_config_unreadable_secret_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "pseudonym.secret").mkdir()  # there, but no file to read
    result = run_cli("check-config", env={"DATABASE_PATH": str(tmp_path / "x.db")}, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"configuration error: PSEUDONYM_SECRET: cannot read {tmp_path}")
