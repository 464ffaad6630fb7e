"""Logs that carry the request and correlation ids of the work in progress, stamped in UTC
(RFC 3339), and one access line per request."""

import logging
import sys
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from datetime import UTC, datetime

from aiohttp import web
from pythonjsonlogger.json import JsonFormatter

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
correlation_id_var: ContextVar[str | None] = ContextVar("correlation_id", default=None)

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
    # Our access_log_middleware writes the access lines, with the ids aiohttp's cannot know.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)


@web.middleware
async def access_log_middleware(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """One line per request: method, route template, status, duration, and (from the
    context) the request and correlation ids, so a request can be followed by its id."""
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    finally:
        resource = request.match_info.route.resource
        access_log.info(
            "%s %s %s",
            request.method,
            request.path,
            status,
            extra={
                "method": request.method,
                "route": resource.canonical if resource is not None else "unmatched",
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            },
        )
