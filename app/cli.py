"""``tracktwo`` command line: run, migrate, check-config, invite, prompts, sandbox."""

from __future__ import annotations

import argparse
import asyncio
import base64
import binascii
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import __version__
from bot.bridging.cli import add_parser as add_bridging_parser
from bot.privacy import SECRET_FILE, read_secret, secret_fingerprint, secret_mismatch
from bot.settings import Settings, SettingsError, configure_logging, load_settings
from bot.storage import (
    Database,
    MigrationError,
    StorageError,
    migrate,
    open_database,
    pending_migrations,
)
from bot.storage.engine import POSTGRESQL, Storage
from bot.storage.migrations import load_migrations
from bot.storage.state import StateStore

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


async def _read_state(db: Storage) -> tuple[list[str], str | None]:
    """The migrations run would apply and the recorded secret fingerprint, read only."""
    return await pending_migrations(db), await StateStore(db).secret_fingerprint()


async def _inspect(settings: Settings) -> tuple[list[str], list[str]]:
    """What ``run`` would find and do, read without writing: (facts, problems)."""
    facts: list[str] = []
    problems: list[str] = []
    if not settings.has_token:
        facts.append("token: not set (run starts the offline sandbox)")
    elif (client_id := client_id_from_token(settings.discord_token)) is not None:
        facts.append(f"token: set, for the application {client_id} (not checked with Discord)")
    else:
        facts.append("token: set (not checked with Discord)")
    data_dir = settings.data_dir
    try:
        secret = read_secret(settings.pseudonym_secret, data_dir)
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"PSEUDONYM_SECRET: cannot read {data_dir / SECRET_FILE} ({exc})")
        return facts, problems
    if settings.pseudonym_secret:
        facts.append("pseudonym secret: from PSEUDONYM_SECRET")
    elif secret is not None:
        facts.append(f"pseudonym secret: from {data_dir / SECRET_FILE}")
    else:
        facts.append(f"pseudonym secret: none yet; run would generate {data_dir / SECRET_FILE}")
    try:
        if settings.database.dialect == POSTGRESQL:
            where = settings.database.redacted
            async with open_database(settings.database) as server:
                pending, stored = await _read_state(server)
        else:
            path = settings.database_path
            where = str(path)
            if not path.is_file():
                count = len(load_migrations())
                problems.append(
                    f"DATABASE_PATH: there is no database at {path}; tracktwo run would create "
                    f"a new, empty one there and apply {count} migrations (right for a first "
                    "run; if you meant an existing database, the path is wrong)"
                )
                return facts, problems
            async with Database(path, read_only=True) as db:
                pending, stored = await _read_state(db)
    except (StorageError, MigrationError) as exc:
        problems.append(str(exc))
        return facts, problems
    facts.append(
        f"database: {where}; "
        + (
            f"run would apply {len(pending)} migration(s): {', '.join(pending)}"
            if pending
            else "its schema is up to date"
        )
    )
    if stored is None:
        facts.append("secret check: not recorded yet; run records this secret's fingerprint")
    elif secret is None or secret_fingerprint(secret) != stored:
        problems.append(str(secret_mismatch(data_dir)))
    else:
        facts.append("secret check: the secret is the one this database was first run with")
    return facts, problems


def cmd_check_config(_: argparse.Namespace) -> int:
    try:
        settings = load_settings()
    except SettingsError as exc:
        for problem in exc.problems:
            print(f"configuration error: {problem}", file=sys.stderr)
        return 1
    facts, problems = asyncio.run(_inspect(settings))
    for fact in facts:
        print(fact)
    for problem in problems:
        print(f"configuration error: {problem}", file=sys.stderr)
    if problems:
        return 1
    print("configuration ok")
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
    from app.startup import run_bot, startup_failure

    try:
        asyncio.run(run_bot(settings))
    except KeyboardInterrupt:
        pass
    except Exception as exc:
        reason = startup_failure(exc, settings)
        if reason is None:
            raise
        print(f"error: {reason}", file=sys.stderr)
        return 1
    return 0


