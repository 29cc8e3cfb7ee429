"""Gateway v10 over a websocket: HELLO, IDENTIFY/READY, RESUME with replay, heartbeats,
zlib-stream compression and intent filtering of dispatched events."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from sandbox.state import DiscordState

log = logging.getLogger(__name__)

DISPATCH, HEARTBEAT, IDENTIFY, RESUME, RECONNECT, REQUEST_MEMBERS = 0, 1, 2, 6, 7, 8
INVALID_SESSION, HELLO, HEARTBEAT_ACK = 9, 10, 11

GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_MESSAGES = 1 << 9
GUILD_MESSAGE_REACTIONS = 1 << 10
DIRECT_MESSAGES = 1 << 12
DIRECT_MESSAGE_REACTIONS = 1 << 13
MESSAGE_CONTENT = 1 << 15

HEARTBEAT_INTERVAL_MS = 41250


@dataclass
class Session:
    id: str
    intents: int
    seq: int = 0
    sent: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # kept for RESUME
    connection: Connection | None = None
    shard: tuple[int, int] = (0, 1)  # (shard id, shard count) from IDENTIFY

    def sees_guild(self, guild_id: int | None) -> bool:
        """Discord's routing: a guild's events go to shard (id >> 22) % count; DMs to 0."""
        shard_id, count = self.shard
        if guild_id is None:
            return shard_id == 0
        return (guild_id >> 22) % count == shard_id


def _guild_of(event: str, data: dict[str, Any]) -> int | None:
    if event in ("GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE"):
        return int(data["id"])
    raw = data.get("guild_id")
    return None if raw is None else int(raw)


class Connection:
    """One websocket; compresses with its own zlib stream when the client asked for it."""

    def __init__(self, ws: web.WebSocketResponse, compress: bool) -> None:
        self.ws = ws
        self._compressor = zlib.compressobj() if compress else None
        self.compressed = compress
        self._lock = asyncio.Lock()

    async def send(self, payload: dict[str, Any]) -> None:
        text = json.dumps(payload, separators=(",", ":"))
        async with self._lock:
            if self.ws.closed:
                return
            if self._compressor is None:
                await self.ws.send_str(text)
            else:
                data = self._compressor.compress(text.encode()) + self._compressor.flush(
                    zlib.Z_SYNC_FLUSH
                )
                await self.ws.send_bytes(data)


EventFilter = Callable[[Session, str, dict[str, Any]], dict[str, Any] | None]


class Gateway:
    def __init__(self, state: DiscordState) -> None:
        self.state = state
        self.sessions: dict[str, Session] = {}
        self.identify_count = 0
        self.resume_count = 0
        self.open = asyncio.Event()
        self.open.set()
        self._connections: set[web.WebSocketResponse] = set()
        self.connected = asyncio.Event()
        self.compression: list[bool] = []  # per accepted connection: zlib-stream or not

    # -- connection handling -----------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        self._connections.add(ws)
        try:
            await self.open.wait()  # tests may hold new connections while "offline"
            conn = Connection(ws, request.query.get("compress") == "zlib-stream")
            self.compression.append(conn.compressed)
            await conn.send(
                {"op": HELLO, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}, "s": None}
            )
            session: Session | None = None
            async for msg in ws:
                if msg.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                    break
                frame = json.loads(msg.data)
                op, data = frame.get("op"), frame.get("d")
                if op == HEARTBEAT:
                    await conn.send({"op": HEARTBEAT_ACK, "d": None, "s": None})
                elif op == IDENTIFY:
                    session = await self._identify(conn, data)
                    if session is None:
                        break
                elif op == RESUME:
                    session = await self._resume(conn, data)
                    if session is None:
                        break
                elif op == REQUEST_MEMBERS:
                    await self._member_chunk(conn, session, data)
            if session is not None and session.connection is conn:
                session.connection = None
                if ws.close_code in (1000, 1001):  # the client ended its session
                    self.sessions.pop(session.id, None)
                self._update_connected()
        finally:
            self._connections.discard(ws)
        return ws

    async def _identify(self, conn: Connection, data: dict[str, Any]) -> Session | None:
        if data.get("token") != self.state.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return None
        self.identify_count += 1
        session = Session(id=secrets.token_hex(16), intents=int(data.get("intents", 0)))
        raw_shard = data.get("shard")
        if isinstance(raw_shard, list) and len(raw_shard) == 2:
            session.shard = (int(raw_shard[0]), int(raw_shard[1]))
        guilds = [g for g in self.state.guilds.values() if session.sees_guild(g.id)]
        self.sessions[session.id] = session
        session.connection = conn
        self._update_connected()
        ready = {
            "v": 10,
            "user": self.state.user_payload(self.state.bot_user),
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "resume_gateway_url": self.state.gateway_url,
            "shard": list(session.shard),
            "application": {"id": str(self.state.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "user_settings": {},
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "auth": {},
        }
        await self._send_event(session, "READY", ready)
        for guild in guilds:
            await self._send_event(session, "GUILD_CREATE", self.state.guild_create_payload(guild))
        return session

    async def _resume(self, conn: Connection, data: dict[str, Any]) -> Session | None:
        session = self.sessions.get(str(data.get("session_id")))
        if data.get("token") != self.state.token or session is None:
            await conn.send({"op": INVALID_SESSION, "d": False, "s": None})
            return None
        self.resume_count += 1
        old = session.connection
        session.connection = conn
        if old is not None and old is not conn:
            await old.ws.close(code=4000)
        last = int(data.get("seq") or 0)
        for seq, frame in list(session.sent):
            if seq > last:
                await conn.send(frame)
        await self._send_event(session, "RESUMED", {})
        self._update_connected()
        return session

    async def _member_chunk(
        self, conn: Connection, session: Session | None, data: dict[str, Any]
    ) -> None:
        if session is None:
            return
        guild = self.state.guilds.get(int(data.get("guild_id", 0)))
        if guild is None:
            return
        payload = {
            "guild_id": str(guild.id),
            "members": [self.state.member_payload(m) for m in guild.members.values()],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
            "nonce": data.get("nonce"),
        }
        await self._send_event(session, "GUILD_MEMBERS_CHUNK", payload)

    def _update_connected(self) -> None:
        if any(s.connection is not None for s in self.sessions.values()):
            self.connected.set()
        else:
            self.connected.clear()

    # -- dispatch ------------------------------------------------------------------------------

    async def _send_event(self, session: Session, event: str, data: dict[str, Any]) -> None:
        session.seq += 1
        frame = {"op": DISPATCH, "t": event, "s": session.seq, "d": data}
        session.sent.append((session.seq, frame))
        if len(session.sent) > 5000:
            del session.sent[:1000]
        if session.connection is not None:
            try:
                await session.connection.send(frame)
            except ConnectionError:
                session.connection = None

    async def dispatch(self, event: str, data: dict[str, Any], intent: int = 0) -> None:
        """Send an event to every session whose intents allow it (buffered while offline)."""
        guild_id = _guild_of(event, data)
        for session in list(self.sessions.values()):
            if intent and not session.intents & intent:
                continue
            if not session.sees_guild(guild_id):
                continue
            shaped = self._shape_for(session, event, data)
            await self._send_event(session, event, shaped)

    def _shape_for(self, session: Session, event: str, data: dict[str, Any]) -> dict[str, Any]:
        if event not in ("MESSAGE_CREATE", "MESSAGE_UPDATE") or session.intents & MESSAGE_CONTENT:
            return data
        bot_id = str(self.state.bot_user.id)
        mentioned = any(str(u.get("id")) == bot_id for u in data.get("mentions", []))
        own = str(data.get("author", {}).get("id")) == bot_id
        if mentioned or own or "guild_id" not in data:
            return data
        return {**data, "content": "", "embeds": [], "attachments": [], "components": []}

    # -- test controls -------------------------------------------------------------------------

    async def drop(self, code: int = 4000) -> None:
        """Close every live connection without ending the sessions (clients RESUME)."""
        for session in self.sessions.values():
            conn = session.connection
            session.connection = None
            if conn is not None:
                await conn.ws.close(code=code, message=b"dropped by the emulator")
        self._update_connected()

    async def close(self) -> None:
        self.open.set()
        for ws in list(self._connections):
            await ws.close(code=1001, message=b"emulator shutting down")
        self.sessions.clear()
        self._update_connected()
