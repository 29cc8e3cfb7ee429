"""The service container the cogs reach through ``bot.services``.

Services are plain async Python over storage; none of them imports discord. Each feature adds
its service here, built from the one :class:`Database` and the settings.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from bot.civility.service import CivilityService
from bot.dialogue.communities import CommunityService
from bot.dialogue.packs import PackService
from bot.dialogue.replies import ReplyService
from bot.dialogue.rounds import RoundService
from bot.dialogue.setup import SetupService
from bot.privacy import Pseudonymizer, load_or_create_secret
from bot.safety import DigestService, MyDataService, RetentionService, SafetyService
from bot.settings import Settings
from bot.status import StatusService
from bot.storage import Database
from bot.storage.communities import CommunityStore
from bot.storage.guilds import GuildStore
from bot.storage.packs import PackStore
from bot.storage.replies import ReplyStore
from bot.storage.rounds import RoundStore
from bot.storage.safety import SafetyStore


@dataclass(slots=True)
class Services:
    settings: Settings
    db: Database
    status: StatusService
    setup: SetupService
    packs: PackService
    communities: CommunityService
    rounds: RoundService
    replies: ReplyService
    pseudonyms: Pseudonymizer
    civility: CivilityService
    safety: SafetyService
    started_at: float = field(default_factory=time.monotonic)


def build_services(settings: Settings, db: Database) -> Services:
    secret = load_or_create_secret(settings.pseudonym_secret, settings.data_dir)
    pseudonyms = Pseudonymizer(secret)
    guilds = GuildStore(db)
    community_store = CommunityStore(db)
    packs = PackService(PackStore(db), guilds)
    communities = CommunityService(community_store, guilds)
    round_store = RoundStore(db)
    rounds = RoundService(round_store, packs, guilds, community_store)
    reply_store = ReplyStore(db)
    safety_store = SafetyStore(db)
    return Services(
        settings=settings,
        db=db,
        status=StatusService(db),
        setup=SetupService(guilds),
        packs=packs,
        communities=communities,
        rounds=rounds,
        replies=ReplyService(
            reply_store, round_store, communities, community_store, guilds, pseudonyms
        ),
        pseudonyms=pseudonyms,
        civility=CivilityService(db),
        safety=SafetyService(
            mydata=MyDataService(safety_store, round_store, community_store, pseudonyms),
            retention=RetentionService(safety_store, reply_store),
            digest=DigestService(rounds, reply_store),
        ),
    )
