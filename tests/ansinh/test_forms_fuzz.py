"""Generated text, numbers and dates for the main forms: the answer is a success or a Vietnamese error,
never a 500, and a refusal saves nothing. Each example runs in a transaction that is rolled back, so the
examples do not see each other's rows."""

import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansinh.models import AuditEvent
from dossiers.models import Incident, IncidentKind
from registrations import services, workflow
from registrations.models import Registration
from tests.factories import kind
from units.models import Unit

# How many examples: the Hypothesis profile in tests/conftest.py.
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE)
TRICKY = "\x00\x01\x1f\x7f\u202e\u0958ßﬃ\t\n\r đĐáàảãạ aZ09=+-@"

texts = st.one_of(st.text(max_size=260), st.text(alphabet=TRICKY, max_size=260), st.just(""))
numbers = st.one_of(
    st.integers(min_value=-(10**13), max_value=10**13).map(str), st.text(alphabet="0123456789.,-e ", max_size=15)
)
dates = st.one_of(st.dates().map(lambda d: d.strftime("%d/%m/%Y")), st.text(alphabet="0123456789/-", max_size=12))


def rows():
    return (Unit.objects.count(), Registration.objects.count(), Incident.objects.count(), AuditEvent.objects.count())


def errors_of(response) -> list[str]:
    form = response.context["form"]
    return [str(e) for errors in form.errors.values() for e in errors]


def answer(client, url, data):
    """POST inside a rolled-back transaction; returns (response, rows before, rows after)."""
    with transaction.atomic():
        before = rows()
        response = client.post(url, data)
        after = rows()
        transaction.set_rollback(True)
    return response, before, after


def check_form_answer(response, before, after):
    if response.status_code == 302:
        assert after != before
        return
    assert response.status_code == 200
    errors = errors_of(response)
    assert errors
    assert all(VIETNAMESE.search(e) for e in errors), errors
    assert after == before


@pytest.fixture
def this_year(province):
    return services.open_year(province, timezone.localdate().year)


@FUZZ
@given(name=texts, size=numbers, address=texts)
def test_unit_form_answers_in_vietnamese(client, kon_gang, clerk, name, size, address):
    client.force_login(clerk)
    url = reverse("units:add_child", args=[kon_gang.public_id])
    check_form_answer(*answer(client, url, {"name": name, "kind": kind("thon").pk, "size": size, "address": address}))


@FUZZ
@given(base=numbers, committed=numbers, note=texts)
def test_registration_form_answers_in_vietnamese(client, this_year, village, village_head, base, committed, note):
    client.force_login(village_head)
    url = reverse("registrations:create", args=[village.public_id])
    check_form_answer(*answer(client, url, {"base_count": base, "committed_count": committed, "note": note}))


@FUZZ
@given(day=dates, base=numbers, committed=numbers, note=texts, model=texts)
def test_paper_entry_answers_in_vietnamese(client, this_year, village, clerk, day, base, committed, note, model):
    client.force_login(clerk)
    url = reverse("registrations:paper", args=[village.public_id])
    data = {"registered_on": day, "base_count": base, "committed_count": committed, "note": note}
    check_form_answer(*answer(client, url, {**data, "movement_model": model}))


@FUZZ
@given(day=dates, description=texts)
def test_incident_form_answers_in_vietnamese(client, village, clerk, day, description):
    client.force_login(clerk)
    data = {"unit": village.pk, "occurred_on": day, "kind": IncidentKind.values[0], "description": description}
    check_form_answer(*answer(client, reverse("dossiers:incident_create"), data))


@FUZZ
@given(reason=texts)
def test_return_reason_answers_in_vietnamese(client, this_year, village, clerk, reason):
    registration = (
        services.start_registration(
            unit=village,
            year=this_year,
            user=clerk,
            registered_on=timezone.localdate(),
            base_count=5,
            committed_count=5,
        )
        if not Registration.objects.filter(unit=village).exists()
        else Registration.objects.get(unit=village)
    )
    if registration.status == Registration.Status.DRAFT:
        workflow.perform(registration, "submit", clerk)
    client.force_login(clerk)
    url = reverse("registrations:transition", args=[registration.public_id, "return"])
    with transaction.atomic():
        response = client.post(url, {"reason": reason}, follow=True)
        status = Registration.objects.get(pk=registration.pk).status
        transaction.set_rollback(True)
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert VIETNAMESE.search(messages[0]), messages
    if messages[0].startswith("Trả lại"):
        assert status == Registration.Status.RETURNED
    else:
        assert status == Registration.Status.SUBMITTED
