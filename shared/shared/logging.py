"""Logs that carry the request and correlation ids of the work in progress, stamped in UTC
(RFC 3339), and one access line per request."""

import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime

from pythonjsonlogger.json import JsonFormatter

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
correlation_id_var: ContextVar[str | None] = ContextVar("correlation_id", default=None)

# One line per request (method, route, status, duration and the ids), by shared.health.
access_log = logging.getLogger("mpp.access")


class _ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.correlation_id = correlation_id_var.get()
        return True


def _utc_time(record: logging.LogRecord, _: str | None = None) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _JsonFormatter(JsonFormatter):
    formatTime = staticmethod(_utc_time)  # type: ignore[assignment]


class _TextFormatter(logging.Formatter):
    formatTime = staticmethod(_utc_time)  # type: ignore[assignment]


def configure_logging(*, service: str, level: str = "INFO", json: bool = True) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_ContextFilter())
    if json:
        handler.setFormatter(
            _JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(correlation_id)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                static_fields={"service": service},
            )
        )
    else:
        handler.setFormatter(
            _TextFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s "
                "[request %(request_id)s, correlation %(correlation_id)s]"
            )
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # shared.health's observe_middleware writes the access lines, with the ids aiohttp's lacks.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
