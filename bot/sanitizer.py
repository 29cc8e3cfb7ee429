"""Every piece of member text passes through :func:`sanitize` before it is stored or shown.

What comes out is Discord markdown that cannot ping anyone, cannot fake bot UI (headings,
masked links, command mentions), carries no invisible or direction-changing characters and no
zalgo stacks, and is NFC. Decisions worth knowing:

* Members write Discord markdown natively (``**bold**``), so their markdown is kept. Only the
  essay form's own tags (``<a href title> <abbr title> <acronym title> <b> <blockquote cite>
  <cite> <code> <del datetime> <em> <i> <q cite> <s> <strike> <strong>``, with those
  attributes only) are markup, rendered as the same markdown. Every other ``<…>`` is the
  member's text and comes through as typed: ``if a<b and c>d``, ``use <br> for breaks``,
  ``<script>`` (inert in Discord). A character reference is decoded only when complete (a
  known name or a number, and its semicolon): ``I &not agree`` and ``&copy 2024`` are text.
* What is neutralised is what could pass for the bot's own voice: headings and ``-#`` subtext
  lines are escaped with a backslash; a masked link of any shape (``[label](scheme:…)``, with
  titles, nested brackets or newlines in the label) becomes ``label (scheme:…)`` while a bare
  URL stays visible; mass mentions in any case (``@HERE``) and user, role and channel
  mentions get a full-width ``＠``/``＃``; command mentions ``</name:id>`` and guild links
  ``<id:…>`` get a full-width ``＜``, as does a ``<`` (decoded from ``&lt;``) that would open a
  tag of the form on a second pass.
* Invisible characters are removed: controls, format characters (bidi, zero-width, tag
  characters U+E0000–E007F outside flag sequences), the blank letters used to write empty
  names (Hangul fillers, braille blank, Khmer inherent vowels U+17B4/17B5, the Mongolian vowel
  separator), variation selectors that follow no emoji. Other-width spaces read as a space.
* ``&`` that would start a complete character reference becomes ``＆`` so that a second pass
  does not decode it again; with the full-width ``＜`` this makes ``sanitize`` idempotent.
* ``sanitize`` returns a fixed point: ``sanitize(sanitize(x)) == sanitize(x)`` for every ``x``
  (``bench/bench_sanitizer.py`` checks 1,000,000 generated inputs).

Grapheme clusters and the emoji properties come from the ``regex`` module, which implements
UAX #29 and ``Extended_Pictographic`` from the Unicode tables (``unicodedata`` has neither).
"""

from __future__ import annotations

import html
import html.entities
import re
import unicodedata
from html.parser import HTMLParser

import nh3
import regex

__all__ = ["MAX_MARKS_PER_BASE", "sanitize"]

MAX_MARKS_PER_BASE = 2

_ALLOWED_TAGS = {
    "a",
    "abbr",
    "acronym",
    "b",
    "blockquote",
    "cite",
    "code",
    "del",
    "em",
    "i",
    "q",
    "s",
    "strike",
    "strong",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "acronym": {"title"},
    "blockquote": {"cite"},
    "del": {"datetime"},
    "q": {"cite"},
}

_TAG_NAMES = "|".join(sorted(_ALLOWED_TAGS, key=len, reverse=True))
_ATTRIBUTE = r"""\s+([A-Za-z][\w-]*)(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=`]+))?"""
# A tag of the essay form, with only its own attributes, is markup; any other ``<`` is text.
_TAG = regex.compile(r"<(/?)(" + _TAG_NAMES + r")((?:" + _ATTRIBUTE + r")*)\s*/?>", flags=regex.I)
_ATTRIBUTE_NAME = regex.compile(_ATTRIBUTE)
# Discord syntax that fakes the bot's UI: slash-command mentions and guild navigation links.
_COMMAND_MENTION = regex.compile(r"<(?=/[\w-]+(?: [\w-]+){0,2}:\d+>|id:\w+>)")
# A character reference is decoded only when it is complete: a known name or a number, and
# its semicolon. "&not agree", "&copy 2024", "AT&T" and "&foo;" are the member's text.
_CHAR_REF = regex.compile(r"&(?:#[0-9]{1,8};|#[xX][0-9a-fA-F]{1,7};|([A-Za-z][A-Za-z0-9]{0,31});)")
_AMPERSAND = regex.compile(r"&")