def client_id_from_token(token: str | None) -> int | None:
    """A bot token's first part is the bot's user id in base64, which is its application's
    client id; None when the token does not have that shape."""
    if not token:
        return None
    head = token.split(".", 1)[0]
    try:
        decoded = base64.b64decode(head + "=" * (-len(head) % 4), validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return int(decoded) if decoded.isdigit() else None


def cmd_invite(args: argparse.Namespace) -> int:
    from cogs._permissions import BOT_PERMISSIONS, invite_url

    client_id = args.client_id
    if client_id is None:
        try:
            settings = load_settings()
        except SettingsError:
            settings = None
        client_id = client_id_from_token(settings.discord_token if settings else None)
    if client_id is None:
        print(
            "error: no client id: pass --client-id ID (the Application ID on the General "
            "Information page of your application at https://discord.com/developers/"
            "applications), or set DISCORD_TOKEN",
            file=sys.stderr,
        )
        return 1
    print(invite_url(client_id))
    if args.explain:
        for need in BOT_PERMISSIONS:
            print(f"  {need.name}: {need.used_for}")
    return 0


def cmd_sandbox(args: argparse.Namespace) -> int:
    try:
        from sandbox.demo import main as sandbox_main
    except ImportError as exc:
        print(f"the offline sandbox is not available in this installation ({exc})", file=sys.stderr)
        return 1
    from app.startup import sandbox_bot

    return sandbox_main(sandbox_bot, serve=getattr(args, "serve", False))


def _client_id(raw: str) -> int:
    if not (raw.isdigit() and 15 <= len(raw) <= 20):
        raise argparse.ArgumentTypeError("a client id is a number of 17 to 20 digits")
    return int(raw)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tracktwo",
        description="Track Two, a Discord bot for structured dialogue between communities "
        "in conflict. Settings come from the environment and ./.env (see the README).",
        epilog="Run `tracktwo COMMAND --help` for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"tracktwo {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    def command(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=summary, description=description)

    command(
        "run",
        "run the bot (the offline sandbox when no token is set)",
        "Connect to Discord with DISCORD_TOKEN and run until Ctrl-C or SIGTERM. On start the "
        "database is created if needed and its migrations applied. Without a token, the offline "
        "sandbox runs instead. A rejected token, unreachable Discord or a pseudonym secret that "
        "does not match the database ends it with one line and exit code 1.",
    ).set_defaults(func=cmd_run)
    command(
        "migrate",
        "apply pending database migrations",
        "Create the database at DATABASE_PATH if needed and apply the migrations it lacks.",
    ).set_defaults(func=cmd_migrate)
    command(
        "check-config",
        "check settings, database and secret without changing anything",
        "Check the settings, open the database read-only, list the migrations run would apply "
        "and check the pseudonym secret against the database. Writes nothing and does not "
        "contact Discord. Exit 0 when run would start, 1 with one line per reason.",
    ).set_defaults(func=cmd_check_config)
    invite = command(
        "invite",
        "print the URL that adds the bot to a server",
        "Print the OAuth2 URL that invites the bot with the scopes bot and "
        "applications.commands and exactly the permissions its features use.",
    )
    invite.add_argument(
        "--client-id",
        type=_client_id,
        default=None,
        help="the application's id (default: read from DISCORD_TOKEN)",
    )
    invite.add_argument(
        "--explain", action="store_true", help="also list each permission and what it is for"
    )
    invite.set_defaults(func=cmd_invite)
    copy = command(
        "copy-database",
        "copy every row (or one server's) between databases, e.g. SQLite to PostgreSQL",
        "Copy the data of a database into a new, empty one (SQLite or PostgreSQL, either way), "
        "in one transaction, and verify every table row by row (counts and SHA-256).",
    )
    copy.add_argument("source", help="DATABASE_URL to copy from (sqlite:///… or postgresql://…)")
    copy.add_argument("target", help="DATABASE_URL of a new, empty database to copy into")
    copy.add_argument("--guild", type=int, default=None, help="copy only this server's data")
    copy.set_defaults(func=cmd_copy_database)
    prompts = command("prompts", "manage prompt packs", "Manage the prompt packs.")
    prompts_sub = prompts.add_subparsers(
        dest="prompts_command", required=True, metavar="COMMAND", title="commands"
    )
    importer = prompts_sub.add_parser(
        "import",
        help="import a UTF-8 .md or .txt file as a pack available to every server",
        description="Import a UTF-8 .md or .txt file as a prompt pack available to every "
        "server; excerpts already stored are skipped.",
    )
    importer.add_argument("file", type=Path, help="the text; blank lines separate paragraphs")
    importer.add_argument("--title", required=True, help="the text's title")
    importer.add_argument("--author", required=True, help="the text's author")
    importer.add_argument("--link", default=None, help="where the text can be read")
    importer.set_defaults(func=cmd_prompts_import)
    sandbox = command(
        "sandbox",
        "run the bot against a local Discord emulator",
        "Start a local emulation of Discord on 127.0.0.1, run the real bot against it, play a "
        "scripted round and print what members would see. Uses a temporary database unless "
        "SANDBOX_DATABASE is set.",
    )
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
        # `tracktwo` alone asks what it can do, as `pip` or `docker` alone do: help, exit 0.
        parser.print_help()
        return 0
    result: int = args.func(args)
    return result
