import datetime
import io
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from ansinh.models import Notification
from dossiers.models import (
    Attendee,
    Decision,
    Dossier,
    DossierStatus,
    Incident,
    IncidentKind,
    MeetingMinutes,
)
from registrations.services import open_year
from tests.dossiers.conftest import TINY_PDF, attach, make_dossier, register
from tests.factories import UnitFactory, kind, person
from units.models import Role

S = DossierStatus


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def dossier(village, year):
    return make_dossier(village, year)


def test_clerk_of_other_commune_gets_404_on_dossier_document_decision_and_incident(
    client, outsider_clerk, dossier, decision, clerk, village
):
    doc = dossier.documents.first()
    incident = Incident.objects.create(
        unit=village, occurred_on=datetime.date(2026, 3, 1), kind=IncidentKind.OTHER, description="x", recorded_by=clerk
    )
    client.force_login(outsider_clerk)
    urls = [
        reverse("dossiers:detail", args=[dossier.public_id]),
        reverse("dossiers:document", args=[dossier.public_id, doc.public_id]),
        reverse("dossiers:minutes", args=[dossier.public_id]),
        reverse("dossiers:decision_detail", args=[decision.public_id]),
        reverse("dossiers:decision_pdf", args=[decision.public_id]),
        reverse("dossiers:incident_detail", args=[incident.public_id]),
    ]
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    assert (
        client.post(reverse("dossiers:transition", args=[dossier.public_id]), {"action": "submit"}).status_code == 404
    )


def test_outsider_list_shows_none_of_kon_gangs_dossiers(client, outsider_clerk, dossier, dak_doa_village, year):
    own = make_dossier(dak_doa_village, year)
    client.force_login(outsider_clerk)

    response = client.get(reverse("dossiers:list"))

    assert [d.pk for d in response.context["page"]] == [own.pk]


def test_village_head_opens_documents_inline_and_as_download(client, village_head, dossier):
    doc = dossier.documents.first()
    client.force_login(village_head)
    url = reverse("dossiers:document", args=[dossier.public_id, doc.public_id])

    inline = client.get(url + "?xem=1")
    download = client.get(url)

    assert inline["Content-Disposition"].startswith("inline")
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(inline.streaming_content) == TINY_PDF


def test_village_head_uploads_a_document_and_a_fake_pdf_is_refused(client, village_head, dossier):
    client.force_login(village_head)
    url = reverse("dossiers:document_upload", args=[dossier.public_id])

    ok = client.post(url, {"doc_type": "other", "file": SimpleUploadedFile("anh.pdf", TINY_PDF)}, follow=True)
    bad = client.post(url, {"doc_type": "other", "file": SimpleUploadedFile("gia.pdf", b"khong phai pdf")}, follow=True)

    assert messages_of(ok) == ["Đã tải lên «anh.pdf»."]
    assert messages_of(bad)[0].startswith("Tệp «gia.pdf» không phải định dạng được chấp nhận")
    assert list(dossier.documents.filter(doc_type="other").values_list("original_name", flat=True)) == ["anh.pdf"]


def test_reviewer_cannot_upload_into_someone_elses_dossier(client, steering_office, dossier):
    client.force_login(steering_office)

    response = client.post(
        reverse("dossiers:document_upload", args=[dossier.public_id]),
        {"doc_type": "other", "file": SimpleUploadedFile("a.pdf", TINY_PDF)},
    )

    assert response.status_code == 403
    assert dossier.documents.count() == 3


