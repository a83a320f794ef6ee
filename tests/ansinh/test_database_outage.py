"""While the database restarts, a page says in Vietnamese that the portal is busy (503, retry) instead of
the generic error page; other server errors keep the 500 page."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from tests.factories import UserFactory

SESSION_LOAD = "django.contrib.sessions.backends.db.SessionStore.load"


@pytest.fixture
def signed_in(db):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    return client


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("connection to server at 127.0.0.1 failed: Connection refused"),
        InterfaceError("connection already closed"),
    ],
)
def test_unreachable_database_answers_busy_page(signed_in, error):
    with mock.patch(SESSION_LOAD, side_effect=error):
        response = signed_in.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Hệ thống đang bận, vui lòng thử lại" in page
    assert "mở lại trang để xem đã lưu chưa" in page


def test_a_post_during_the_outage_gets_the_busy_page(signed_in):
    with mock.patch(SESSION_LOAD, side_effect=OperationalError("server closed the connection unexpectedly")):
        response = signed_in.post("/thong-bao/da-doc/")
    assert response.status_code == 503
    assert "Hệ thống đang bận" in response.content.decode()


def test_other_failures_keep_the_error_page(signed_in):
    with mock.patch(SESSION_LOAD, side_effect=RuntimeError("bug")):
        response = signed_in.get("/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Hệ thống đang gặp sự cố" in page
    assert "Hệ thống đang bận" not in page
