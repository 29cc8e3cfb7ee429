"""PostgreSQL for tests: a fresh schema on the server named by TEST_DATABASE_URL.

``scripts/pg-test-server`` (which ``make test`` and ``.ci/run`` use) starts a throwaway server
and sets the variable; without it the PostgreSQL half of the suite skips, saying why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import parse_qsl, urlencode, urlsplit

import asyncpg
import pytest

from bot.storage.postgres import PostgresDatabase

SKIP_REASON = (
    "PostgreSQL: TEST_DATABASE_URL is unset (make test or scripts/pg-test-server start a "
    "throwaway server when PostgreSQL's binaries are installed)"
)


def server_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not url:
        pytest.skip(SKIP_REASON)
    return url


def with_search_path(url: str, schema: str) -> str:
    """``url`` whose connections use ``schema`` (asyncpg passes unknown query parameters to
    the server as settings)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "search_path"]
    query.append(("search_path", schema))
    return parts._replace(query=urlencode(query)).geturl()


@asynccontextmanager
async def scratch_schema() -> AsyncIterator[str]:
    """A URL whose connections see a new, empty schema; dropped on exit."""
    url = server_url()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = await asyncpg.connect(url, timeout=10)
    try:
        await admin.execute(f"CREATE SCHEMA {schema}")
        try:
            yield with_search_path(url, schema)
        finally:
            await admin.execute(f"DROP SCHEMA {schema} CASCADE")
    finally:
        await admin.close(timeout=10)


@asynccontextmanager
async def scratch_postgres() -> AsyncIterator[PostgresDatabase]:
    """An open (not migrated) PostgreSQL database in a fresh schema."""
    async with scratch_schema() as url, PostgresDatabase(url) as db:
        yield db
