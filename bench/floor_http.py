"""The floor of the HTTP benchmarks: bare aiohttp handlers doing the same work against the
database as the real ones, and nothing of the framework (no pydantic models, no middleware,
no OpenAPI, no metrics, no problem+json machinery).

Each handler does, in the same order, the Mongo calls the service's handler does (read from
services/*/{api,service,store}.py), the same parsing (json.loads / aiohttp's multipart
reader), the same checks written by hand with the same pure rule functions, and the same
crypto: verifying the EdDSA access token with PyJWT, argon2id with the same parameters in a
pool of as many threads, signing an EdDSA token. `POST /v1/mini-programs` also publishes its
event with a broker confirm and pulls it from the document, as the service's outbox relay does.

    python -m bench.floor_http --port 9000    # env: MONGO_URL, RABBITMQ_URL, JWT_PRIVATE_KEY_FILE
"""

import argparse
import asyncio
import hashlib
import json
import os
import re
import secrets
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aio_pika
import jwt
from aiohttp import web
from aiohttp.web_request import FileField
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from email_validator import EmailNotValidError, validate_email
from pymongo import AsyncMongoClient
from pymongo.errors import DuplicateKeyError

from accounts.store import INDEXES as ACCOUNTS_INDEXES
from accounts.tokens import SigningKey
from miniprograms.domain import name_key, weighted_length
from miniprograms.industries import industry
from miniprograms.store import INDEXES as MINIPROGRAMS_INDEXES
from shared.images import LogoError, validate_logo
from shared.mongo import ensure_indexes

ISSUER, AUDIENCE = "mpp-accounts", "mpp"
ACCOUNTS_DB, MINIPROGRAMS_DB = "floor_accounts", "floor_miniprograms"
EVENTS_QUEUE = "floor.miniprogram-events"
LIMIT = 10
_PHONE = re.compile(r"[0-9]{4}-[0-9]{7}")  # with fullmatch: no trailing newline
_TEXT_RULES = {"name": (3, 30), "tagline": (10, 30), "description": (20, 200)}
_FIELDS = ("workspace_id", "target", "industry", "service_phone", "service_email")


def _json(body: dict[str, Any], status: int = 200) -> web.Response:
    return web.Response(
        text=json.dumps(body, default=_iso), status=status, content_type="application/json"
    )


def _iso(value: datetime) -> str:
    return value.isoformat()


def _now() -> datetime:
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