_SURROGATES = regex.compile(r"[\ud800-\udfff]")
_NEWLINES = regex.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
# Keep-sequences first (emoji ZWJ sequences, flag tag sequences), then what is removed:
# controls but \n, format characters (bidi, zero-width, tag characters U+E0000-E007F), the
# grapheme joiner, the blank "letters" used to write invisible text (Hangul fillers, braille
# blank, Khmer inherent vowels U+17B4/17B5, Mongolian vowel separator), variation selectors
# that follow no emoji, and the ideographic variation selectors.
_INVISIBLE = regex.compile(
    r"(\p{Extended_Pictographic}[\p{Emoji_Modifier}\uFE0F\u20E3]*"
    r"(?:\u200D\p{Extended_Pictographic}[\p{Emoji_Modifier}\uFE0F\u20E3]*)+)"
    r"|(\U0001F3F4[\U000E0020-\U000E007E]+\U000E007F)"
    r"|[[\p{Cc}\p{Cf}\u034F\u115F\u1160\u3164\uFFA0\u2800\u17B4\u17B5\u180E"
    r"\uFE00-\uFE0D\U000E0100-\U000E01EF]--[\n]]"
    r"|(?<![\p{Emoji}\u20E3])[\uFE0E\uFE0F]",
    flags=regex.V1,
)
# Spaces of other widths (no-break, en, em, ideographic ...) are read as a plain space, so
# that a blank in a name or a word looks like what it is.
_SPACES = regex.compile(r"[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]")
_ZALGO = regex.compile(r"(\p{M}{" + str(MAX_MARKS_PER_BASE) + r"})\p{M}+")

# The opening of a masked link's target: any scheme ("http:", "t:"), "//" or "www.".
_LINK_TARGET = regex.compile(r"\]\(\s*<?\s*(?:[A-Za-z][A-Za-z0-9+.\-]*:|//|www\.)")
_LINK_TARGET_OPEN = regex.compile(r"\](?=\(\s*<?\s*(?:[A-Za-z][A-Za-z0-9+.\-]*:|//|www\.))")
_EVERYONE = regex.compile(r"@((?i:everyone|here))")
_USER_MENTION = regex.compile(r"<@([!&]?\d+)>")
_CHANNEL_MENTION = regex.compile(r"<#(\d+)>")
_HEADING = regex.compile(r"^([ \t]*(?:>>> |> )?[ \t]*)(#{1,3} |-# )", flags=regex.M)
_MANY_NEWLINES = regex.compile(r"\n{3,}")
_GRAPHEME = regex.compile(r"\X")


def _is_markup(match: regex.Match[str]) -> bool:
    """A tag of the essay form with only that tag's attributes (a closing tag has none)."""
    closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
    if not attributes:
        return True
    allowed = _ALLOWED_ATTRIBUTES.get(name, set())
    names = [m.group(1).lower() for m in _ATTRIBUTE_NAME.finditer(attributes)]
    return not closing and all(n in allowed for n in names)


def _known_ref(match: regex.Match[str]) -> bool:
    name = match.group(1)
    return name is None or f"{name};" in html.entities.html5


