"""``tracktwo`` command line: run, migrate, check-config, sandbox, --version."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import __version__
from bot.bridging.cli import add_parser as add_bridging_parser
from bot.settings import Settings, SettingsError, configure_logging, load_settings
from bot.storage import MigrationError, StorageError, migrate, open_database

NO_TOKEN_HELP = (
    "No DISCORD_TOKEN is configured. To run against real Discord, create an application at "
    "https://discord.com/developers/applications, copy its bot token into .env "
    "(see .env.example and the README). Starting the offline sandbox instead."
)


def _load() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        for problem in exc.problems:
            print(f"configuration error: {problem}", file=sys.stderr)
        raise SystemExit(1) from None


async def _migrate(settings: Settings) -> list[str]:
    async with open_database(settings.database) as db:
        return await migrate(db)


def cmd_migrate(_: argparse.Namespace) -> int:
    settings = _load()
    try:
        applied = asyncio.run(_migrate(settings))
    except (StorageError, MigrationError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"applied {len(applied)} migration(s)" + (f": {', '.join(applied)}" if applied else ""))
    return 0


def cmd_check_config(_: argparse.Namespace) -> int:
    try:
        settings = load_settings()
    except SettingsError as exc:
        for problem in exc.problems:
            print(f"configuration error: {problem}", file=sys.stderr)
        return 1
    try:
        applied = asyncio.run(_migrate(settings))
    except (StorageError, MigrationError) as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 1
    token = "set" if settings.has_token else "not set (make run starts the offline sandbox)"
    print(
        f"configuration ok: token {token}; database {settings.database.redacted}"
        + (f" (applied {len(applied)} migration(s))" if applied else "")
    )
    return 0


async def _import_prompts(settings: Settings, args: argparse.Namespace) -> str:
    from app.services import build_services

    async with open_database(settings.database) as db:
        await migrate(db)
        services = build_services(settings, db)
        await services.packs.seed_builtin()
        result = await services.packs.import_text(
            None, args.file.read_bytes(), args.title, args.author, args.link
        )
    return (
        f"imported “{result.pack.title}” by {result.pack.author}: {result.added} new excerpts, "
        f"{result.skipped} already stored (pack id {result.pack.id})"
    )


def cmd_prompts_import(args: argparse.Namespace) -> int:
    from bot.errors import UserFacingError

    settings = _load()
    if not args.file.is_file():
        print(f"error: {args.file} is not a file", file=sys.stderr)
        return 1
    try:
        print(asyncio.run(_import_prompts(settings, args)))
    except UserFacingError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    except (StorageError, MigrationError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_copy_database(args: argparse.Namespace) -> int:
    from bot.storage.copy import CopyError, copy_database
    from bot.storage.engine import DatabaseUrlError, parse_database_url

    async def run() -> list[str]:
        source, target = parse_database_url(args.source), parse_database_url(args.target)
        async with open_database(source) as src, open_database(target) as dst:
            reports = await copy_database(src, dst, args.guild)
        return [f"{r.table}: {r.rows} rows, sha256 {r.checksum[:16]}" for r in reports]

    try:
        lines = asyncio.run(run())
    except (DatabaseUrlError, CopyError, StorageError, MigrationError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    print(f"copied and verified {len(lines)} table(s), row by row")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    settings = _load()
    if not settings.has_token:
        print(NO_TOKEN_HELP, file=sys.stderr)
        return cmd_sandbox(args)
    configure_logging(settings)
    from app.startup import run_bot

    try:
        asyncio.run(run_bot(settings))
    except (StorageError, MigrationError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


def cmd_sandbox(args: argparse.Namespace) -> int:
    try:
        from sandbox.demo import main as sandbox_main
    except ImportError as exc:
        print(f"the offline sandbox is not available in this installation ({exc})", file=sys.stderr)
        return 1
    from app.startup import sandbox_bot

    return sandbox_main(sandbox_bot, serve=getattr(args, "serve", False))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tracktwo", description=__doc__)
    parser.add_argument("--version", action="version", version=f"tracktwo {__version__}")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser(
        "run", help="run the bot (the offline sandbox when no token is set)"
    ).set_defaults(func=cmd_run)
    copy = sub.add_parser(
        "copy-database",
        help="copy every row (or one server's) between databases, e.g. SQLite to PostgreSQL",
    )
    copy.add_argument("source", help="DATABASE_URL to copy from (sqlite:///… or postgresql://…)")
    copy.add_argument("target", help="DATABASE_URL of a new, empty database to copy into")
    copy.add_argument("--guild", type=int, default=None, help="copy only this server's data")
    copy.set_defaults(func=cmd_copy_database)
    sub.add_parser("migrate", help="apply pending database migrations").set_defaults(
        func=cmd_migrate
    )
    sub.add_parser(
        "check-config", help="validate settings and open the database without contacting Discord"
    ).set_defaults(func=cmd_check_config)
    prompts = sub.add_parser("prompts", help="manage prompt packs")
    prompts_sub = prompts.add_subparsers(dest="prompts_command", required=True)
    importer = prompts_sub.add_parser(
        "import", help="import a UTF-8 .md or .txt file as a pack available to every server"
    )
    importer.add_argument("file", type=Path, help="the text; blank lines separate paragraphs")
    importer.add_argument("--title", required=True, help="the text's title")
    importer.add_argument("--author", required=True, help="the text's author")
    importer.add_argument("--link", default=None, help="where the text can be read")
    importer.set_defaults(func=cmd_prompts_import)
    sandbox = sub.add_parser("sandbox", help="run the bot against a local Discord emulator")
    sandbox.add_argument(
        "--serve", action="store_true", help="keep the emulator running for any bot"
    )
    sandbox.set_defaults(func=cmd_sandbox)
    add_bridging_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        args = parser.parse_args(["run", *(argv or [])])
    result: int = args.func(args)
    return result