class Floor:
    def __init__(self, *, mongo: AsyncMongoClient[Any], key: SigningKey) -> None:
        accounts, mini = mongo[ACCOUNTS_DB], mongo[MINIPROGRAMS_DB]
        self.accounts, self.sessions = accounts["accounts"], accounts["refresh_sessions"]
        self.failures = accounts["login_failures"]
        self.mini_programs, self.logos = mini["mini_programs"], mini["logos"]
        self.memberships = mini["memberships"]
        self.key = key
        self.public_key = key.private_key.public_key()
        self.hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
        self.pool = ThreadPoolExecutor(max_workers=2)  # the service's ARGON2_THREADS
        self.dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))
        self.channel: aio_pika.abc.AbstractChannel | None = None
        self.relaying: set[asyncio.Task[None]] = set()

    def claims(self, request: web.Request) -> dict[str, Any] | None:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        try:
            return jwt.decode(
                token.strip(),
                self.public_key,
                algorithms=["EdDSA"],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"require": ["sub", "exp", "iat", "jti", "email", "roles"]},
            )
        except jwt.PyJWTError:
            return None

    async def role_of(self, workspace_id: str, account_id: str) -> str | None:
        doc = await self.memberships.find_one(
            {"_id": workspace_id}, projection={f"members.{account_id}": 1}
        )
        member = (doc or {}).get("members", {}).get(account_id)
        return member.get("role") if member else None

    # --- GET /v1/mini-programs/{id} ---------------------------------------------------

    async def get_mini_program(self, request: web.Request) -> web.Response:
        claims = self.claims(request)
        if claims is None:
            return _json({"status": 401}, 401)
        found = await self.mini_programs.find_one(
            {"_id": request.match_info["id"]}, projection={"outbox": 0}
        )
        if found is None:
            return _json({"status": 404}, 404)
        role = await self.role_of(found["workspace_id"], claims["sub"])
        visible = role in ("owner", "master") or (
            role == "developer" and claims["sub"] in found["developer_ids"]
        )
        if not visible:
            return _json({"status": 404}, 404)
        used = await self.mini_programs.count_documents({"workspace_id": found["workspace_id"]})
        return _json(_mini_program_body(found, used))

    # --- POST /v1/mini-programs -------------------------------------------------------

    async def create_mini_program(self, request: web.Request) -> web.Response:
        claims = self.claims(request)
        if claims is None:
            return _json({"status": 401}, 401)
        if request.content_type != "multipart/form-data":
            return _json({"status": 415}, 415)
        form = await request.post()
        fields = {k: v.strip() for k, v in form.items() if isinstance(v, str)}
        errors = _form_errors(fields)
        logo = None
        upload = form.get("logo")
        if isinstance(upload, FileField):
            try:
                logo = validate_logo(upload.file.read())
            except LogoError as exc:
                errors.append({"field": "logo", "message": str(exc)})
        if errors or logo is None:
            return _json({"status": 422, "errors": errors}, 422)
        workspace_id, account_id = fields["workspace_id"], claims["sub"]
        role = await self.role_of(workspace_id, account_id)
        if role is None:
            return _json({"status": 404}, 404)
        if role not in ("owner", "master"):
            return _json({"status": 403}, 403)
        now = _now()
        logo_doc = logo.document()
        await self.logos.insert_one(logo_doc)
        mini_program = {
            "_id": str(uuid.uuid4()),
            **{k: fields[k] for k in (*_FIELDS, *_TEXT_RULES)},
            "name_key": name_key(fields["name"]),
            "logo_id": logo_doc["_id"],
            "language": "zh-CN",
            "developer_ids": [],
            "created_by": account_id,
            "created_at": now,
            "updated_at": now,
        }
        event = {
            "id": str(uuid.uuid4()),
            "type": "miniprogram.created.v1",
            "occurred_at": now.isoformat(),
            "producer": "miniprograms",
            "correlation_id": request.headers.get("X-Request-ID") or str(uuid.uuid4()),
            "causation_id": None,
            "data": {
                "mini_program_id": mini_program["_id"],
                "workspace_id": workspace_id,
                "target": fields["target"],
                "name": fields["name"],
                "industry": fields["industry"],
                "created_by": account_id,
                "created_at": now.isoformat(),
            },
        }
        while True:  # the lowest free slot; the unique (workspace_id, slot) index decides
            used = {
                d["slot"]
                async for d in self.mini_programs.find(
                    {"workspace_id": workspace_id}, projection={"slot": 1}
                )
            }
            free = [slot for slot in range(LIMIT) if slot not in used]
            if not free:
                return _json({"status": 409, "type": "mini-program-limit-reached"}, 409)
            document = {**mini_program, "slot": free[0], "outbox": [event], "outbox_due_at": now}
            try:
                await self.mini_programs.insert_one(document)
                break
            except DuplicateKeyError as exc:
                if "slot" not in (exc.details or {}).get("keyPattern", {}):
                    return _json({"status": 409, "type": "name-taken"}, 409)
        mini_program["slot"] = free[0]
        task = asyncio.create_task(self.relay(mini_program["_id"], event))
        self.relaying.add(task)
        task.add_done_callback(self.relaying.discard)
        count = await self.mini_programs.count_documents({"workspace_id": workspace_id})
        return _json(_mini_program_body(mini_program, count), 201)

    async def relay(self, document_id: str, event: dict[str, Any]) -> None:
        """The outbox's work, minimally: publish with a confirm, then pull the event."""
        assert self.channel is not None
        message = aio_pika.Message(
            body=json.dumps(event).encode(),
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=event["id"],
            type=event["type"],
        )
        await self.channel.default_exchange.publish(
            message, routing_key=EVENTS_QUEUE, mandatory=True, timeout=5
        )
        await self.mini_programs.update_one(
            {"_id": document_id},
            {"$pull": {"outbox": {"id": event["id"]}}, "$unset": {"outbox_due_at": ""}},
        )

    # --- POST /v1/sessions -----------------------------------------------------------

    async def create_session(self, request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            return _json({"status": 415}, 415)
        try:
            body = json.loads(await request.read())
        except ValueError:
            return _json({"status": 400}, 400)
        email, password = body.get("email"), body.get("password")
        if not (isinstance(email, str) and 0 < len(email) <= 254):
            return _json({"status": 422}, 422)
        if not (isinstance(password, str) and 0 < len(password) <= 128):
            return _json({"status": 422}, 422)
        email_key = email.strip().lower()
        window = 900
        now_s = int(time.time())
        start = now_s - now_s % window
        keys = [f"account:{email_key}:{start}", f"ip:{request.remote}:{start}"]
        counts = {d["_id"]: d["count"] async for d in self.failures.find({"_id": {"$in": keys}})}
        if counts.get(keys[0], 0) >= 5 or counts.get(keys[1], 0) >= 50:
            return _json({"status": 429}, 429)
        account = await self.accounts.find_one({"email_normalized": email_key})
        stored = account["password_hash"] if account else self.dummy_hash
        loop = asyncio.get_running_loop()
        verified = await loop.run_in_executor(self.pool, self.verify, stored, password)
        if not verified or account is None:
            expires = _now() + timedelta(seconds=start + window - now_s)
            for key in keys:
                await self.failures.update_one(
                    {"_id": key},
                    {"$inc": {"count": 1}, "$setOnInsert": {"expires_at": expires}},
                    upsert=True,
                )
            return _json({"status": 401}, 401)
        self.hasher.check_needs_rehash(account["password_hash"])
        refresh = secrets.token_urlsafe(32)
        now = _now()
        await self.sessions.insert_one(
            {
                "_id": str(uuid.uuid4()),
                "account_id": account["_id"],
                "current_hash": _sha256(refresh),
                "used_hashes": [],
                "status": "active",
                "created_at": now,
                "expires_at": now + timedelta(days=30),
            }
        )
        issued = datetime.now(UTC)
        access = jwt.encode(
            {
                "iss": ISSUER,
                "aud": AUDIENCE,
                "sub": account["_id"],
                "email": account["email"],
                "roles": account["roles"],
                "iat": issued,
                "exp": issued + timedelta(minutes=15),
                "jti": str(uuid.uuid4()),
            },
            self.key.private_key,
            algorithm="EdDSA",
            headers={"kid": self.key.kid},
        )
        return _json(
            {
                "account": {
                    "id": account["_id"],
                    "email": account["email"],
                    "full_name": account["full_name"],
                    "roles": account["roles"],
                    "created_at": account["created_at"],
                    "terms_version": account["terms"]["version"],
                    "terms_accepted_at": account["terms"]["accepted_at"],
                },
                "tokens": {
                    "access_token": access,
                    "refresh_token": refresh,
                    "token_type": "Bearer",
                    "expires_in": 900,
                },
                "next_step": account.get("next_step", "apply_workspace"),
            }
        )

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def _sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _form_errors(fields: dict[str, str]) -> list[dict[str, str]]:
    errors = [
        {"field": n, "message": "required"} for n in (*_FIELDS, *_TEXT_RULES) if n not in fields
    ]
    if errors:
        return errors
    for name, (low, high) in _TEXT_RULES.items():
        text = fields[name]
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
            errors.append({"field": name, "message": "control characters"})
        elif not low <= weighted_length(text) <= high:
            errors.append({"field": name, "message": f"{low}..{high}"})
    if fields["target"] != "alipay_cn":
        errors.append({"field": "target", "message": "alipay_cn"})
    if industry(fields["industry"]) is None:
        errors.append({"field": "industry", "message": "not in the catalogue"})
    if not _PHONE.fullmatch(fields["service_phone"]):
        errors.append({"field": "service_phone", "message": "XXXX-XXXXXXX"})
    try:
        validate_email(fields["service_email"], check_deliverability=False)
    except EmailNotValidError:
        errors.append({"field": "service_email", "message": "not an email"})
    return errors


def _mini_program_body(doc: dict[str, Any], used: int) -> dict[str, Any]:
    keys = ["workspace_id", "target", "language", "name", "tagline", "description"]
    keys += ["industry", "service_phone", "service_email", "created_by", "created_at"]
    return {
        "id": doc["_id"],
        **{k: doc[k] for k in keys},
        "updated_at": doc["updated_at"],
        "logo_url": f"/v1/mini-programs/{doc['_id']}/logo",
        "quota": {"used": used, "limit": LIMIT},
    }


def create_app() -> web.Application:
    pem = Path(os.environ["JWT_PRIVATE_KEY_FILE"]).read_bytes()
    private_key = serialization.load_pem_private_key(pem, password=None)
    assert isinstance(private_key, Ed25519PrivateKey)
    floor = Floor(
        mongo=AsyncMongoClient(os.environ["MONGO_URL"], tz_aware=True),
        key=SigningKey(private_key),
    )

    async def resources(app: web.Application) -> Any:
        await ensure_indexes(floor.accounts.database, ACCOUNTS_INDEXES)
        await ensure_indexes(floor.mini_programs.database, MINIPROGRAMS_INDEXES)
        connection = await aio_pika.connect_robust(os.environ["RABBITMQ_URL"])
        floor.channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        await floor.channel.declare_queue(
            EVENTS_QUEUE,
            durable=True,
            arguments={"x-queue-type": "quorum", "x-max-length": 100_000},
        )
        yield
        await connection.close()
        floor.pool.shutdown(wait=False)

    async def healthz(_: web.Request) -> web.Response:
        return _json({"status": "ok"})

    app = web.Application(client_max_size=1024 * 1024)
    app.cleanup_ctx.append(resources)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/v1/mini-programs/{id}", floor.get_mini_program)
    app.router.add_post("/v1/mini-programs", floor.create_mini_program)
    app.router.add_post("/v1/sessions", floor.create_session)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    web.run_app(
        create_app(), host="127.0.0.1", port=parser.parse_args().port, access_log=None, print=None
    )


if __name__ == "__main__":
    main()
