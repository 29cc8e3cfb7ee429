"""The service container the cogs reach through ``bot.services``.

Services are plain async Python over storage; none of them imports discord. The container is
built once, by the composition root (:func:`app.services.build_services`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from bot.bridging.service import BridgingService
from bot.circles.service import CircleService
from bot.civility.service import CivilityService
from bot.dialogue.agreements import AgreementService
from bot.dialogue.communities import CommunityService
from bot.dialogue.guild_config import GuildConfigService
from bot.dialogue.notes import NoteService
from bot.dialogue.packs import PackService
from bot.dialogue.pauses import PauseService
from bot.dialogue.replies import ReplyService
from bot.dialogue.responses import ResponseService
from bot.dialogue.rounds import RoundService
from bot.dialogue.verification import VerificationService
from bot.faults import StorageHealth
from bot.languages import LanguageService
from bot.leases import Leases
from bot.moderation.service import ModerationService
from bot.privacy import Pseudonymizer
from bot.safety import SafetyService
from bot.settings import Settings
from bot.status import StatusService
from bot.storage import Storage


@dataclass(slots=True)
class Services:
    settings: Settings
    db: Storage
    status: StatusService
    guild_config: GuildConfigService
    packs: PackService
    communities: CommunityService
    verification: VerificationService
    rounds: RoundService
    replies: ReplyService
    responses: ResponseService
    pseudonyms: Pseudonymizer
    civility: CivilityService
    moderation: ModerationService
    safety: SafetyService
    languages: LanguageService
    leases: Leases
    bridging: BridgingService
    pauses: PauseService
    agreements: AgreementService
    notes: NoteService
    circles: CircleService
    started_at: float = field(default_factory=time.monotonic)
    storage_health: StorageHealth = field(default_factory=StorageHealth)
