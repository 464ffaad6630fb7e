"""The one wiring point of the workspaces service."""

from collections.abc import AsyncIterator
from datetime import timedelta

from aiohttp import web

from shared.images import LogoStore
from shared.mongo import Clock, utc_now
from shared.runtime import BUS_KEY, DB_KEY, EVENTS_KEY, create_service_app
from shared.sealing import Sealer
from workspaces import consumers
from workspaces.activity import ActivityService
from workspaces.api import api
from workspaces.api.context import ACTIVITY_KEY, INVITATIONS_KEY, REVIEW_KEY, SERVICE_KEY
from workspaces.invitations import InvitationService
from workspaces.review import ReviewService
from workspaces.service import WorkspacesService
from workspaces.settings import WorkspacesSettings
from workspaces.store import (
    EVENT_SOURCES,
    INDEXES,
    LOGOS,
    AccountsDirectory,
    ActivityStore,
    ApplicationStore,
    InvitationStore,
    ReviewNoteStore,
    WorkspaceStore,
)


def create_app(settings: WorkspacesSettings, *, clock: Clock = utc_now) -> web.Application:
    async def wiring(app: web.Application) -> AsyncIterator[None]:
        db, events = app[DB_KEY], app[EVENTS_KEY]
        applications = ApplicationStore(db, events=events)
        service = WorkspacesService(
            applications=applications,
            workspaces=WorkspaceStore(db, events=events),
            directory=AccountsDirectory(db),
            logos=LogoStore(db[LOGOS]),
            clock=clock,
        )
        app[SERVICE_KEY] = service
        app[REVIEW_KEY] = ReviewService(
            applications=applications,
            notes=ReviewNoteStore(db),
            directory=AccountsDirectory(db),
            clock=clock,
            claim_ttl=timedelta(seconds=settings.review_claim_ttl_s),
        )
        app[INVITATIONS_KEY] = InvitationService(
            workspaces=service,
            invitations=InvitationStore(db, events=events),
            directory=AccountsDirectory(db),
            clock=clock,
            seal=Sealer.from_setting(settings.mail_link_key, service=settings.service_name).seal,
        )
        consumers.subscribe(app[BUS_KEY], service)
        activity = ActivityService(
            workspaces=service, store=ActivityStore(db), directory=AccountsDirectory(db)
        )
        app[ACTIVITY_KEY] = activity
        consumers.subscribe_activity(app[BUS_KEY], activity)
        yield

    return create_service_app(
        settings, api=api, indexes=INDEXES, wiring=wiring, event_sources=EVENT_SOURCES
    )
