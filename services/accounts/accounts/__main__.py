"""python -m accounts [serve | create-staff | generate-signing-key]"""

import argparse
import asyncio
import getpass
import secrets
import sys
from pathlib import Path
from typing import Any

from accounts.app import accounts_service, create_app
from accounts.domain import STAFF_ROLES, Role, TwoFactor
from accounts.domain.two_factor import new_totp_secret
from accounts.passwords import password_problem
from accounts.settings import AccountsSettings
from accounts.store import INDEXES
from accounts.store.totp_secrets import TotpSecrets
from accounts.tokens import SigningKey, generate_private_key_pem
from shared.mongo import create_mongo_client, ensure_indexes, utc_now
from shared.outbox import EventWriter
from shared.runtime import run_service
from shared.sealing import KeySettingError


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m accounts")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="run the HTTP service (default)")
    staff = commands.add_parser("create-staff", help="create a reviewer or admin account")
    staff.add_argument("--email", required=True)
    staff.add_argument("--role", required=True, choices=[str(r) for r in STAFF_ROLES])
    staff.add_argument("--full-name", default=None)
    staff.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    totp = staff.add_mutually_exclusive_group()
    totp.add_argument(
        "--totp-secret",
        help="turn two-factor sign-in on with this base32 secret (staff tokens carry the role "
        "only with it)",
    )
    totp.add_argument(
        "--with-totp",
        action="store_true",
        help="turn two-factor sign-in on with a new secret, printed with its otpauth URI",
    )
    keygen = commands.add_parser(
        "generate-signing-key", help="write a new Ed25519 PEM key file unless it exists"
    )
    keygen.add_argument("path", type=Path)
    args = parser.parse_args()

    settings = AccountsSettings()
    if args.command == "generate-signing-key":
        generate_signing_key(args.path)
        return
    try:
        if args.command == "create-staff":
            sys.exit(asyncio.run(create_staff(settings, args)))
        app = create_app(settings)
    except KeySettingError as exc:  # TOTP_SECRET_KEY unset or malformed: refuse to start
        sys.exit(f"{exc}: set it to keys from `python -m shared.sealing` (deploy/README.md)")
    run_service(app, settings)


def generate_signing_key(path: Path) -> None:
    if path.exists():
        print(f"{path} exists; keeping it")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_bytes(generate_private_key_pem())
    print(f"wrote {path}")


def _read_password(args: argparse.Namespace) -> tuple[str, bool]:
    """The password and whether it was generated here (then it is printed once)."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n"), False
    if sys.stdin.isatty():
        return getpass.getpass("Password: "), False
    return secrets.token_urlsafe(18), True


def published_by_the_running_service(collection: str, document_id: Any) -> None:
    """What the command does once it saved an event: nothing. It runs no relay of its own;
    the running service's relay sweep publishes the event (account.registered.v1)."""


async def create_staff(settings: AccountsSettings, args: argparse.Namespace) -> int:
    password, generated = _read_password(args)
    totp_secret = new_totp_secret() if args.with_totp else args.totp_secret
    if problem := password_problem(password):
        print(f"password {problem}", file=sys.stderr)
        return 2
    # It seals the secret the running service opens: the same key, never a throwaway.
    totp = TotpSecrets.from_settings(settings, command=True)
    mongo = create_mongo_client(settings.mongo_url, timeout_ms=settings.mongo_timeout_ms)
    db = mongo[settings.mongo_database]
    await ensure_indexes(db, INDEXES)
    events = EventWriter(producer=settings.service_name, saved=published_by_the_running_service)
    key = SigningKey.from_settings(settings)
    service, _ = accounts_service(settings, db=db, events=events, key=key, totp=totp, clock=utc_now)
    try:
        account, created = await service.create_staff(
            email=args.email,
            password=password,
            role=Role(args.role),
            full_name=args.full_name or args.email.split("@")[0],
            totp_secret=totp_secret,
        )
    finally:
        service.close()
        await mongo.close()
    if created:
        print(f"created {args.role} {account.email} ({account.id})")
        if generated:
            print(f"password: {password}")
    else:
        print(f"{account.email} exists; granted the {args.role} role")
    if totp_secret is not None:
        uri = TwoFactor(secret=totp_secret).provisioning_uri(
            email=account.email, issuer=settings.totp_issuer
        )
        print(f"two-factor sign-in on; TOTP secret: {totp_secret}\n{uri}")
    return 0


if __name__ == "__main__":
    main()