class _MarkdownRenderer(HTMLParser):
    """Turns nh3's cleaned HTML (allowed tags only, balanced) into Discord markdown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._stack: list[tuple[str, dict[str, str], list[str]]] = [("", {}, [])]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._stack.append((tag, {k: v or "" for k, v in attrs}, []))

    def handle_endtag(self, tag: str) -> None:
        if not any(frame[0] == tag for frame in self._stack[1:]):
            return
        while len(self._stack) > 1:
            name, attrs, parts = self._stack.pop()
            self._stack[-1][2].append(_render(name, attrs, "".join(parts)))
            if name == tag:
                return

    def handle_data(self, data: str) -> None:
        self._stack[-1][2].append(data)

    def result(self) -> str:
        self.close()
        while len(self._stack) > 1:
            self.handle_endtag(self._stack[-1][0])
        return "".join(self._stack[0][2])


def _render(tag: str, attrs: dict[str, str], inner: str) -> str:
    if tag == "a":
        href = attrs.get("href", "").strip()
        if not href.lower().startswith(("http://", "https://")):
            return inner
        if not inner.strip() or inner.strip() == href:
            return href
        return f"{inner} ({href})"
    if not inner.strip():
        return inner
    if tag in ("b", "strong"):
        return f"**{inner}**"
    if tag in ("i", "em"):
        return f"*{inner}*"
    if tag in ("s", "strike", "del"):
        return f"~~{inner}~~"
    if tag == "code":
        fence = "``" if "`" in inner else "`"
        return f"{fence}{inner}{fence}"
    if tag == "q":
        return f"“{inner}”"
    if tag == "blockquote":
        quoted = "\n".join(f"> {line}" for line in inner.strip("\n").split("\n"))
        return f"\n{quoted}\n"
    return inner  # abbr, acronym, cite: the text is what matters


def _protect(text: str) -> str:
    """Escape every ``<`` that does not open a tag of the form and every ``&`` that does not
    start a complete character reference, so the HTML parser reads them as text."""
    out: list[str] = []
    pos = 0
    for match in _TAG.finditer(text):
        if _is_markup(match):
            out.append(text[pos : match.start()].replace("<", "&lt;"))
            out.append(match.group(0))
            pos = match.end()
    out.append(text[pos:].replace("<", "&lt;"))
    text = "".join(out)
    if "&" not in text:
        return text
    refs = {m.start() for m in _CHAR_REF.finditer(text) if _known_ref(m)}
    return _AMPERSAND.sub(lambda m: "&" if m.start() in refs else "&amp;", text)


def _html_to_markdown(text: str) -> str:
    if "<" not in text and "&" not in text:
        return text
    cleaned = nh3.clean(
        _protect(text),
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel=None,
        strip_comments=True,
    )
    renderer = _MarkdownRenderer()
    renderer.feed(cleaned)
    return renderer.result()


def _keep_sequence(match: regex.Match[str]) -> str:
    return match.group(1) or match.group(2) or ""


def _unicode(text: str) -> str:
    text = _INVISIBLE.sub(_keep_sequence, text)
    text = _SPACES.sub(" ", text)
    text = unicodedata.normalize("NFC", text)
    if _ZALGO.search(text):
        text = unicodedata.normalize("NFC", _ZALGO.sub(r"\1", text))
    return text


def _unmask_links(text: str) -> str:
    """``[label](scheme:...)`` of any shape becomes ``label (scheme:...)``: the label's
    brackets (matched, nested or across lines) go, so no disguised click is left. One linear
    pass with a stack of open brackets; repeated while a pass leaves a new ``](`` behind
    (adversarial input), and whatever is left after that is split as ``] (``."""
    for _ in range(8):
        if _LINK_TARGET.search(text) is None:
            return text
        text = _unmask_pass(text)
    return _LINK_TARGET_OPEN.sub("] (", text)


def _unmask_pass(text: str) -> str:
    out: list[str] = []
    opened: list[int] = []  # indexes in ``out`` of "[" not closed yet
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        if char == "[":
            opened.append(len(out))
            out.append(char)
        elif char == "]":
            if text.startswith("](", i) and _LINK_TARGET.match(text, i):
                if opened:
                    out[opened.pop()] = ""
                    out.append(" (")
                else:
                    out.append("] (")
                i += 2
                continue
            if opened:
                opened.pop()
            out.append(char)
        else:
            out.append(char)
        i += 1
    return "".join(out)


def _escape_markup(text: str) -> str:
    """A ``<`` that would open a tag of the form on a second pass (it was decoded from
    ``&lt;``) becomes the full-width ``＜``; likewise Discord command mentions."""
    out: list[str] = []
    pos = 0
    for match in _TAG.finditer(text):
        if _is_markup(match):
            out.append(text[pos : match.start()] + "＜")
            pos = match.start() + 1
    out.append(text[pos:])
    return _COMMAND_MENTION.sub("＜", "".join(out))


def _escape_ref(match: regex.Match[str]) -> str:
    return "＆" + match.group(0)[1:] if _known_ref(match) else match.group(0)


def _discord(text: str) -> str:
    if "](" in text:
        text = _unmask_links(text)
    if "@" in text:
        text = _EVERYONE.sub(r"＠\1", text)
        text = _USER_MENTION.sub(r"<＠\1>", text)
    if "#" in text:
        text = _CHANNEL_MENTION.sub(r"<＃\1>", text)
        text = _HEADING.sub(r"\1\\\2", text)
    if "<" in text:
        text = _escape_markup(text)
    if "&" in text:
        text = _CHAR_REF.sub(_escape_ref, text)
    return text


# Text made only of letters, digits, spaces and everyday punctuation needs nothing but NFC and
# a strip: one C-level match settles most replies (Hangul fillers are letters, so they are
# taken out of the set).
_PLAIN = regex.compile(
    r"[[\p{L}\p{N} .,!?;:'\"()\-–—…«»“”„’%/+=]--[\u115F\u1160\u3164\uFFA0]]*", flags=regex.V1
)
# The same set as its complement in the standard library's ``re``, whose ``search`` is several
# times faster than ``regex.fullmatch`` (``\w`` is str.isalnum() plus "_"). Its Unicode tables
# may be older than regex's: a letter it does not know yet only takes the full path
# (tests/unit/test_sanitizer_fast_path.py checks every code point).
_NOT_PLAIN = re.compile(r"[^\w .,!?;:'\"()\-–—…«»“”„’%/+=]|[_\u115F\u1160\u3164\uFFA0]")


def _core(text: str) -> str:
    if _NOT_PLAIN.search(text) is None and unicodedata.is_normalized("NFC", text):
        return text.strip()
    text = _SURROGATES.sub("", text)
    text = _NEWLINES.sub("\n", text).replace("\t", " ")
    text = _html_to_markdown(text)
    text = _unicode(text)
    text = _discord(text)
    text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()


def cut_graphemes(text: str, limit: int) -> str:
    """The longest prefix of whole grapheme clusters that fits in ``limit`` code points."""
    if len(text) <= limit:
        return text
    if limit <= 0:
        return ""
    end = 0
    for match in _GRAPHEME.finditer(text, 0, min(len(text), limit + 64)):
        if match.end() > limit:
            break
        end = match.end()
    return text[:end]


def sanitize(text: str, *, limit: int | None = None) -> str:
    """Clean member text for storage and display; see the module docstring for the rules.

    ``limit`` caps the length in code points (Discord counts them) on a grapheme boundary.
    """
    out = _core(text)
    if out == text and (limit is None or len(out) <= limit):
        return out
    for _ in range(4):
        if limit is not None:
            out = cut_graphemes(out, limit).rstrip()
        again = _core(out)
        if again == out:
            return out
        out = again
    # Not reached in 70,000 generated examples; if it ever is, at least respect the limit.
    return out if limit is None else cut_graphemes(out, limit)
