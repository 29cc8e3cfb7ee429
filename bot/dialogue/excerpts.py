"""Splitting an attributed text into excerpts a facilitator would post.

Blank lines separate paragraphs; short paragraphs (headings, one-line transitions) join the
next; long ones are cut at sentence ends. Every excerpt stays within ``MAX_EXCERPT``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

MAX_EXCERPT = 1500
MIN_EXCERPT = 280
TARGET_EXCERPT = 1100
MAX_IMPORT_BYTES = 1_000_000

_SENTENCE_END = re.compile(r"(?<=[.!?…»”\"')\]])\s+(?=\S)")


class ExcerptError(ValueError):
    pass


def decode_upload(data: bytes) -> str:
    """Bytes of an uploaded .md/.txt file to text, or a clear error."""
    if not data.strip():
        raise ExcerptError("the file is empty")
    if len(data) > MAX_IMPORT_BYTES:
        raise ExcerptError("the file is larger than 1 MB")
    if b"\x00" in data:
        raise ExcerptError("the file looks binary, not text (.md or .txt)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExcerptError("the file is not UTF-8 text; save it as UTF-8 and try again") from exc
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t")
    if controls > max(8, len(text) // 100):
        raise ExcerptError("the file looks binary, not text (.md or .txt)")
    return text


def _split_long(paragraph: str) -> list[str]:
    sentences = _SENTENCE_END.split(paragraph)
    pieces: list[str] = []
    current = ""
    for whole in sentences:
        sentence = whole
        while len(sentence) > MAX_EXCERPT:  # one enormous "sentence": cut at a space
            cut = sentence.rfind(" ", 0, MAX_EXCERPT) or MAX_EXCERPT
            if cut <= 0:
                cut = MAX_EXCERPT
            head, sentence = sentence[:cut].rstrip(), sentence[cut:].lstrip()
            if current:
                pieces.append(current)
                current = ""
            pieces.append(head)
        candidate = f"{current} {sentence}".strip()
        if len(candidate) > TARGET_EXCERPT and current:
            pieces.append(current)
            current = sentence
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces


def split_excerpts(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\u00a0", " ")
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    paragraphs = [p for p in paragraphs if p]
    pieces: list[str] = []
    for paragraph in paragraphs:
        pieces.extend(_split_long(paragraph) if len(paragraph) > MAX_EXCERPT else [paragraph])
    excerpts: list[str] = []
    pending = ""
    for piece in pieces:
        candidate = f"{pending}\n\n{piece}" if pending else piece
        if len(candidate) > MAX_EXCERPT:
            excerpts.append(pending)
            pending = piece
        elif len(candidate) < MIN_EXCERPT:
            pending = candidate
        else:
            excerpts.append(candidate)
            pending = ""
    if pending:
        if excerpts and len(excerpts[-1]) + 2 + len(pending) <= MAX_EXCERPT:
            excerpts[-1] = f"{excerpts[-1]}\n\n{pending}"
        else:
            excerpts.append(pending)
    return excerpts


def text_hash(text: str) -> str:
    normal = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:60] or hashlib.sha256(title.encode("utf-8")).hexdigest()[:12]
