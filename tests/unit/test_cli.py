from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from bot import __version__


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


def test_check_config_ok(tmp_path: Path) -> None:
    result = run_cli(
        "check-config", env={"DATABASE_PATH": str(tmp_path / "d" / "x.db")}, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "configuration ok" in result.stdout
    assert (tmp_path / "d" / "x.db").exists()


def test_check_config_unusable_database_path_is_one_clear_line(tmp_path: Path) -> None:
    result = run_cli("check-config", env={"DATABASE_PATH": "/proc/nope/x.db"}, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "DATABASE_PATH" in lines[0] and "/proc/nope" in lines[0]


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
