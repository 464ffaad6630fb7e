"""What the browser tests share: the console's own words in both languages, the platform's API
for setting up what a test is not about, the dev mailbox, screenshots and small page helpers.

Every step a test is about goes through the browser; this module only prepares the ground
(accounts, approved workspaces, existing mini programs) over plain HTTP against the gateway,
the one origin the console uses too.
"""

import email
import email.policy
import io
import json
import re
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyotp
from PIL import Image, ImageDraw
from playwright.sync_api import BrowserContext, Page, expect

from tests.support.infra import ROOT

CONSOLE = ROOT / "console"
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
LANGUAGES = ("zh-CN", "en")
LANGUAGE_NAMES = {"zh-CN": "简体中文", "en": "English"}  # the switcher names each by itself
# The platform serves mainland China: the browsers of these tests live there too.
TIMEZONE = "Asia/Shanghai"
PASSWORD = "correct horse battery staple"
REVIEWER = ("reviewer@mpp.local", "review-the-merchants")  # printed by `make dev`
ADMIN = ("admin@mpp.local", "administer-the-platform")
# An access token lasts 15 minutes: a staff token is reused for less than that (each login of
# an account with two-factor sign-in spends a time step of its codes).
STAFF_TOKEN_REUSE_S = 600


# --- the console's words ------------------------------------------------------------------


class Words:
    """The console's catalogue of one language (console/src/i18n/<language>.json): tests find
    labels, buttons and messages by the words a user of that language reads."""

    def __init__(self, language: str) -> None:
        self.language = language
        path = CONSOLE / "src" / "i18n" / f"{language}.json"
        self._messages: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))

    def __call__(self, key: str, **values: object) -> str:
        text = self._messages[key]
        return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), text)

    def pattern(self, key: str) -> re.Pattern[str]:
        """The message with each placeholder matching anything (a number, a name)."""
        parts = re.split(r"\{\w+\}", self._messages[key])
        return re.compile(".+?".join(re.escape(p) for p in parts))

    def full_date(self, iso: str) -> str:
        """A date as the console writes it in full (Intl dateStyle "full", less the weekday),
        in the browser's time zone."""
        moment = datetime.fromisoformat(iso).astimezone(ZoneInfo(TIMEZONE))
        if self.language == "zh-CN":
            return f"{moment.year}年{moment.month}月{moment.day}日"
        return f"{moment:%B} {moment.day}, {moment.year}"


# --- two-factor sign-in ----------------------------------------------------------------------


@dataclass
class Authenticator:
    """The authenticator app of one account: its TOTP codes (RFC 6238, 30 s steps). The server
    accepts a step's code once and one step of drift either way, so each code given here is of
    a newer step than the last one, waiting for the clock when the next step is too far ahead."""

    secret: str
    last_step: int = -1

    def code(self) -> str:
        totp = pyotp.TOTP(self.secret)
        while True:
            now = int(time.time()) // totp.interval
            step = max(now, self.last_step + 1)
            if step <= now + 1:  # the server's window: the next step is still accepted
                self.last_step = step
                return totp.generate_otp(step)
            time.sleep((now + 1) * totp.interval - time.time() + 0.2)


# --- the API, for what a test is not about ---------------------------------------------------


class ApiError(AssertionError):
    pass


