"""The service container the cogs reach through ``bot.services``.

Services are plain async Python over storage; none of them imports discord. Each feature adds
its service here, built from the one :class:`Database` and the settings.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from bot.civility.service import CivilityService
from bot.settings import Settings
from bot.status import StatusService
from bot.storage import Database


@dataclass(slots=True)
class Services:
    settings: Settings
    db: Database
    status: StatusService
    civility: CivilityService
    started_at: float = field(default_factory=time.monotonic)


def build_services(settings: Settings, db: Database) -> Services:
    return Services(
        settings=settings, db=db, status=StatusService(db), civility=CivilityService(db)
    )
