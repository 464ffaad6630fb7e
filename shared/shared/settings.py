"""Settings every service shares; each service subclasses ServiceSettings with its own defaults."""

from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Read from the environment (unprefixed: each process gets its own env in every deployment)."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    service_name: str = "service"
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    # Large enough for a 256 KB logo in a multipart form, small enough to refuse abuse early.
    http_max_body_bytes: int = 1024 * 1024
    # Browser origins allowed to call this service from another origin (CORS), comma-separated:
    # none by default, since the console is served from the APIs' own origin.
    cors_allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    log_level: str = "INFO"
    log_json: bool = True

    mongo_url: str = "mongodb://127.0.0.1:27017/?directConnection=true"
    mongo_database: str = "mpp"
    # Fail a request quickly (503) instead of hanging when the database is gone.
    mongo_timeout_ms: int = 2000
    # Indexes that could not be created at start (a conflicting one, the server away) are
    # tried again this often; the service is not ready until they exist.
    mongo_index_retry_s: float = 5.0

    rabbitmq_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    # Every outbox event is retried until confirmed; this is how long one publish may wait.
    bus_publish_timeout_s: float = 5.0
    # Delays of the retry tiers for a consumer's transient failures, then the dead queue.
    bus_retry_delays_ms: list[int] = Field(default_factory=lambda: [1000, 5000, 30000, 120000])
    # Messages a consumer may hold unacked; small keeps redelivery after a crash cheap.
    bus_prefetch: int = 16
    # Appended to every queue this service declares: lets test runs share one broker.
    bus_queue_suffix: str = ""

    # Traces go over OTLP/HTTP to this collector (e.g. http://otel-collector:4318); unset: off.
    otel_exporter_otlp_endpoint: str | None = None

    # Where services verify access tokens; accounts serves it.
    jwks_url: str = "http://127.0.0.1:8001/.well-known/jwks.json"
    jwt_issuer: str = "mpp-accounts"
    jwt_audience: str = "mpp"
    # Access tokens live this long: accounts issues them so, and every service remembers a
    # revoked session this long (after that, every token of it has expired anyway).
    access_token_ttl_s: int = 900

    # Seals the tokens of links in mails between their producer and the notifier (see
    # shared.sealing): comma-separated Fernet keys, the first seals, any opens. Unset: a
    # throwaway key per process (nothing sealed there opens elsewhere). Generate one with
    # `python -m shared.sealing`.
    mail_link_key: SecretStr | None = None

    # Outbox relay: how long a replica owns claimed events before another may take them.
    outbox_lease_s: float = 30.0
    outbox_poll_interval_s: float = 1.0

    @field_validator("cors_allowed_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value
