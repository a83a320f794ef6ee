"""Every URL pattern of the project, as every demo account, with objects from inside and outside the
account's jurisdiction, by GET and by POST:

- anonymous: a redirect to the login page (public pages answer as PUBLIC says, and a code they do not
  know is 404);
- an object outside the jurisdiction: 404, whatever the role (a 403 would confirm it exists);
- inside: never a server error, and the wrong role is refused where WRONG_ROLE says so;
- a GET, and a refused POST, write nothing (no INSERT/UPDATE/DELETE but the session's and the login
  throttle's, and the audit row of a private download).

A new URL is swept without editing this file, as long as its parameters are known to FILLERS; a parameter
this file cannot fill fails the test with the line to add.
"""

import datetime
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, reset_queries
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from ansinh import pdf, receipts
from ansinh.models import Job, Notification
from certificates.models import Certificate
from certificates.services import issue_for_decision
from dossiers.models import Capacity, Decision, Dossier, DossierDocument, DossierStatus, Incident, IncidentKind
from registrations.models import Registration, RegistrationDocument, Year
from registrations.services import open_year
from tests.factories import UnitFactory, UserFactory, kind
from units.demo import ACCOUNTS
from units.models import Role, RoleAssignment, Unit

# The Django admin checks is_staff itself and is swept only at its door (below).
SKIPPED_NAMESPACES = {"admin"}
# Public pages and their anonymous answer, with the world's real codes filled in; like every anonymous
# request, a GET there writes nothing.
PUBLIC = {"login": 200, "logout": 302, "lookup": 200, "certificates:verify": 200}
# The public look-ups asked for a code nobody holds (no receipt code has year "00"): 404, writing nothing.
UNKNOWN_CODES = {
    "lookup": lambda: reverse("lookup") + "?" + urlencode({"ma": "ANTT-00-0000-0000"}),
    "certificates:verify": lambda: reverse("certificates:verify", args=["khong-co-ma-nay"]),
}
# Query strings a page needs to do its work (the lookup reads the receipt code from `ma`).
QUERIES = {"lookup": lambda w: {"ma": w.registration.receipt_code}}
PROVINCE_ACCOUNTS = {"bcd.gialai", "chutich.gialai"}
# Commune accounts work in Kon Gang except this one.
HOME_WORLD = {"congan.dakdoa": "dak-doa"}
# The demo administrator is a superuser: the whole system is inside.
EVERYWHERE_ACCOUNTS = {"quantri"}
ALLOWED_INSIDE = {200, 302, 403, 404, 405}
# Wrong roles inside their own jurisdiction: these accounts must be refused (403, or 404 where the page
# exists only for the right role), by GET and by POST. Stated here, not derived from the rules.
NOT_CLERKS = {
    "truongthon.konggang",
    "bcd.konggang",
    "chutich.konggang",
    "vanthu.konggang",
    "bcd.gialai",
    "chutich.gialai",
}
EVERYONE = {username for username, *_ in ACCOUNTS}
# Two-factor login is offered to the chairmen and the administrator.
NOT_TWO_FACTOR = EVERYONE - {"quantri", "chutich.konggang", "chutich.gialai"}
WRONG_ROLE = {
    "units:edit": NOT_CLERKS,
    "registrations:paper": NOT_CLERKS,
    "dossiers:incident_create": EVERYONE - {"congan.konggang", "congan.dakdoa"},
    "dossiers:decision_create": EVERYONE - {"chutich.konggang"},
    "audit_log": EVERYONE - {"quantri"},
    "units:roles": EVERYONE - {"quantri"},
    "units:role_revoke": EVERYONE - {"quantri"},
    "units:move": EVERYONE - {"quantri"},
    "two_factor": NOT_TWO_FACTOR,
    "two_factor_start": NOT_TWO_FACTOR,
    "two_factor_confirm": NOT_TWO_FACTOR,
    "two_factor_qr": NOT_TWO_FACTOR,
    "two_factor_backup_codes": NOT_TWO_FACTOR,
    "two_factor_people": EVERYONE - {"quantri"},
    "two_factor_reset": EVERYONE - {"quantri"},
    "certificates:revoke": EVERYONE - {"chutich.konggang", "quantri"},
    # The review score (kind_slug "tham-dinh" below): the commune's standing office, and its chairman who
    # also reviews; never the unit's own preparers.
    "scoring:enter": EVERYONE - {"bcd.konggang", "chutich.konggang", "quantri"},
}
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
QUIET_TABLES = ("django_session", "axes_")
# Reading a private document leaves an audit row, the one write a GET makes on purpose.
DOWNLOAD_AUDIT = re.compile(r"""^\s*INSERT INTO "ansinh_auditevent" .*'download'""", re.DOTALL)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class World:
    """One object of every kind a URL can name, all under one commune."""

    province: Unit
    commune: Unit
    village: Unit
    registration: Registration
    registration_document: RegistrationDocument
    dossier: Dossier
    dossier_document: DossierDocument
    decision: Decision
    incident: Incident
    notification: Notification
    role_assignment: RoleAssignment
    certificate: Certificate
    job: Job


