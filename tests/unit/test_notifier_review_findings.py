"""The review mails: a rejection lists its findings field by field in English and Chinese
(text and HTML, escaped), an approval shows the reviewer's note, and a mail recorded before
findings existed still renders."""

from datetime import UTC, datetime
from email.message import EmailMessage

from notifier.domain import Mail
from notifier.kinds import MAIL_EVENTS, REVIEW_REJECTED, Links
from notifier.mailer import MailComposer
from shared.contracts.workspaces import ApplicationReviewedV1, ReviewFindingV1
from shared.events import Envelope

LINKS = Links(console_url="http://console.test", unseal=lambda sealed: sealed)
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _review(**overrides: object) -> ApplicationReviewedV1:
    values: dict[str, object] = {
        "application_id": "app-1",
        "account_id": "acc-1",
        "email": "ada@example.com",
        "full_name": "Ada",
        "company_name": "Engines",
        "decision": "reject",
        "reason": "Two things to fix",
        "reviewed_at": NOW,
        "reviewer_id": "rev-1",
        "findings": (
            ReviewFindingV1(
                field="company_name",
                code="company_name.mismatch",
                message="<b>Engines Ltd</b> on the licence",
                texts={"zh-CN": "公司名称与营业执照上的名称不一致", "en": "The name differs"},
            ),
            ReviewFindingV1(
                field="website",
                code="website.unreachable",
                texts={"zh-CN": "网站无法访问", "en": "The website cannot be reached"},
            ),
        ),
    }
    return ApplicationReviewedV1.model_validate({**values, **overrides})


def _mail_of(review: ApplicationReviewedV1) -> tuple[str, str]:
    event = Envelope(
        type=review.TYPE, producer="test", correlation_id="c", data=review.model_dump(mode="json")
    )
    letter = MAIL_EVENTS[review.TYPE].letter_of(event)
    mail = Mail(
        notification_id="n-1",
        correlation_id="c",
        kind=letter.kind,
        account_id=letter.account_id,
        to=letter.to,
        about=letter.about,
        content=letter.content,
    )
    return _parts(
        MailComposer(sender="MPP <no-reply@mpp.local>", links=LINKS).compose(mail, now=NOW)
    )


def _parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None
    assert html is not None
    return str(text.get_content()), str(html.get_content())


def test_a_rejection_mail_lists_each_finding_by_field_in_both_languages() -> None:
    text, html = _mail_of(_review())
    assert "- Company name: The name differs (<b>Engines Ltd</b> on the licence)" in text
    assert "- Website: The website cannot be reached" in text
    assert (
        "- 公司名称：公司名称与营业执照上的名称不一致（<b>Engines Ltd</b> on the licence）" in text
    )
    assert "- 网站：网站无法访问" in text
    assert "<li>Website: The website cannot be reached</li>" in html
    assert "<li>网站：网站无法访问</li>" in html
    assert "&lt;b&gt;Engines Ltd&lt;/b&gt;" in html  # the reviewer's words are escaped
    assert "<b>Engines" not in html


def test_a_rejection_without_findings_says_only_the_reason() -> None:
    text, html = _mail_of(_review(findings=()))
    assert "Reason: Two things to fix" in text
    assert "What to correct" not in text
    assert "需要修改的内容" not in html


def test_an_approval_mail_shows_the_reviewers_note() -> None:
    text, html = _mail_of(_review(decision="approve", reason="Welcome aboard", findings=()))
    assert "A note from the reviewer: Welcome aboard" in text
    assert "审核员备注：Welcome aboard" in text
    assert "Welcome aboard</p>" in html


def test_a_rejection_recorded_before_findings_existed_still_renders() -> None:
    # An admin's resend renders the stored content: older notifications lack the findings.
    mail = Mail(
        notification_id="n-old",
        correlation_id="c",
        kind=REVIEW_REJECTED,
        account_id="acc-1",
        to="ada@example.com",
        about={"application_id": "app-1", "decision": "reject"},
        content={"full_name": "Ada", "company_name": "Engines", "reason": "old"},
    )
    text, _ = _parts(MailComposer(sender="MPP <m@mpp.local>", links=LINKS).compose(mail, now=NOW))
    assert "Reason: old" in text
