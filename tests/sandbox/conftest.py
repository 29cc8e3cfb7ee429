"""Emulator self-tests without a bot: raw HTTP as the bot token, scripted members."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from sandbox.emulator import Emulator
from sandbox.world import World, build_world


class Api:
    """Raw REST calls to the emulator, as a bot would make them."""

    def __init__(self, emu: Emulator, session: aiohttp.ClientSession) -> None:
        self.emu = emu
        self.session = session
        self.last_headers: dict[str, str] = {}

    async def __call__(
        self, method: str, path: str, json: Any = None, *, reason: str | None = None
    ) -> tuple[int, Any]:
        headers = {"Authorization": f"Bot {self.emu.token}"}
        if reason:
            headers["X-Audit-Log-Reason"] = reason
        async with self.session.request(
            method, self.emu.api_base + path, json=json, headers=headers
        ) as resp:
            self.last_headers = dict(resp.headers)
            body = await resp.json() if resp.status != 204 else None
            return resp.status, body


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator() as emulator:
        yield emulator


@pytest.fixture
async def world(emu: Emulator) -> World:
    return await build_world(emu)


@pytest.fixture
async def api(emu: Emulator) -> AsyncIterator[Api]:
    async with aiohttp.ClientSession() as session:
        yield Api(emu, session)
