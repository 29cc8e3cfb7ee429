"""How an author is named to readers: the one place that decides it."""

from __future__ import annotations

from bot.dialogue.models import Anonymity, Reply
from bot.i18n import SOURCE, translate


def author_label(reply: Reply, anonymity: Anonymity, lang: str = SOURCE) -> str:
    """ "Participant N · community", or "display name · community" when the server publishes
    names *and* the reply was written while it did (``author_name`` is stored only then).

    A reply written under pseudonyms is never named later, and a server that switches to
    pseudonyms stops naming the replies written before.
    """
    who = translate("label.participant", lang, number=reply.participant_number or "?")
    if anonymity is Anonymity.OFF and reply.author_name:
        who = reply.author_name
    return f"{who} · {reply.community_label}"


def pseudonymous_label(reply: Reply, lang: str = SOURCE) -> str:
    """The label for anything that leaves Discord (digests, quotes): never a name."""
    return author_label(reply, Anonymity.PSEUDONYMS, lang)
