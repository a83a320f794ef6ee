import datetime
import io

import pytest
from django.db.models import Count
from freezegun import freeze_time
from PIL import Image
from pypdf import PdfReader

from registrations import demo
from registrations.models import Registration, RegistrationDocument, Year
from units import demo as units_demo
from units.models import Unit

S = Registration.Status


@pytest.mark.django_db
@freeze_time("2026-11-23 10:00")
def test_demo_tells_a_year_in_progress_in_both_communes_and_runs_again_without_duplicates():
    units_demo.seed()
    first = demo.seed()
    second = demo.seed()
    assert first.startswith("năm 2026 của Tỉnh Gia Lai: thêm ")
    assert second.endswith(f"thêm 0 bản đăng ký (tổng {Registration.objects.count()})")

    # Đak Đoa closed its villages' registration three days ago (its own date); Kon Gang is on the
    # province's dates, still open.
    for commune, late in (("Xã Kon Gang", 0), ("Xã Đak Đoa", 1)):
        regs = Registration.objects.filter(unit__path__startswith=Unit.objects.get(name=commune).path)
        states = dict(regs.values_list("status").annotate(n=Count("pk")))
        assert states[S.SUBMITTED] == 2
        assert states[S.RETURNED] == 1
        assert states[S.ACCEPTED] >= 5
        assert regs.filter(is_late=True).count() == late
        assert regs.get(status=S.RETURNED).return_reason == demo.RETURN_REASON
        unregistered = (
            Unit.objects.under(Unit.objects.get(name=commune)).participating().exclude(registrations__year__number=2026)
        )
        assert 2 <= unregistered.count() <= 3
    # The demo village head's village is left for the self-service form.
    assert not Registration.objects.filter(unit__name="Làng Kon Gang Tơ Pơng").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("today", ["2026-01-03", "2026-06-15", "2026-12-30"])
def test_every_step_of_the_demo_year_lies_ahead_whatever_the_day_it_runs(today):
    with freeze_time(today):
        units_demo.seed()
        demo.seed()
        day = datetime.date.fromisoformat(today)
        year = Year.objects.get(number=day.year)
        village = Unit.objects.get(name="Làng Kon Gang Tơ Pơng")
        deadline = year.deadline_for(village)
        steps = [getattr(deadline, field) for field in demo.STEPS_AHEAD]
        assert steps == sorted(steps)
        assert min(steps) > day
        assert deadline.period_start < day < deadline.period_end
        assert not Registration.objects.filter(registered_on__gt=day).exists()


def test_demo_documents_are_a_readable_pdf_and_png():
    assert PdfReader(io.BytesIO(demo.tiny_pdf("NGHI QUYET 2026"))).pages[0].extract_text() == "NGHI QUYET 2026"
    assert Image.open(io.BytesIO(demo.tiny_png())).size == (48, 64)


@pytest.mark.django_db
def test_demo_without_the_demo_communes_does_nothing():
    assert demo.seed() == "bỏ qua: chưa có dữ liệu xã Kon Gang, Đak Đoa (chạy units.demo trước)"
    assert RegistrationDocument.objects.count() == 0
