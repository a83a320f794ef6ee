"""Work on the year that is not a state change: opening a province's year from the defaults."""

import datetime

from registrations.models import Deadline, DeadlineDefault, Year


def _on(day_month: str, year: int) -> datetime.date:
    day, month = (int(x) for x in day_month.split("/"))
    return datetime.date(year, month, day)


def open_year(province, year: int) -> Year:
    """Create (or return) a province's year with every category's dates taken from the defaults."""
    obj, _ = Year.objects.get_or_create(province=province, year=year)
    for d in DeadlineDefault.objects.all():
        Deadline.objects.get_or_create(
            year=obj,
            category=d.category,
            defaults=dict(
                registration_due=_on(d.registration_due, year),
                registration_compiled_due=_on(d.registration_compiled_due, year),
                period_start=_on(d.period_start, year - 1),
                period_end=_on(d.period_end, year),
                dossier_due=_on(d.dossier_due, year),
                review_due=_on(d.review_due, year),
                recognition_due=_on(d.recognition_due, year),
            ),
        )
    return obj
