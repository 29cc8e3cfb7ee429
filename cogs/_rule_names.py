"""Civility rules and actions by their readable names, from the catalogs, for moderators:
"Dehumanizing language", "held for a moderator", never the raw ids (``dehumanization``,
``lexicon.dehumanization``, ``mention_spam``) the rules are stored under."""

from __future__ import annotations

from bot.civility import Action, Category, LinkPolicy
from bot.i18n import translate

RULE_KEYS: dict[str, str] = {
    Category.SLUR: "conversation.rule.slur",
    Category.DEHUMANIZATION: "conversation.rule.dehumanization",
    Category.THREAT: "conversation.rule.threat",
    Category.PROFANITY: "conversation.rule.profanity",
    Category.HARASSMENT: "conversation.rule.harassment",
    Category.SHOUTING: "conversation.rule.shouting",
    Category.FLOODING: "conversation.rule.flooding",
    Category.REPEAT: "conversation.rule.repeat",
    Category.LINK: "conversation.rule.link",
    Category.MENTION_SPAM: "conversation.rule.mention_spam",
    Category.EMOJI_SPAM: "conversation.rule.emoji_spam",
}
ACTION_KEYS: dict[str, str] = {
    Action.ALLOW: "conversation.action.allow",
    Action.NUDGE: "conversation.action.nudge",
    Action.HOLD: "conversation.action.hold",
    Action.BLOCK: "conversation.action.block",
}
LINK_POLICY_KEYS: dict[str, str] = {
    LinkPolicy.ANY: "conversation.links.policy.any",
    LinkPolicy.ALLOWLIST: "conversation.links.policy.allowlist",
    LinkPolicy.NONE: "conversation.links.policy.none",
}


def rule_name(category: str, lang: str = "en") -> str:
    """The category's readable name; an id this version does not know is shown as it is."""
    key = RULE_KEYS.get(category)
    return category if key is None else translate(key, lang)


def action_name(action: str, lang: str = "en") -> str:
    key = ACTION_KEYS.get(action)
    return action if key is None else translate(key, lang)


def link_policy_name(policy: str, lang: str = "en") -> str:
    key = LINK_POLICY_KEYS.get(policy)
    return policy if key is None else translate(key, lang)