def test_village_head_records_the_minutes_with_attendees_and_a_scan(client, village_head, dossier):
    client.force_login(village_head)
    data = {
        "met_on": "2026-10-20",
        "chaired_by": "A Blơi",
        "conclusion": "Đề nghị công nhận.",
        "scan": SimpleUploadedFile("bien-ban.pdf", TINY_PDF),
        "members_present": "9",
        "members_agreeing": "8",
        "attendees-TOTAL_FORMS": "2",
        "attendees-INITIAL_FORMS": "0",
        "attendees-0-name": "Y Hơn",
        "attendees-0-capacity": "party_secretary",
        "attendees-1-name": "Đinh Văn Thu",
        "attendees-1-capacity": "commune_police",
    }

    response = client.post(reverse("dossiers:minutes", args=[dossier.public_id]), data)

    assert response.status_code == 302
    minutes = MeetingMinutes.objects.get(dossier=dossier)
    assert (minutes.chaired_by, minutes.document.original_name) == ("A Blơi", "bien-ban.pdf")
    assert minutes.vote_line == "8/9 thành viên nhất trí"
    assert list(Attendee.objects.values_list("name", "capacity")) == [
        ("Y Hơn", "party_secretary"),
        ("Đinh Văn Thu", "commune_police"),
    ]


def test_minutes_dated_in_the_future_are_refused_and_nothing_is_saved(client, village_head, dossier):
    client.force_login(village_head)

    response = client.post(
        reverse("dossiers:minutes", args=[dossier.public_id]),
        {
            "met_on": "2999-01-01",
            "chaired_by": "A",
            "conclusion": "x",
            "attendees-TOTAL_FORMS": "0",
            "attendees-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["met_on"] == ["Ngày họp không được sau ngày hôm nay."]
    assert MeetingMinutes.objects.count() == 0


def test_round_from_submission_to_recommendation_through_the_pages(client, village_head, steering_office, dossier):
    url = reverse("dossiers:transition", args=[dossier.public_id])
    client.force_login(village_head)
    assert messages_of(client.post(url, {"action": "submit"}, follow=True)) == [
        "Hồ sơ của Làng Kon Gang Tơ Pơng: Đã nộp."
    ]
    client.force_login(steering_office)
    client.post(url, {"action": "start_review"}, follow=True)
    refused = client.post(url, {"action": "return", "reason": ""}, follow=True)
    assert messages_of(refused) == ["Vui lòng ghi rõ lý do."]

    page = client.get(reverse("dossiers:detail", args=[dossier.public_id]))
    form = page.context["criteria_form"]
    answers = {name: "pass" for name in form.fields if name.startswith("outcome_")}
    client.post(reverse("dossiers:criteria", args=[dossier.public_id]), answers, follow=True)
    done = client.post(url, {"action": "recommend"}, follow=True)

    assert messages_of(done) == ["Hồ sơ của Làng Kon Gang Tơ Pơng: Đề nghị công nhận."]
    confirmed = f"Xác nhận {len(answers)} tiêu chí (0 không đạt)"
    assert [e.title for e in done.context["timeline"]][-4:] == [
        "Nộp hồ sơ",
        "Bắt đầu thẩm định",
        confirmed,
        "Đề nghị công nhận",
    ]


def test_failing_a_judgement_item_needs_a_note(client, steering_office, village, year):
    dossier = make_dossier(village, year, S.IN_REVIEW)
    client.force_login(steering_office)
    page = client.get(reverse("dossiers:detail", args=[dossier.public_id]))
    first = next(name for name in page.context["criteria_form"].fields if name.startswith("outcome_"))

    response = client.post(reverse("dossiers:criteria", args=[dossier.public_id]), {first: "fail"}, follow=True)

    assert messages_of(response) == ["Chưa lưu: ghi rõ lý do cho mỗi tiêu chí đánh giá không đạt."]
    assert dossier.checks.count() == 0


def test_clerk_opens_a_dossier_for_a_registered_unit(client, clerk, other_village, year):
    register(other_village, year)
    client.force_login(clerk)

    response = client.post(reverse("dossiers:create"), {"unit": other_village.pk}, follow=True)

    dossier = Dossier.objects.get(unit=other_village)
    assert (dossier.status, dossier.year) == (S.DRAFT, year)
    assert messages_of(response)[0].startswith("Đã lập hồ sơ đề nghị công nhận của Thôn Hà Lòng.")


def test_unit_without_accepted_registration_cannot_have_a_dossier(client, clerk, other_village, year):
    register(other_village, year, status="submitted")
    client.force_login(clerk)

    response = client.post(reverse("dossiers:create"), {"unit": other_village.pk}, follow=True)

    assert messages_of(response) == ["Đơn vị này không lập được hồ sơ (chưa được tiếp nhận đăng ký hoặc đã có hồ sơ)."]
    assert Dossier.objects.count() == 0


def test_chairman_issues_a_decision_from_the_page(client, chairman, kon_gang, village, other_village, year):
    dossiers = [make_dossier(u, year, S.RECOMMENDED) for u in (village, other_village)]
    client.force_login(chairman)
    url = reverse("dossiers:decision_create", args=[kon_gang.public_id])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "dossiers": [d.pk for d in dossiers],
            "issued_on": "2026-11-14",
            "symbol": "QĐ-UBND",
            "capacity": "deputy",
            "signer_name": "Trần Thị Bình",
            "number": 1,
            "confirm": "1",
        },
        follow=True,
    )

    decision = Decision.objects.get()
    assert messages_of(response) == ["Đã ban hành Quyết định số 01/QĐ-UBND."]
    assert set(Dossier.objects.values_list("status", flat=True)) == {S.RECOGNISED}
    assert decision.capacity_lines == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def test_decision_with_a_future_date_is_refused_and_nothing_is_issued(client, chairman, kon_gang, village, year):
    dossier = make_dossier(village, year, S.RECOMMENDED)
    client.force_login(chairman)

    response = client.post(
        reverse("dossiers:decision_create", args=[kon_gang.public_id]),
        {
            "dossiers": [dossier.pk],
            "issued_on": "2999-01-01",
            "symbol": "QĐ-UBND",
            "capacity": "chairman",
            "signer_name": "A",
        },
    )

    assert response.context["form"].errors["issued_on"] == ["Ngày ban hành không được sau ngày hôm nay."]
    assert Decision.objects.count() == 0


