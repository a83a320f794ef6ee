"""Each person's menu and home page show the work of their roles, asked of named permissions."""

import re

import pytest
from django.urls import reverse
from freezegun import freeze_time

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UNITS = "/don-vi/"
# The personal menu: notifications, own background jobs, password.
ALWAYS = {"/", "/thong-bao/", "/tac-vu/", "/doi-mat-khau/"}


def menu_links(client, user):
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    nav = html[html.index("<nav") : html.index("</nav>")]
    return [href for href in re.findall(r'href="([^"#]+)"', nav) if href not in ALWAYS]


def urls(*names):
    return [reverse(name) for name in names]


SCORES, STATISTICS = "scoring:list", "reports:index"


@pytest.mark.parametrize(
    ("person", "entries"),
    [
        ("clerk", ["registrations:index", "dossiers:list", "dossiers:incident_list", SCORES, STATISTICS]),
        ("village_head", ["registrations:mine", "dossiers:list", SCORES]),
        (
            "steering_office",
            [
                "registrations:progress_home",
                "dossiers:list",
                "dossiers:review_desk",
                "dossiers:decision_list",
                "dossiers:incident_list",
                SCORES,
                STATISTICS,
            ],
        ),
        (
            "chairman",
            [
                "registrations:progress_home",
                "dossiers:list",
                "dossiers:review_desk",
                "dossiers:decision_list",
                SCORES,
                STATISTICS,
                "two_factor",
            ],
        ),
        ("records_clerk", ["registrations:progress_home", "dossiers:list", "dossiers:decision_list", STATISTICS]),
        (
            "province_admin",
            [
                "registrations:progress_home",
                "dossiers:list",
                "dossiers:decision_list",
                "dossiers:incident_list",
                STATISTICS,
                "admin:index",
                "two_factor",
            ],
        ),
    ],
)
def test_the_menu_shows_the_entries_of_the_persons_roles(request, client, person, entries):
    assert menu_links(client, request.getfixturevalue(person)) == [UNITS, *urls(*entries)]


def test_an_account_without_a_role_sees_only_the_units_entry(client):
    assert menu_links(client, UserFactory(username="chua.phan.quyen")) == [UNITS]


@freeze_time("2026-03-02")
def test_home_cards_follow_the_same_permissions(client, clerk, chairman, records_clerk):
    def card_titles(user):
        client.force_login(user)
        return re.findall(r'<h2 class="h6"><i class="bi [^"]+"></i> ([^<]+)</h2>', client.get("/").content.decode())

    scoring, statistics, certificates = "Chấm điểm, xếp loại phong trào", "Thống kê", "Giấy công nhận"
    assert card_titles(clerk) == ["Đơn vị", "Đăng ký phấn đấu năm 2026", "Hồ sơ đề nghị công nhận", scoring, statistics]
    assert card_titles(chairman) == [
        "Đơn vị",
        "Tiến độ đăng ký năm 2026",
        "Thẩm định và công nhận",
        scoring,
        statistics,
        certificates,
    ]
    assert card_titles(records_clerk) == [
        "Đơn vị",
        "Tiến độ đăng ký năm 2026",
        "Quyết định công nhận",
        statistics,
        certificates,
    ]


def test_only_the_chairman_is_told_that_decisions_are_issued_from_the_review_card(client, chairman, steering_office):
    client.force_login(chairman)
    assert "đề nghị công nhận, ban hành quyết định." in client.get("/").content.decode()
    client.force_login(steering_office)
    assert "đề nghị công nhận, ban hành quyết định." not in client.get("/").content.decode()
