"""Wiring: every service built from the one :class:`Storage` and the settings, each handed
its collaborators in its constructor. Each feature adds its service here."""

from __future__ import annotations

import functools

from bot.bridging.service import BridgingService
from bot.civility.service import CivilityService
from bot.dialogue.communities import CommunityService
from bot.dialogue.guild_config import GuildConfigService
from bot.dialogue.packs import PackService
from bot.dialogue.pauses import PauseService
from bot.dialogue.replies import CheckSummary, ReplyService, TextChecker
from bot.dialogue.responses import ResponseService
from bot.dialogue.rounds import RoundService
from bot.dialogue.verification import VerificationService
from bot.languages import LanguageService
from bot.leases import Leases, process_name
from bot.moderation.service import ModerationService
from bot.privacy import Pseudonymizer, load_or_create_secret
from bot.safety import DigestService, MyDataService, RetentionService, SafetyService
from bot.sanitizer import sanitize
from bot.services import Services
from bot.settings import Settings
from bot.status import StatusService
from bot.storage import Storage
from bot.storage.bridging import BridgingStore
from bot.storage.communities import CommunityStore
from bot.storage.guilds import GuildStore
from bot.storage.languages import LanguageStore
from bot.storage.leases import LeaseStore
from bot.storage.moderation import ModerationStore
from bot.storage.packs import PackStore
from bot.storage.pauses import PauseStore
from bot.storage.replies import ReplyStore
from bot.storage.rounds import RoundStore
from bot.storage.safety import SafetyStore


def reply_checker(civility: CivilityService) -> TextChecker:
    """The seam between replies and the civility engine."""

    async def check(guild_id: int, text: str, author_key: str) -> CheckSummary:
        result = await civility.check(guild_id, text, author_key=author_key, record=False)
        return CheckSummary(
            result.action,
            result.verdicts,
            committed=functools.partial(civility.record, guild_id, author_key, result.text),
        )

    return check


def sanitize_field(text: str, limit: int | None) -> str:
    return sanitize(text, limit=limit)


def build_services(settings: Settings, db: Storage) -> Services:
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
    civility = CivilityService(db)
    replies = ReplyService(
        reply_store,
        round_store,
        communities,
        community_store,
        guilds,
        pseudonyms,
        sanitize=sanitize_field,
        check=reply_checker(civility),
    )
    moderation = ModerationService(
        ModerationStore(db, reply_store), guilds, replies, communities, sanitize=sanitize_field
    )
    languages = LanguageService(LanguageStore(db), guilds, pseudonyms)
    mydata = MyDataService(
        safety_store,
        round_store,
        community_store,
        pseudonyms,
        moderation=moderation.records,
        languages=languages,
    )
    return Services(
        settings=settings,
        db=db,
        status=StatusService(db),
        guild_config=GuildConfigService(guilds),
        packs=packs,
        communities=communities,
        verification=VerificationService(communities, moderation),
        rounds=rounds,
        replies=replies,
        responses=ResponseService(replies),
        pseudonyms=pseudonyms,
        civility=civility,
        moderation=moderation,
        safety=SafetyService(
            mydata=mydata,
            retention=RetentionService(safety_store, reply_store),
            digest=DigestService(rounds, reply_store),
        ),
        languages=languages,
        leases=Leases(LeaseStore(db), process_name(settings.shard_ids)),
        bridging=BridgingService(BridgingStore(db), reply_store, communities, pseudonyms),
        pauses=PauseService(PauseStore(db), round_store),
    )
