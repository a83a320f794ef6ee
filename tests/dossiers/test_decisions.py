"""Issuing a decision: preview then confirmation, numbers never dated before the previous one, the
«Xét Tờ trình» line, Nghị định 30 page numbers; and the minutes' chair, attendees and vote."""

import datetime
import io

import pytest
from django.urls import reverse
from freezegun import freeze_time
from pypdf import PdfReader

from dossiers import services
from dossiers.models import Decision, DecisionCounter, Dossier, DossierStatus, MeetingMinutes
from tests.dossiers.conftest import make_dossier
from tests.factories import UnitFactory

S = DossierStatus
MM = 72 / 25.4
A4_HEIGHT = 297 * MM


def form_data(dossiers, issued_on="2026-11-14", **extra):
    return {
        "dossiers": [d.pk for d in dossiers],
        "issued_on": issued_on,
        "symbol": "QĐ-UBND",
        "capacity": "on_behalf",
        "signer_name": "Nguyễn Văn An",
        **extra,
    }


def issue(kon_gang, dossiers, chairman, day):
    return services.issue_decision(
        issuer=kon_gang,
        dossiers=dossiers,
        user=chairman,
        issued_on=day,
        signer_name="Nguyễn Văn An",
        capacity="on_behalf",
        symbol="QĐ-UBND",
    )


def counter(kon_gang):
    return DecisionCounter.objects.filter(issuer=kon_gang).values_list("last_number", flat=True).first() or 0


def pdf_pages(client, decision):
    response = client.get(reverse("dossiers:decision_pdf", args=[decision.public_id]))
    return [page.extract_text() for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages]


def top_margin_texts(page):
    """The texts drawn in the page's top margin (A4, 20 mm), with their x position in points."""
    found = []

    def visit(text, cm, tm, font, size):
        x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        if text.strip() and y > A4_HEIGHT - 20 * MM:
            found.append((text.strip(), x))

    page.extract_text(visitor_text=visit)
    return found


def flat(text):
    """The PDF's text with its line breaks undone, so a sentence reads as one line."""
    return " ".join(text.split())


def test_issuing_without_confirmation_shows_the_preview_and_takes_no_number(client, chairman, kon_gang, village, year):
    dossier = make_dossier(village, year, S.RECOMMENDED)
    client.force_login(chairman)

    response = client.post(reverse("dossiers:decision_create", args=[kon_gang.public_id]), form_data([dossier]))

    assert response.templates[0].name == "dossiers/decision_preview.html"
    page = response.content.decode()
    assert "Khi bấm «Xác nhận ban hành», quyết định nhận <strong>Số: 01/QĐ-UBND</strong>" in page
    assert "Làng Kon Gang Tơ Pơng" in page
    assert "Điều 1." in page
    assert (Decision.objects.count(), counter(kon_gang)) == (0, 0)
    assert Dossier.objects.get().status == S.RECOMMENDED


def test_confirming_the_preview_issues_the_number_that_was_shown(client, chairman, kon_gang, village, year):
    dossier = make_dossier(village, year, S.RECOMMENDED)
    client.force_login(chairman)
    url = reverse("dossiers:decision_create", args=[kon_gang.public_id])

    response = client.post(url, form_data([dossier], number=1, confirm="1"), follow=True)

    assert [str(m) for m in response.context["messages"]] == ["Đã ban hành Quyết định số 01/QĐ-UBND."]
    assert (Decision.objects.get().number, counter(kon_gang)) == (1, 1)


def test_confirming_after_someone_took_the_number_is_refused_and_shows_the_new_number(
    client, chairman, kon_gang, village, other_village, year
):
    issue(kon_gang, [make_dossier(other_village, year, S.RECOMMENDED)], chairman, datetime.date(2026, 11, 14))
    dossier = make_dossier(village, year, S.RECOMMENDED)
    client.force_login(chairman)

    response = client.post(
        reverse("dossiers:decision_create", args=[kon_gang.public_id]),
        form_data([dossier], number=1, confirm="1"),
    )

    assert response.context["form"].non_field_errors() == [
        "Số quyết định vừa thay đổi: số 01 đã được cấp cho quyết định khác. "
        "Vui lòng xem lại quyết định với số 02 trước khi ban hành."
    ]
    assert (Decision.objects.count(), counter(kon_gang)) == (1, 1)
    assert Dossier.objects.get(pk=dossier.pk).status == S.RECOMMENDED


PREVIOUS_IS_LATER = (
    "Ngày ban hành 10/11/2026 sớm hơn ngày của quyết định số trước (Quyết định số 01/QĐ-UBND ngày 14/11/2026). "
    "Số 02 phải mang ngày từ 14/11/2026 trở đi."
)


