"""What a board row shows, prepared once in Python: URLs, badges, the ratio and the missing items as ready
HTML. Per-row {% url %} and tags were most of the board's rendering time (88 of 159 ms at 40 rows)."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from ansinh.display import url_maker
from registrations import queries
from registrations.models import Registration

STATUS_BADGES = {
    status: format_html('<span class="badge text-bg-{}">{}</span>', Registration.STATUS_COLOURS[status], label)
    for status, label in Registration.Status.choices
}
NO_REGISTRATION = mark_safe('<span class="badge text-bg-light border">Chưa đăng ký</span>')  # noqa: S308 (a constant)
LATE = mark_safe(' <span class="badge text-bg-danger">Muộn</span>')  # noqa: S308 (a constant)
ON_PAPER = mark_safe(  # noqa: S308 (a constant)
    ' <span class="badge text-bg-light border" title="Nộp bản giấy"><i class="bi bi-file-earmark-text"></i></span>'
)
COMPLETE = mark_safe('<span class="text-success"><i class="bi bi-check-circle"></i> Đủ</span>')  # noqa: S308
NOT_REGISTERED = mark_safe('<span class="text-muted">Chưa đăng ký</span>')  # noqa: S308 (a constant)


def _ratio(unit):
    if unit.reg_id is None:
        return "—"
    base, committed = unit.reg_base, unit.reg_committed
    share = f"{100 * committed / base:.0f}%" if base else "—"
    colour = "text-danger" if committed < base else "text-success"
    return format_html('{}/{} <span class="{}">({})</span>', committed, base, colour, share)


def board_rows(rows, year, user):
    """Set on each unit of `queries.board_units` what its board row shows and may do."""
    suffix = f"?nam={year.number}"
    detail, paper, form_pdf = (
        url_maker("registrations:detail"),
        url_maker("registrations:paper", suffix),
        url_maker("registrations:form_pdf", suffix),
    )
    rows = queries.fill_missing_lists(rows)
    for unit in rows:
        unit.can_accept = year.is_open and user.has_perm("registrations.accept", unit)
        unit.can_enter = year.is_open and user.has_perm("registrations.enter_paper", unit)
        unit.pickable = unit.can_accept and unit.reg_status == Registration.Status.SUBMITTED
        unit.detail_url = detail(unit.reg_public_id) if unit.reg_public_id else ""
        unit.paper_url = paper(unit.public_id) if unit.reg_id is None and unit.can_enter else ""
        unit.pdf_url = form_pdf(unit.public_id)
        badge = STATUS_BADGES.get(unit.reg_status, NO_REGISTRATION)
        unit.badges = format_html("{}{}{}", badge, LATE if unit.reg_late else "", ON_PAPER if unit.reg_on_paper else "")
        unit.registered_on_text = f"{unit.reg_registered_on:%d/%m/%Y}" if unit.reg_registered_on else "—"
        unit.ratio_html = _ratio(unit)
        if unit.reg_id is None:
            unit.missing_html = NOT_REGISTERED
        elif unit.missing_list:
            items = ((m,) for m in unit.missing_list)
            unit.missing_html = format_html_join("", '<div class="text-danger">{}</div>', items)
        else:
            unit.missing_html = COMPLETE
    return rows
