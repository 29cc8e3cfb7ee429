"""A guild's civility policy: an action per category, the link policy and its domains."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.civility.model import DEFAULT_ACTIONS, Action, Category
from bot.civility.rules import Limits, LinkPolicy


@dataclass(frozen=True, slots=True)
class Policy:
    actions: Mapping[Category, Action] = field(default_factory=lambda: dict(DEFAULT_ACTIONS))
    link_policy: LinkPolicy = LinkPolicy.ALLOWLIST
    link_domains: frozenset[str] = frozenset()
    limits: Limits = field(default_factory=Limits)

    def action_for(self, category: Category) -> Action:
        return self.actions.get(category, DEFAULT_ACTIONS[category])

    @classmethod
    def with_overrides(
        cls,
        overrides: Mapping[Category, Action],
        *,
        link_policy: LinkPolicy = LinkPolicy.ALLOWLIST,
        link_domains: frozenset[str] = frozenset(),
    ) -> Policy:
        return cls(
            actions=dict(DEFAULT_ACTIONS) | dict(overrides),
            link_policy=link_policy,
            link_domains=link_domains,
        )
