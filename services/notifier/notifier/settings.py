from typing import Literal

from pydantic import SecretStr

from shared.settings import ServiceSettings

type SmtpSecurity = Literal["none", "starttls", "tls"]


class NotifierSettings(ServiceSettings):
    service_name: str = "notifier"
    http_port: int = 8004
    mongo_database: str = "notifier"

    # The notifier's own quorum queue, bound to every event type that is mailed (kinds.py);
    # every replica consumes from it (competing consumers).
    mail_events_queue: str = "notifier.mail-events"
    # The console's origin: links in mails (an invitation's accept link) point there.
    console_url: str = "http://127.0.0.1:8000"

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    # none: plain SMTP (the local dev mailbox); starttls: upgrade on connect (port 587);
    # tls: implicit TLS from the first byte (port 465).
    smtp_security: SmtpSecurity = "none"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "Mini Program Platform <no-reply@mpp.local>"
    # aiosmtplib applies it to each socket operation, not to the whole conversation.
    smtp_timeout_s: float = 10.0
    # How long a replica owns a notification it is sending; a send is abandoned after half of
    # it. Keep it below the sum of bus_retry_delays_ms: an event redelivered after its sender
    # died must outlive the dead sender's claim to find it stale.
    claim_lease_s: float = 60.0
    # How often each replica looks for resends left behind (released after a temporary
    # failure, or abandoned by a replica that stopped); a new resend is sent at once.
    resend_sweep_interval_s: float = 10.0
