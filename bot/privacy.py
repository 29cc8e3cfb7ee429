"""Keyed pseudonyms: who wrote what is known to the bot, not to a copy of its database.

``author_key`` and ``voter_key`` are HMAC-SHA256 of the member *and the round*, so one
member's replies in two rounds carry unrelated keys. ``seal`` encrypts a user id with a
per-value random nonce (an HMAC keystream and an HMAC tag), so that moderators can reveal an
author, with a case, and the bot can tell an author about a decision.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

SECRET_FILE = "pseudonym.secret"


class SealError(ValueError):
    pass


class SecretMismatch(RuntimeError):
    """The pseudonym secret is not the one the database was first run with."""


def secret_mismatch(data_dir: Path) -> SecretMismatch:
    return SecretMismatch(
        "PSEUDONYM_SECRET: this is not the secret the database was first run with; under it "
        "no stored author, voter or reporter can be found again. Restore the original (from "
        f"your backup of PSEUDONYM_SECRET or {data_dir / SECRET_FILE}), or point DATABASE_PATH "
        "at a new database"
    )


FINGERPRINT_LABEL = b"tracktwo-secret-check"


def read_secret(configured: str | None, data_dir: Path) -> bytes | None:
    """The configured secret, else the one in the data folder, else None; writes nothing."""
    if configured:
        return configured.encode("utf-8")
    path = data_dir / SECRET_FILE
    if path.exists():
        return path.read_text(encoding="ascii").strip().encode("ascii")
    return None


def secret_fingerprint(secret: bytes) -> str:
    """A keyed fingerprint stored in the database: equal fingerprints mean the same secret,
    and the fingerprint tells nothing about the secret."""
    return hmac.new(secret, FINGERPRINT_LABEL, hashlib.sha256).hexdigest()


def load_or_create_secret(configured: str | None, data_dir: Path) -> bytes:
    """The configured secret, else the one in the data folder, else a new one written there
    readable by the owner only."""
    existing = read_secret(configured, data_dir)
    if existing is not None:
        return existing
    path = data_dir / SECRET_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value + "\n")
    return value.encode("ascii")


class Pseudonymizer:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < 32:
            raise ValueError("the pseudonym secret must be at least 32 bytes")
        self._secret = secret

    @property
    def fingerprint(self) -> str:
        return secret_fingerprint(self._secret)

    def _mac(self, *parts: object) -> bytes:
        message = "\x1f".join(str(p) for p in parts).encode("utf-8")
        return hmac.new(self._secret, message, hashlib.sha256).digest()

    def author_key(self, guild_id: int, round_id: int, user_id: int) -> str:
        return self._mac("author", guild_id, round_id, user_id).hex()

    def voter_key(self, guild_id: int, round_id: int, user_id: int) -> str:
        return self._mac("voter", guild_id, round_id, user_id).hex()

    def reporter_key(self, guild_id: int, user_id: int) -> str:
        return self._mac("reporter", guild_id, user_id).hex()

    def member_key(self, purpose: str, guild_id: int, user_id: int) -> str:
        """A keyed hash of the member for bookkeeping that must not hold the raw id (e.g. when
        they last asked for their data); ``purpose`` keeps the uses unlinkable."""
        return self._mac("member", purpose, guild_id, user_id).hex()

    def seal(self, user_id: int) -> str:
        nonce = secrets.token_bytes(12)
        pad = self._mac("seal", nonce.hex())[:8]
        body = bytes(a ^ b for a, b in zip(user_id.to_bytes(8, "big"), pad, strict=True))
        tag = self._mac("tag", nonce.hex(), body.hex())[:8]
        return base64.urlsafe_b64encode(nonce + body + tag).decode("ascii")

    def unseal(self, sealed: str) -> int:
        try:
            raw = base64.urlsafe_b64decode(sealed.encode("ascii"))
        except (ValueError, UnicodeEncodeError) as exc:
            raise SealError("not a sealed id") from exc
        if len(raw) != 28:
            raise SealError("not a sealed id")
        nonce, body, tag = raw[:12], raw[12:20], raw[20:]
        if not hmac.compare_digest(tag, self._mac("tag", nonce.hex(), body.hex())[:8]):
            raise SealError("sealed with another secret")
        pad = self._mac("seal", nonce.hex())[:8]
        return int.from_bytes(bytes(a ^ b for a, b in zip(body, pad, strict=True)), "big")
