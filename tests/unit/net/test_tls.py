"""The one TLS policy of both channels, and TLS failures in words."""

from __future__ import annotations

import logging
import ssl

import certifi
import pytest

from dashboard_desktop.config import Settings
from dashboard_desktop.net.tls import (
    ca_file,
    describe_tls_failure,
    log_verification_off,
    requests_verify,
    ssl_context,
)

HTTPS = Settings(server_url="https://dash.example.org")


def test_both_channels_verify_with_the_same_cas_when_settings_are_default() -> None:
    context = ssl_context(HTTPS)

    assert requests_verify(HTTPS) == ca_file(HTTPS) == certifi.where()  # never True
    assert context is not None
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.get_ca_certs()  # certifi's bundle, loaded


def test_both_channels_skip_verification_when_verify_tls_is_false() -> None:
    settings = HTTPS.with_overrides(verify_tls=False)
    context = ssl_context(settings)

    assert requests_verify(settings) is False
    assert context is not None
    assert context.verify_mode == ssl.CERT_NONE and not context.check_hostname


def test_no_context_when_server_url_is_plain_http() -> None:
    assert ssl_context(Settings(server_url="http://127.0.0.1:8765")) is None


def test_failure_is_said_in_words_when_certificate_is_not_trusted() -> None:
    inner = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] ...")
    inner.verify_message = "self-signed certificate"
    try:
        try:
            raise inner
        except ssl.SSLError as exc:
            raise ConnectionError("Connection error") from exc
    except ConnectionError as outer:
        described = describe_tls_failure(outer)

    assert described == "TLS error: certificate verify failed: self-signed certificate"


def test_failure_is_not_tls_when_no_ssl_error_is_among_the_causes() -> None:
    assert describe_tls_failure(ConnectionRefusedError(111, "refused")) is None


@pytest.mark.parametrize(("verify", "logged"), [(False, 1), (True, 0)])
def test_verification_off_is_logged_as_warning_when_verify_tls_is_false(
    caplog: pytest.LogCaptureFixture, verify: bool, logged: int
) -> None:
    logger = logging.getLogger("test.tls")
    with caplog.at_level(logging.INFO):
        log_verification_off(HTTPS.with_overrides(verify_tls=verify), logger, "connect")

    records = [r for r in caplog.records if getattr(r, "event", "") == "tls_verification_off"]
    assert len(records) == logged
    assert all(r.levelno == logging.WARNING for r in records)