# (namespace, first segment of the app's route, parameter) → the value for a world.
# Add a line here when a URL brings a new parameter or a new route prefix.
FILLERS = {
    ("", "thong-bao", "pk"): lambda w: w.notification.pk,
    ("units", "", "public_id"): lambda w: w.village.public_id,
    ("registrations", "bang", "public_id"): lambda w: w.commune.public_id,
    ("registrations", "don-vi", "public_id"): lambda w: w.village.public_id,
    ("registrations", "tien-do", "public_id"): lambda w: w.commune.public_id,
    ("registrations", "moc-thoi-gian", "public_id"): lambda w: w.province.public_id,
    ("registrations", "tai-lieu", "public_id"): lambda w: w.registration_document.public_id,
    ("registrations", "", "public_id"): lambda w: w.registration.public_id,
    ("registrations", "", "action"): lambda w: "accept",
    ("dossiers", "", "public_id"): lambda w: w.dossier.public_id,
    ("dossiers", "", "document_id"): lambda w: w.dossier_document.public_id,
    ("dossiers", "quyet-dinh", "public_id"): lambda w: w.decision.public_id,
    ("dossiers", "quyet-dinh", "issuer_id"): lambda w: w.commune.public_id,
    ("dossiers", "vu-viec", "public_id"): lambda w: w.incident.public_id,
    ("dossiers", "luu-tru", "public_id"): lambda w: w.commune.public_id,
    ("units", "phan-quyen", "pk"): lambda w: w.role_assignment.pk,
    ("", "tai-khoan", "pk"): lambda w: w.role_assignment.user_id,
    ("scoring", "ung-vien", "list_slug"): lambda w: "khen-thuong",
    ("scoring", "ho-so", "public_id"): lambda w: w.dossier.public_id,
    ("scoring", "ho-so", "kind_slug"): lambda w: "tham-dinh",
    ("reports", "", "public_id"): lambda w: w.commune.public_id,
    ("certificates", "quyet-dinh", "public_id"): lambda w: w.decision.public_id,
    ("certificates", "danh-sach-dang-ky", "public_id"): lambda w: w.commune.public_id,
    ("certificates", "lenh-in", "public_id"): lambda w: w.job.public_id,
    ("", "tac-vu", "public_id"): lambda w: w.job.public_id,
    ("certificates", "xac-minh", "code"): lambda w: w.certificate.code,
    ("certificates", "", "public_id"): lambda w: w.certificate.public_id,
}


