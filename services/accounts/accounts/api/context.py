"""What the handlers reach through the app: the use cases, the signing key, the settings; and
who is calling (the client address behind a trusted proxy, the user agent)."""

from aiohttp import web

from accounts.domain import Client
from accounts.identity import IdentityService
from accounts.service import AccountsService
from accounts.settings import AccountsSettings
from accounts.tokens import SigningKey

SERVICE_KEY = web.AppKey("accounts_service", AccountsService)
IDENTITY_KEY = web.AppKey("identity_service", IdentityService)
SIGNING_KEY = web.AppKey("signing_key", SigningKey)
SETTINGS_KEY = web.AppKey("accounts_settings", AccountsSettings)
# What a session list shows of a user agent: enough to tell browsers apart.
_USER_AGENT_MAX = 256


def service_of(request: web.Request) -> AccountsService:
    return request.app[SERVICE_KEY]


def identity_of(request: web.Request) -> IdentityService:
    return request.app[IDENTITY_KEY]


def client_ip(request: web.Request) -> str:
    if request.app[SETTINGS_KEY].trust_forwarded_for:
        # The rightmost entry is the one our proxy added; those left of it the client can forge.
        forwarded = request.headers.get("X-Forwarded-For", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.remote or "unknown"


def client_of(request: web.Request) -> Client:
    user_agent = request.headers.get("User-Agent", "")[:_USER_AGENT_MAX]
    return Client(address=client_ip(request), user_agent=user_agent)