@pytest.mark.parametrize("confirm", [{}, {"number": 2, "confirm": "1"}])
def test_decision_dated_before_the_previous_number_is_refused_and_nothing_is_saved(
    client, chairman, kon_gang, village, other_village, year, confirm
):
    issue(kon_gang, [make_dossier(other_village, year, S.RECOMMENDED)], chairman, datetime.date(2026, 11, 14))
    dossier = make_dossier(village, year, S.RECOMMENDED)
    client.force_login(chairman)

    response = client.post(
        reverse("dossiers:decision_create", args=[kon_gang.public_id]),
        form_data([dossier], issued_on="2026-11-10", **confirm),
    )

    assert response.context["form"].non_field_errors() == [PREVIOUS_IS_LATER]
    assert (Decision.objects.count(), counter(kon_gang)) == (1, 1)
    assert Dossier.objects.get(pk=dossier.pk).status == S.RECOMMENDED


def test_the_service_refuses_a_date_before_the_previous_number_without_using_the_number(
    chairman, kon_gang, village, other_village, year
):
    issue(kon_gang, [make_dossier(other_village, year, S.RECOMMENDED)], chairman, datetime.date(2026, 11, 14))
    dossier = make_dossier(village, year, S.RECOMMENDED)

    with pytest.raises(services.Refused) as refused:
        issue(kon_gang, [dossier], chairman, datetime.date(2026, 11, 10))

    assert str(refused.value) == PREVIOUS_IS_LATER
    assert counter(kon_gang) == 1
    later = issue(kon_gang, [dossier], chairman, datetime.date(2026, 11, 14))
    assert later.number_label == "02/QĐ-UBND"


def test_a_new_calendar_year_starts_again_whatever_the_last_years_dates(
    chairman, kon_gang, village, other_village, year
):
    issue(kon_gang, [make_dossier(other_village, year, S.RECOMMENDED)], chairman, datetime.date(2026, 11, 14))

    assert issue(
        kon_gang, [make_dossier(village, year, S.RECOMMENDED)], chairman, datetime.date(2026, 11, 14)
    ).number_label == ("02/QĐ-UBND")


def test_request_line_comes_from_the_dossiers_and_is_left_out_without_one(
    client, chairman, records_clerk, kon_gang, village, other_village, year
):
    with_request = make_dossier(village, year, S.RECOMMENDED)
    Dossier.objects.filter(pk=with_request.pk).update(request_number="05/TTr-KDC", request_date="2026-10-25")
    first = issue(kon_gang, [with_request], chairman, datetime.date(2026, 11, 14))
    second = issue(kon_gang, [make_dossier(other_village, year, S.RECOMMENDED)], chairman, datetime.date(2026, 11, 14))
    client.force_login(records_clerk)

    first_text, second_text = flat(pdf_pages(client, first)[0]), flat(pdf_pages(client, second)[0])

    assert "Xét Tờ trình số 05/TTr-KDC ngày 25/10/2026 của Làng Kon Gang Tơ Pơng;" in first_text
    assert "Xét Tờ trình" not in second_text


def test_request_line_typed_on_the_decision_form_wins(client, chairman, records_clerk, kon_gang, village, year):
    dossier = make_dossier(village, year, S.RECOMMENDED)
    Dossier.objects.filter(pk=dossier.pk).update(request_number="05/TTr-KDC", request_date="2026-10-25")
    client.force_login(chairman)
    typed = {
        "request_number": "12/TTr-CAX",
        "request_date": "10/11/2026",
        "request_from": "Công an xã Kon Gang",
    }

    preview = client.post(reverse("dossiers:decision_create", args=[kon_gang.public_id]), form_data([dossier], **typed))
    assert "Xét Tờ trình số 12/TTr-CAX ngày 10/11/2026 của Công an xã Kon Gang;" in preview.content.decode()
    client.post(
        reverse("dossiers:decision_create", args=[kon_gang.public_id]),
        form_data([dossier], number=1, confirm="1", **typed),
    )

    client.force_login(records_clerk)
    text = flat(pdf_pages(client, Decision.objects.get())[0])
    assert "Xét Tờ trình số 12/TTr-CAX ngày 10/11/2026 của Công an xã Kon Gang;" in text
    assert "05/TTr-KDC" not in text


def test_request_number_without_its_date_is_refused_on_the_decision_form(client, chairman, kon_gang, village, year):
    dossier = make_dossier(village, year, S.RECOMMENDED)
    client.force_login(chairman)

    response = client.post(
        reverse("dossiers:decision_create", args=[kon_gang.public_id]),
        form_data([dossier], request_number="12/TTr-CAX", request_from="Công an xã Kon Gang"),
    )

    assert response.context["form"].errors["request_date"] == ["Ghi ngày của tờ trình."]
    assert Decision.objects.count() == 0