def test_steering_office_cannot_issue_decisions(client, steering_office, kon_gang):
    client.force_login(steering_office)

    assert client.get(reverse("dossiers:decision_create", args=[kon_gang.public_id])).status_code == 404


def test_records_clerk_prints_the_decision_with_every_unit_and_its_number(client, records_clerk, decision):
    client.force_login(records_clerk)

    response = client.get(reverse("dossiers:decision_pdf", args=[decision.public_id]))

    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    for expected in (
        "Số: 01/QĐ-UBND",
        "Thôn Đê Kjiêng",
        "Thôn Hà Lòng",
        "QUYẾT ĐỊNH",
        "Kon Gang, ngày 14 tháng 11 năm 2026",
        "Nơi nhận:",
        "TM. ỦY BAN NHÂN DÂN",
        "Nguyễn Văn An",
        "PHỤ LỤC",
    ):
        assert expected in text


def test_village_head_cannot_print_the_communes_decision(client, village_head, decision):
    client.force_login(village_head)

    assert client.get(reverse("dossiers:decision_pdf", args=[decision.public_id])).status_code == 404


def test_police_clerk_records_an_incident_and_a_future_date_is_refused(client, clerk, village):
    client.force_login(clerk)
    url = reverse("dossiers:incident_create")

    bad = client.post(
        url,
        {
            "unit": village.pk,
            "occurred_on": "2999-01-01",
            "kind": "fire_explosion",
            "description": "Cháy",
            "disqualifying": "on",
        },
    )
    ok = client.post(
        url,
        {
            "unit": village.pk,
            "occurred_on": "2026-03-01",
            "kind": "fire_explosion",
            "description": "Cháy nhà kho",
            "disqualifying": "on",
        },
    )

    assert bad.context["form"].errors["occurred_on"] == ["Ngày xảy ra không được sau ngày hôm nay."]
    incident = Incident.objects.get()
    assert ok.url == reverse("dossiers:incident_detail", args=[incident.public_id])
    assert (incident.unit, incident.recorded_by) == (village, clerk)


def test_village_head_cannot_record_incidents(client, village_head):
    client.force_login(village_head)

    assert client.get(reverse("dossiers:incident_create")).status_code == 403