def url_patterns(resolver=None, namespace=""):
    """(full name, namespace, app-relative route, parameter names) of every named URL."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if inner not in SKIPPED_NAMESPACES:
                yield from url_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            route = str(entry.pattern)
            yield (f"{namespace}:{entry.name}" if namespace else entry.name, namespace, route, entry.pattern.converters)


def first_segment(route: str) -> str:
    head = route.split("/", 1)[0]
    return "" if "<" in head else head


def fill(name, namespace, route, params, world):
    kwargs, missing = {}, []
    for param in params:
        filler = FILLERS.get((namespace, first_segment(route), param))
        if filler is None:
            missing.append(
                f"{name} ({route}): add FILLERS[({namespace!r}, {first_segment(route)!r}, {param!r})] = "
                "lambda w: <the value from a World> in tests/test_url_sweep.py"
            )
        else:
            kwargs[param] = filler(world)
    url = reverse(name, kwargs=kwargs)
    if name in QUERIES:
        url += "?" + urlencode(QUERIES[name](world))
    return url, missing


def make_world(province, commune, tag, job_owner=None) -> World:
    year = Year.objects.filter(province=province, number=timezone.localdate().year).first() or open_year(
        province, timezone.localdate().year
    )
    village = UnitFactory(name=f"Thôn quét {tag}", kind=kind("thon"), parent=commune, households=40)
    owner = UserFactory(username=f"nguoi-lam-{tag}", first_name="Người", last_name=tag)
    registration = Registration.objects.create(
        unit=village,
        year=year,
        status=Registration.Status.ACCEPTED,
        registered_on=datetime.date(year.number, 1, 15),
        base_count=40,
        committed_count=40,
        created_by=owner,
        receipt_code=receipts.draw(year.number),
        submitted_at=timezone.now(),
    )
    reg_doc = RegistrationDocument(registration=registration, doc_type="other")
    reg_doc.fill_from_upload(SimpleUploadedFile(f"{tag}.pdf", PDF), owner).save()
    dossier = Dossier.objects.create(
        unit=village,
        year=year,
        registration=registration,
        status=DossierStatus.SUBMITTED,
        receipt_code=receipts.draw(year.number),
        submitted_at=timezone.now(),
    )
    dossier_doc = DossierDocument(dossier=dossier, doc_type="report")
    dossier_doc.fill_from_upload(SimpleUploadedFile(f"{tag}-bao-cao.pdf", PDF), owner).save()
    decision = Decision.objects.create(
        issuer=commune,
        year=year,
        calendar_year=year.number,
        number=900,
        symbol="QĐ-UBND",
        issued_on=datetime.date(year.number, 1, 20),
        signer_name="Người Ký",
        capacity=Capacity.ON_BEHALF,
        issued_by=owner,
    )
    incident = Incident.objects.create(
        unit=village,
        occurred_on=datetime.date(year.number, 1, 5),
        kind=IncidentKind.values[0],
        description="Quét",
        recorded_by=owner,
    )
    notification = Notification.objects.create(recipient=owner, title="Thông báo", url="/")
    helper = UserFactory(username=f"can-bo-{tag}", first_name="Cán bộ", last_name=tag)
    role_assignment = RoleAssignment.objects.create(user=helper, role=Role.RECORDS_CLERK, unit=commune)
    Dossier.objects.filter(pk=dossier.pk).update(decision=decision)
    (certificate,) = issue_for_decision(decision, get_user_model().objects.get(username="quantri"))
    job = Job.objects.create(
        kind="certificates",
        title=f"Giấy công nhận {tag}",
        params={"decision_id": decision.pk},
        requested_by=job_owner or owner,
        total=1,
        filename=f"giay-cong-nhan-{tag}.pdf",
    )
    return World(
        province,
        commune,
        village,
        registration,
        reg_doc,
        dossier,
        dossier_doc,
        decision,
        incident,
        notification,
        role_assignment,
        certificate,
        job,
    )


def writes(queries) -> list[str]:
    return [
        q["sql"][:120]
        for q in queries
        if WRITE.match(q["sql"]) and not any(t in q["sql"] for t in QUIET_TABLES) and not DOWNLOAD_AUDIT.match(q["sql"])
    ]


def request(client, method, url):
    """(status, writes); a server error is reported as 500 with its exception, so the sweep goes on."""
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        try:
            response = client.get(url) if method == "GET" else client.post(url, {})
        except Exception as exc:  # noqa: BLE001 - every server error is a finding, whatever its type
            return 500, "", [repr(exc)[:200]]
    return response.status_code, response.get("Location", ""), writes(queries.captured_queries)


@pytest.fixture(scope="module")
def worlds(demo_province, django_db_blocker):
    """The demo province and three worlds, built once for the module (so once per xdist worker) inside the
    demo's rolled-back transaction; each test's own savepoint undoes what its POSTs change, so every account
    meets the same worlds."""
    with django_db_blocker.unblock():
        gia_lai = Unit.objects.get(code="52")
        kon_gang, dak_doa = (Unit.objects.get(parent=gia_lai, name=n) for n in ("Xã Kon Gang", "Xã Đak Đoa"))
        elsewhere = UnitFactory(name="Tỉnh Ngoài", kind=kind("tinh"), code="99", households=None)
        records_clerk = get_user_model().objects.get(username="vanthu.konggang")
        return {
            "kon-gang": make_world(gia_lai, kon_gang, "kon-gang", job_owner=records_clerk),
            "dak-doa": make_world(gia_lai, dak_doa, "dak-doa"),
            "foreign": make_world(elsewhere, UnitFactory(name="Xã Ngoài", kind=kind("xa"), parent=elsewhere), "ngoai"),
        }


@pytest.fixture(scope="module")
def patterns():
    return list(url_patterns())


@pytest.fixture(autouse=True)
def _swept_as_the_demo_runs(db, settings, demo_province):
    """Each test in its own savepoint, with the demo's stored files; no login throttle, since every account
    sends hundreds of requests. No signing key: a decision's first print is stored unsigned (signing itself is
    tests/dossiers/test_signing.py's), as every account's savepoint makes it a first print again."""
    settings.AXES_ENABLED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": demo_province}},
    }


@pytest.fixture(scope="module")
def _rendered_documents():
    return {}


@pytest.fixture(autouse=True)
def _each_document_laid_out_once(monkeypatch, _rendered_documents):
    """The sweep asserts status codes and writes, not the PDF's bytes, and meets the same few documents
    hundreds of times (~1 s each to lay out). A printed document's template is still rendered on every
    request, so a broken context still fails there, and each distinct HTML is laid out for real once per
    module; what the documents say is asserted by the printing tests."""
    real = pdf.render_pdf

    def render_once(template_name, context):
        html = render_to_string(template_name, context)
        key = (template_name, hashlib.sha256(html.encode()).hexdigest())
        if key not in _rendered_documents:
            _rendered_documents[key] = real(template_name, context)
        return _rendered_documents[key]

    ours = {config.name for config in apps.get_app_configs() if Path(config.path).parent == settings.BASE_DIR}
    for name, module in list(sys.modules.items()):
        if name.partition(".")[0] in ours and getattr(module, "render_pdf", None) is real:
            monkeypatch.setattr(module, "render_pdf", render_once)


def test_every_url_parameter_has_a_filler(worlds, patterns):
    problems = []
    for name, namespace, route, params in patterns:
        _, missing = fill(name, namespace, route, params, worlds["kon-gang"])
        problems.extend(missing)
    assert problems == [], "\n".join(problems)


def test_every_url_sends_anonymous_visitors_to_the_login_page(worlds, patterns):
    login = reverse("login")
    anonymous = Client()
    problems = []
    for name, namespace, route, params in patterns:
        url, _ = fill(name, namespace, route, params, worlds["kon-gang"])
        for method in ("GET", "POST"):
            status, location, written = request(anonymous, method, url)
            ok = status in (PUBLIC[name], 405) if name in PUBLIC else status == 302 and location.startswith(login)
            if not ok or written:
                problems.append(f"anonymous {method} {url}: {status} {written}")
    for unknown in UNKNOWN_CODES.values():
        status, _, written = request(anonymous, "GET", unknown())
        if status != 404 or written:
            problems.append(f"anonymous GET {unknown()} (unknown code): {status} {written}")
    assert problems == [], "\n".join(problems)


# One test per account, so that pytest-xdist shares the accounts out between its workers.
@pytest.mark.parametrize("username", [username for username, *_ in ACCOUNTS])
def test_every_url_answers_every_account_as_its_jurisdiction_allows(username, worlds, patterns):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    home = HOME_WORLD.get(username, "kon-gang")
    if username in EVERYWHERE_ACCOUNTS:
        outside = []
    elif username in PROVINCE_ACCOUNTS:
        outside = ["foreign"]
    else:
        outside = [w for w in worlds if w != home]
    problems = []
    for name, namespace, route, params in patterns:
        if name in PUBLIC:
            continue
        home_url, _ = fill(name, namespace, route, params, worlds[home])
        for where in [home, *outside] if params else [home]:
            url, _ = fill(name, namespace, route, params, worlds[where])
            if where != home and url == home_url:
                continue  # The parameters name nothing of a world (a list's slug): swept at home only.
            for method in ("GET", "POST"):
                status, _, written = request(client, method, url)
                if where == home:
                    refused = status in (403, 404, 405)
                    ok = status in ALLOWED_INSIDE and not (written and (method == "GET" or refused))
                    if username in WRONG_ROLE.get(name, ()):
                        # A POST-only address answers 405 to any GET; its POST must be refused.
                        ok = ok and (status in (403, 404) or (status == 405 and method == "GET"))
                else:
                    # A POST-only address answers 405 to any GET before looking anything up.
                    ok = (status == 404 or (status == 405 and method == "GET")) and not written
                if not ok:
                    problems.append(f"{username} {method} {url} ({where}): {status} {written}")
    assert problems == [], "\n".join(problems)


def test_the_django_admin_lets_in_staff_only(client):
    assert client.get("/quan-tri/")["Location"].startswith("/quan-tri/login/")
    client.force_login(get_user_model().objects.get(username="congan.konggang"))
    assert client.get("/quan-tri/")["Location"].startswith("/quan-tri/login/")
