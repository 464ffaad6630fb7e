import json
import logging

import pytest

from shared.logging import configure_logging, correlation_id_var, request_id_var
from shared.settings import ServiceSettings
from workspaces.settings import WorkspacesSettings


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONGO_URL", "mongodb://db.example:27017")
    monkeypatch.setenv("BUS_RETRY_DELAYS_MS", "[10, 20]")
    monkeypatch.setenv("HTTP_PORT", "9000")

    settings = WorkspacesSettings()

    assert settings.mongo_url == "mongodb://db.example:27017"
    assert settings.bus_retry_delays_ms == [10, 20]
    assert settings.http_port == 9000
    assert settings.mongo_database == "workspaces"  # the service's own default


def test_a_bad_setting_fails_at_start_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PORT", "eighty")
    with pytest.raises(ValueError, match="http_port"):
        ServiceSettings()


def test_log_lines_are_json_with_the_request_and_correlation_ids(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging(service="svc", level="INFO", json=True)
    request_token = request_id_var.set("req-1")
    correlation_token = correlation_id_var.set("corr-1")
    try:
        logging.getLogger("test").info("hello %s", "world")
    finally:
        request_id_var.reset(request_token)
        correlation_id_var.reset(correlation_token)

    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["message"] == "hello world"
    assert line["request_id"] == "req-1"
    assert line["correlation_id"] == "corr-1"
    assert line["service"] == "svc"
    assert line["level"] == "INFO"