def test_incident_form_offers_only_units_of_the_clerks_commune(client, clerk, village, dak_doa_village):
    client.force_login(clerk)

    response = client.post(
        reverse("dossiers:incident_create"),
        {
            "unit": dak_doa_village.pk,
            "occurred_on": "2026-03-01",
            "kind": "other",
            "description": "x",
        },
    )

    assert response.status_code == 200
    assert Incident.objects.count() == 0


def _desk_dossiers(kon_gang, year, n):
    for i in range(n):
        unit = UnitFactory(name=f"Thôn thẩm định {i}", kind=kind("thon"), parent=kon_gang)
        dossier = make_dossier(unit, year, S.SUBMITTED)
        attach(dossier, "other")


@pytest.mark.parametrize("n", [1, 12])
def test_review_desk_lists_dossiers_waiting_at_my_level_in_constant_queries(
    client, steering_office, kon_gang, year, dak_doa_village, n, django_assert_max_num_queries
):
    _desk_dossiers(kon_gang, year, n)
    make_dossier(dak_doa_village, year, S.SUBMITTED)
    make_dossier(kon_gang, year, S.SUBMITTED)
    client.force_login(steering_office)

    # Two of them read the rules held as data: the required documents and the recognition share; one the
    # incidents under every listed unit.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("dossiers:review_desk"))

    assert len(response.context["rows"]) == n
    assert all(d.unit.parent_id == kon_gang.pk for d, _ in response.context["rows"])


@pytest.mark.parametrize("n", [1, 12])
def test_dossier_list_runs_in_constant_queries(client, clerk, kon_gang, year, n, django_assert_max_num_queries):
    _desk_dossiers(kon_gang, year, n)
    client.force_login(clerk)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("dossiers:list"))

    assert response.context["page"].paginator.count == n


def test_overdue_dossier_stands_out_on_the_list(client, clerk, village, year, settings):
    make_dossier(village, year)
    client.force_login(clerk)

    import freezegun

    with freezegun.freeze_time("2026-10-30"):
        response = client.get(reverse("dossiers:list"))

    assert "bi-exclamation-triangle-fill" in response.content.decode()
    assert 'class="table-danger"' in response.content.decode()


def test_province_desk_lists_the_commune_but_not_its_villages(
    client, province_steering_office, kon_gang, village, year
):
    commune = make_dossier(kon_gang, year, S.SUBMITTED)
    make_dossier(village, year, S.SUBMITTED)
    client.force_login(province_steering_office)

    response = client.get(reverse("dossiers:review_desk"))

    assert [d.pk for d, _ in response.context["rows"]] == [commune.pk]


def test_unit_and_clerk_hear_when_the_decision_recognises_them(
    client, chairman, kon_gang, village, year, village_head, clerk, django_capture_on_commit_callbacks
):
    dossier = make_dossier(village, year, S.RECOMMENDED)
    client.force_login(chairman)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("dossiers:decision_create", args=[kon_gang.public_id]),
            {
                "dossiers": [dossier.pk],
                "issued_on": "2026-11-14",
                "symbol": "QĐ-UBND",
                "capacity": "chairman",
                "signer_name": "Nguyễn Văn Nam",
                "number": 1,
                "confirm": "1",
            },
        )

    assert sorted(Notification.objects.values_list("recipient__username", "title", "url")) == [
        (name, "Làng Kon Gang Tơ Pơng đã được công nhận đạt tiêu chuẩn", f"/ho-so/{dossier.public_id}/")
        for name in ("congan.konggang", "truongthon.konggang")
    ]


@pytest.mark.parametrize("extra_documents", [0, 10])
def test_dossier_page_reads_in_constant_queries(
    client, steering_office, village, year, extra_documents, django_assert_max_num_queries
):
    dossier = make_dossier(village, year, S.IN_REVIEW)
    for _ in range(extra_documents):
        attach(dossier, "other")
    client.force_login(steering_office)

    # Whatever the number of documents: the session and user, the grants, the dossier, the rules held as
    # data (required documents, criteria, share), the checks, the minutes, the timeline (audit rows of the
    # dossier and of its incidents, documents, comments; content types are cached in a server), the
    # notification count, the documents and the scoring panel's two sheets.
    with django_assert_max_num_queries(18):
        client.get(reverse("dossiers:detail", args=[dossier.public_id]))