@dataclass
class Api:
    """Plain HTTP against the gateway (urllib: the browser tests' event loop is Playwright's)."""

    base_url: str
    # The authenticators of accounts with two-factor sign-in (the dev staff), by email.
    authenticators: dict[str, Authenticator] = field(default_factory=dict)
    _staff_tokens: dict[str, tuple[str, float]] = field(default_factory=dict)

    def call(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        token: str | None = None,
        data: bytes | None = None,
        content_type: str | None = None,
    ) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if json_body is not None:
            data = json.dumps(json_body).encode()
            content_type = "application/json"
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(  # noqa: S310 (always the test's own http gateway)
            self.base_url + path, data=data, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, raw

    def expect(self, status: int, method: str, path: str, **kwargs: Any) -> Any:
        got, body = self.call(method, path, **kwargs)
        if got != status:
            raise ApiError(f"{method} {path}: expected {status}, got {got}: {body}")
        return body

    def log_in(self, email_address: str, password: str = PASSWORD) -> str:
        authenticator = self.authenticators.get(email_address)
        if authenticator is None:
            body = {"email": email_address, "password": password}
            session = self.expect(200, "POST", "/v1/sessions", json_body=body)
            token: str = session["tokens"]["access_token"]
            return token
        cached, at = self._staff_tokens.get(email_address, ("", 0.0))
        if cached and time.monotonic() - at < STAFF_TOKEN_REUSE_S:
            return cached
        token = self._log_in_with_a_code(email_address, password, authenticator)
        self._staff_tokens[email_address] = (token, time.monotonic())
        return token

    def _log_in_with_a_code(self, address: str, password: str, authenticator: Authenticator) -> str:
        body = {"email": address, "password": password}
        challenge = self.expect(202, "POST", "/v1/sessions", json_body=body)
        second = {"mfa_token": challenge["mfa_token"], "code": authenticator.code()}
        token: str = self.expect(200, "POST", "/v1/sessions/mfa", json_body=second)["tokens"][
            "access_token"
        ]
        return token

    def enrol_two_factor(self, email_address: str, password: str = PASSWORD) -> list[str]:
        """Turn two-factor sign-in on for an account (as its security page does), keeping its
        authenticator for later logins; answers the recovery codes."""
        token = self.log_in(email_address, password)
        enrolment = self.expect(201, "POST", "/v1/accounts/me/totp", token=token)
        authenticator = Authenticator(enrolment["secret"])
        confirm = {"code": authenticator.code()}
        codes = self.expect(
            200, "POST", "/v1/accounts/me/totp/confirm", json_body=confirm, token=token
        )
        self.authenticators[email_address] = authenticator
        return list(codes["recovery_codes"])

    def sign_up(self, full_name: str = "Ada Merchant", prefix: str = "merchant") -> "Person":
        address = new_email(prefix)
        body = {
            "email": address,
            "password": PASSWORD,
            "full_name": full_name,
            "accept_terms": True,
        }
        signed_up = self.expect(201, "POST", "/v1/accounts", json_body=body)
        return Person(
            email=address,
            full_name=full_name,
            account_id=signed_up["account"]["id"],
            token=signed_up["tokens"]["access_token"],
        )

    def save_draft(self, person: "Person", **form: Any) -> Any:
        return self.expect(
            200, "PUT", "/v1/workspace-applications/draft", json_body=form, token=person.token
        )

    def upload_draft_logo(self, person: "Person", png: bytes) -> Any:
        return self.expect(
            200,
            "PUT",
            "/v1/workspace-applications/draft/logo",
            data=png,
            content_type="image/png",
            token=person.token,
        )

    def apply(self, person: "Person", company_name: str, *, logo: bytes | None = None) -> Any:
        """A complete application, submitted: under review."""
        self.save_draft(
            person,
            role="technical_merchant",
            company_name=company_name,
            website="https://acme.example.com",
            contact_number="+86 571 8888 8888",
            contact_email="contact@acme.example.com",
        )
        if logo is not None:
            self.upload_draft_logo(person, logo)
        return self.expect(
            201, "POST", "/v1/workspace-applications/draft/submit", token=person.token
        )

    def decide(self, application_id: str, decision: str, reason: str | None = None) -> Any:
        reviewer = self.log_in(*REVIEWER)
        return self.expect(
            200,
            "POST",
            f"/v1/review/applications/{application_id}/decision",
            json_body={"decision": decision, "reason": reason},
            token=reviewer,
        )

    def owner_of_a_workspace(self, company_name: str, full_name: str = "Ada Owner") -> "Person":
        """A merchant whose application was approved, once the workspace is active and the
        mini programs service knows its owner."""
        owner = self.sign_up(full_name, prefix="owner")
        application = self.apply(owner, company_name)
        self.decide(application["id"], "approve")

        def active() -> str | None:
            items = self.expect(200, "GET", "/v1/workspaces", token=owner.token)["items"]
            return items[0]["id"] if items and items[0]["status"] == "active" else None

        owner.workspace_id = eventually(active, what=f"the workspace of {company_name} active")
        eventually(
            lambda: self.call("GET", self._mini_programs(owner), token=owner.token)[0] == 200,
            what="the mini programs service to know the workspace",
        )
        return owner

    def _mini_programs(self, person: "Person", workspace_id: str | None = None) -> str:
        return f"/v1/mini-programs?workspace_id={workspace_id or person.workspace_id}"

    def add_member(self, owner: "Person", member: "Person", role: str) -> None:
        path = f"/v1/workspaces/{owner.workspace_id}/members"
        body = {"email": member.email, "role": role}
        # The workspaces service learns accounts from account.registered.v1: retried until then.
        eventually(
            lambda: self.call("POST", path, json_body=body, token=owner.token)[0] == 201,
            what=f"{member.email} added to the workspace",
        )
        eventually(
            lambda: (
                self.call(
                    "GET", self._mini_programs(member, owner.workspace_id), token=member.token
                )[0]
                == 200
            ),
            what="the mini programs service to know the new member",
        )

    def invite(self, owner: "Person", email_address: str, role: str = "developer") -> Any:
        path = f"/v1/workspaces/{owner.workspace_id}/invitations"
        body = {"email": email_address, "role": role}
        return self.expect(201, "POST", path, json_body=body, token=owner.token)

    def create_mini_program(self, owner: "Person", name: str) -> Any:
        fields = {
            "workspace_id": owner.workspace_id or "",
            "target": "alipay_cn",
            "name": name,
            "tagline": "Order lunch in two taps",
            "description": "Office workers order lunch from restaurants nearby.",
            "industry": "food.restaurant",
            "service_phone": "0571-8888888",
            "service_email": "service@acme.example.com",
        }
        body, content_type = multipart(fields, logo=logo_image(96))
        return self.expect(
            201,
            "POST",
            "/v1/mini-programs",
            data=body,
            content_type=content_type,
            token=owner.token,
        )


@dataclass
class Person:
    email: str
    full_name: str
    account_id: str
    token: str
    password: str = PASSWORD
    workspace_id: str | None = None


def logo_image(width: int, height: int | None = None, *, fmt: str = "PNG") -> bytes:
    """A small logo that looks like one in the screenshots: a white ring on orange."""
    height = width if height is None else height
    image = Image.new("RGB", (width, height), "#FA8C16")
    side = min(width, height)
    box = (width / 2 - side / 3, height / 2 - side / 3, width / 2 + side / 3, height / 2 + side / 3)
    ImageDraw.Draw(image).ellipse(box, outline="white", width=max(2, side // 10))
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def new_email(prefix: str = "merchant") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


def multipart(fields: dict[str, str], *, logo: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    lines: list[bytes] = []
    for name, value in fields.items():
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{name}"'.encode(),
            b"",
            value.encode(),
        ]
    lines += [
        f"--{boundary}".encode(),
        b'Content-Disposition: form-data; name="logo"; filename="logo.png"',
        b"Content-Type: image/png",
        b"",
        logo,
        f"--{boundary}--".encode(),
        b"",
    ]
    return b"\r\n".join(lines), f"multipart/form-data; boundary={boundary}"


def eventually[T](check: Callable[[], T], *, what: str, timeout: float = 20.0) -> T:
    """Poll `check` until it returns something truthy (events take a moment to arrive)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} s for {what}")
        time.sleep(0.1)


# --- the dev mailbox -----------------------------------------------------------------------


@dataclass
class Mailbox:
    """The Maildir the dev SMTP server writes (new/ holds each mail as a file)."""

    path: Path

    def mails_to(self, address: str) -> list[EmailMessage]:
        new = self.path / "new"
        found = []
        for file in sorted(new.iterdir()) if new.exists() else []:
            message = email.message_from_bytes(file.read_bytes(), policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            if address in str(message["To"]):
                found.append(message)
        return found

    def wait_for_mail_to(self, address: str, count: int = 1) -> list[EmailMessage]:
        return eventually(
            lambda: (mails := self.mails_to(address)) and len(mails) >= count and mails,
            what=f"{count} mail(s) to {address}",
        )

    def wait_for_link(self, address: str, path: str) -> str:
        """The link to `path` of the console in the newest mail to `address` that has one
        (an invitation's, whatever other mails the address got)."""

        def newest() -> str | None:
            links = (link_in(message, path) for message in reversed(self.mails_to(address)))
            return next((link for link in links if link), None)

        return eventually(newest, what=f"a mail to {address} with a link to {path}")


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None, "the mail has no text part"
    return str(body.get_content())


def link_in(message: EmailMessage, path: str) -> str | None:
    """The link of a mail's text that opens `path` of the console (e.g. an invitation's)."""
    found = re.search(rf"https?://[^\s/]+{re.escape(path)}\S*", text_of(message))
    return found.group(0) if found else None


# --- pages ---------------------------------------------------------------------------------


# Whatever a live region or an alert shows, as a screen reader would be told, in order.
RECORD_ANNOUNCEMENTS = """
(() => {
  window.__announced = [];
  const regions = '[role="alert"], [role="status"], [aria-live]';
  const record = () => {
    for (const region of document.querySelectorAll(regions)) {
      const text = region.textContent.trim();
      if (text && window.__announced[window.__announced.length - 1] !== text) {
        window.__announced.push(text);
      }
    }
  };
  new MutationObserver(record).observe(document, {
    subtree: true, childList: true, characterData: true,
  });
})();
"""


def announced(page: Page) -> list[str]:
    texts: list[str] = page.evaluate("window.__announced")
    return texts


@dataclass
class Browsing:
    """One person at a browser: their own context (cookies, storage) and page."""

    context: BrowserContext
    page: Page
    words: Words
    shots: list[Path] = field(default_factory=list)
    # Of the accounts with two-factor sign-in (shared with the Api): login then asks a code.
    authenticators: dict[str, Authenticator] = field(default_factory=dict)

    @property
    def t(self) -> Words:
        return self.words

    def choose_language(self) -> None:
        """Pick the person's language in the header's switcher (the console starts in
        Simplified Chinese)."""
        self.page.get_by_role("button", name=LANGUAGE_NAMES[self.words.language]).click()
        expect(self.page.locator("html")).to_have_attribute("lang", self.words.language)

    def log_in(self, address: str, password: str = PASSWORD) -> None:
        page, t = self.page, self.t
        page.goto("/login")
        self.choose_language()
        page.get_by_label(t("login.email")).fill(address)
        page.get_by_label(t("login.password")).fill(password)
        page.get_by_role("button", name=t("login.submit"), exact=True).click()
        if address in self.authenticators:
            self.enter_code(self.authenticators[address].code())
        expect(page).not_to_have_url(re.compile(r"/login"))

    def enter_code(self, code: str) -> None:
        """Login's second step: the code of the authenticator app."""
        page, t = self.page, self.t
        self.heading("mfa.title")
        page.get_by_label(t("mfa.code")).fill(code)
        page.get_by_role("button", name=t("mfa.submit")).click()

    def go_to(self, nav_key: str) -> None:
        """Follow a link of the console's left navigation."""
        main_nav = self.page.get_by_role("navigation", name=self.t("nav.label"))
        main_nav.get_by_role("link", name=self.t(nav_key)).click()

    def log_out(self) -> None:
        self.page.get_by_role("button", name=self.t("nav.logout")).click()
        expect(self.page).to_have_url(re.compile(r"/login$"))

    def choose_image(self, button_text: str, name: str, content: bytes, mime: str) -> None:
        """Click the chooser's button and pick a file in the dialog the browser opens."""
        with self.page.expect_file_chooser() as chooser:
            self.page.get_by_text(button_text, exact=True).click()
        chooser.value.set_files(files=[{"name": name, "mimeType": mime, "buffer": content}])

    def screenshot(self, name: str) -> None:
        """A full-page screenshot kept as a test artefact: <name>.<language>.png."""
        self._shoot(name, self.words.language)

    def _shoot(self, name: str, language: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.evaluate("window.scrollTo(0, 0)")  # the sticky header at the top of the shot
        path = SCREENSHOTS / f"{name}.{language}.png"
        self.page.screenshot(path=path, full_page=True, animations="disabled", caret="initial")
        self.shots.append(path)

    def screenshots(self, name: str) -> None:
        """The page in the person's language, then in the other one (switched in the header),
        then back: <name>.zh-CN.png and <name>.en.png."""
        self.screenshot(name)
        for other in LANGUAGES:
            if other != self.words.language:
                self._show_language(other)
                self._shoot(name, other)
        self._show_language(self.words.language)

    def _show_language(self, language: str) -> None:
        self.page.get_by_role("button", name=LANGUAGE_NAMES[language]).click()
        expect(self.page.locator("html")).to_have_attribute("lang", language)

    def heading(self, key: str, **values: object) -> None:
        expect(self.page.get_by_role("heading", level=1)).to_have_text(self.t(key, **values))