def test_page_numbers_follow_nghi_dinh_30_top_centre_from_page_two(client, chairman, records_clerk, kon_gang, year):
    dossiers = [
        make_dossier(UnitFactory(name=f"Thôn số {i:02d}", parent=kon_gang), year, S.RECOMMENDED, documents=False)
        for i in range(70)
    ]
    decision = issue(kon_gang, dossiers, chairman, datetime.date(2026, 11, 14))
    client.force_login(records_clerk)

    response = client.get(reverse("dossiers:decision_pdf", args=[decision.public_id]))
    pages = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages

    assert len(pages) >= 3
    assert top_margin_texts(pages[0]) == []
    assert [line for line in pages[0].extract_text().splitlines() if line.strip().replace("/", "").isdigit()] == []
    for n in (2, 3):
        ((text, x),) = top_margin_texts(pages[n - 1])
        assert text == str(n)
        # Centred between the 30 mm left and 15 mm right margins, give or take the digit's width.
        assert abs(x - (30 + (210 - 45) / 2) * MM) < 5 * MM


# Minutes ---------------------------------------------------------------------------------------------


def minutes_data(**changes):
    data = {
        "met_on": "2026-10-20",
        "chaired_by": "A Blơi",
        "conclusion": "Đề nghị công nhận.",
        "members_present": "9",
        "members_agreeing": "8",
        "attendees-TOTAL_FORMS": "2",
        "attendees-INITIAL_FORMS": "0",
        "attendees-0-name": "Y Hơn",
        "attendees-0-capacity": "party_secretary",
        "attendees-1-name": "",
        "attendees-1-capacity": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "where", "message"),
    [
        ({"attendees-0-name": "", "attendees-0-capacity": ""}, None, "Ghi ít nhất một thành phần tham dự"),
        ({"chaired_by": "   "}, "chaired_by", "Ghi họ tên người chủ trì cuộc họp."),
        ({"members_present": ""}, "members_present", "Ghi số thành viên dự họp."),
        ({"members_present": "0"}, "members_present", "Cuộc họp phải có ít nhất 1 thành viên dự."),
        (
            {"members_agreeing": "10"},
            "members_agreeing",
            "Số thành viên nhất trí không được lớn hơn số thành viên dự họp.",
        ),
        ({"members_agreeing": "99999999999"}, "members_agreeing", "Số thành viên không được lớn hơn 10000."),
    ],
)
def test_minutes_without_chair_attendees_or_a_sound_vote_are_refused_and_nothing_is_saved(
    client, village_head, village, year, changes, where, message
):
    dossier = make_dossier(village, year)
    client.force_login(village_head)

    response = client.post(reverse("dossiers:minutes", args=[dossier.public_id]), minutes_data(**changes))

    assert response.status_code == 200
    if where is None:
        assert response.context["formset"].non_form_errors() == [
            "Ghi ít nhất một thành phần tham dự cuộc họp (họ tên và tư cách)."
        ]
        assert message in response.content.decode()
    else:
        assert response.context["form"].errors[where] == [message]
    assert MeetingMinutes.objects.count() == 0


def test_the_vote_is_shown_on_the_dossier_page(client, village_head, steering_office, village, year):
    dossier = make_dossier(village, year)
    client.force_login(village_head)
    client.post(reverse("dossiers:minutes", args=[dossier.public_id]), minutes_data())
    client.force_login(steering_office)

    page = client.get(reverse("dossiers:detail", args=[dossier.public_id])).content.decode()

    assert '<dt class="col-4">Biểu quyết</dt><dd class="col-8">8/9 thành viên nhất trí</dd>' in page


# The tờ trình on the dossier --------------------------------------------------------------------------


def test_village_head_records_the_request_on_the_dossier_with_an_audit_row(client, village_head, village, year):
    dossier = make_dossier(village, year)
    client.force_login(village_head)

    client.post(
        reverse("dossiers:request", args=[dossier.public_id]),
        {"request_number": "05/TTr-KDC", "request_date": "25/10/2026"},
    )

    dossier.refresh_from_db()
    assert (dossier.request_number, dossier.request_date) == ("05/TTr-KDC", datetime.date(2026, 10, 25))
    from ansinh.audit import history

    assert [e.changes for e in history(dossier) if e.action == "request"] == [
        {"request_number": ["", "05/TTr-KDC"], "request_date": ["", "25/10/2026"]}
    ]


def test_request_cannot_change_once_submitted_and_outsider_gets_404(
    client, village_head, outsider_clerk, village, year
):
    dossier = make_dossier(village, year, S.SUBMITTED)
    url = reverse("dossiers:request", args=[dossier.public_id])
    client.force_login(village_head)

    response = client.post(url, {"request_number": "05/TTr-KDC", "request_date": "25/10/2026"}, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Chỉ sửa được tờ trình khi hồ sơ đang là bản nháp hoặc được yêu cầu bổ sung."
    ]
    assert Dossier.objects.get().request_number == ""
    client.force_login(outsider_clerk)
    assert client.post(url, {"request_number": "x"}).status_code == 404


@freeze_time("2026-11-20 09:00")
def test_decision_form_warns_when_the_recognition_deadline_has_passed(client, chairman, kon_gang, village, year):
    make_dossier(village, year, S.RECOMMENDED)
    client.force_login(chairman)

    page = client.get(reverse("dossiers:decision_create", args=[kon_gang.public_id])).content.decode()

    assert "Đã quá hạn quyết định công nhận 15/11/2026 — quyết định sẽ ban hành muộn." in page