@pytest.mark.parametrize("issued_on", ["0001-01-01", "2025-12-31"])
def test_decision_dated_before_the_evaluation_year_is_refused_and_nothing_is_issued(
    client, chairman, kon_gang, village, year, issued_on
):
    dossier = make_dossier(village, year, S.RECOMMENDED)
    client.force_login(chairman)

    response = client.post(
        reverse("dossiers:decision_create", args=[kon_gang.public_id]),
        {
            "dossiers": [dossier.pk],
            "issued_on": issued_on,
            "symbol": "QĐ-UBND",
            "capacity": "chairman",
            "signer_name": "A",
        },
    )

    assert response.context["form"].errors["issued_on"] == [
        "Ngày ban hành phải từ ngày 01/01/2026 (năm đánh giá) đến ngày hôm nay."
    ]
    assert Decision.objects.count() == 0
    assert Dossier.objects.get().status == S.RECOMMENDED


@pytest.mark.parametrize("typed", ["LÀNG KON GANG", "lang kon gang to pong", "Tơ Pơng"])
def test_dossier_and_incident_lists_find_a_unit_typed_in_any_case_with_or_without_diacritics(
    client, clerk, village, other_village, year, typed
):
    make_dossier(village, year)
    make_dossier(other_village, year)
    Incident.objects.create(
        unit=village, occurred_on=datetime.date(2026, 3, 1), kind=IncidentKind.OTHER, description="x"
    )
    client.force_login(clerk)

    dossiers = client.get(reverse("dossiers:list"), {"q": typed}).context["page"].object_list
    incidents = client.get(reverse("dossiers:incident_list"), {"q": typed}).context["page"].object_list

    assert [d.unit for d in dossiers] == [village]
    assert [i.unit for i in incidents] == [village]


def test_review_desk_lists_the_oldest_deadline_first_whatever_the_state(
    client, steering_office, kon_gang, village, year
):
    agency = UnitFactory(name="Trường Tiểu học Kon Gang", kind=kind("co-so-giao-duc"), parent=kon_gang)
    year.deadlines.filter(category=village.kind.category).update(review_due=datetime.date(2026, 10, 1))
    year.deadlines.filter(category=agency.kind.category).update(review_due=datetime.date(2026, 12, 1))
    make_dossier(agency, year, S.IN_REVIEW)
    make_dossier(village, year, S.SUBMITTED)
    client.force_login(steering_office)

    response = client.get(reverse("dossiers:review_desk"))

    assert [(d.unit.name, d.due_date) for d, _ in response.context["rows"]] == [
        ("Làng Kon Gang Tơ Pơng", datetime.date(2026, 10, 1)),
        ("Trường Tiểu học Kon Gang", datetime.date(2026, 12, 1)),
    ]


def test_unit_page_lists_every_dossier_year_in_the_same_number_of_queries(client, clerk, province, village, year):
    make_dossier(village, year)
    client.force_login(clerk)
    url = reverse("units:detail", args=[village.public_id])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for past in range(2021, 2026):
        make_dossier(village, open_year(province, past))

    with CaptureQueriesContext(connection) as six:
        response = client.get(url)

    assert len(six) == len(one)
    for shown in range(2021, 2027):
        assert f"Năm {shown}</a>" in response.content.decode()


@pytest.mark.parametrize(
    ("title", "capacity"),
    [
        ("Phó Chủ tịch", "deputy"),
        ("PHÓ CHỦ TỊCH", "deputy"),
        (unicodedata.normalize("NFD", "Phó Chủ tịch"), "deputy"),
        ("Chủ tịch", "on_behalf"),
        ("", "on_behalf"),
    ],
)
def test_decision_form_signs_for_the_chairman_when_a_deputy_issues_it(client, kon_gang, title, capacity):
    signer = person(Role.CHAIRMAN, kon_gang, "ky.konggang", title=title)
    client.force_login(signer)

    response = client.get(reverse("dossiers:decision_create", args=[kon_gang.public_id]))

    assert response.context["form"]["capacity"].value() == capacity
