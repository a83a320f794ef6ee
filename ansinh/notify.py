"""In-portal notifications, and email when an SMTP server is configured."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from ansinh.models import Notification
from ansinh.text import fit

TITLE_MAX = Notification._meta.get_field("title").max_length
URL_MAX = Notification._meta.get_field("url").max_length


def notify(users, *, title: str, body: str = "", url: str = ""):
    """Queue one notification per distinct active user; written and mailed only if the transaction commits.

    A title built from a long unit name is shortened to its column. Delivery runs after the commit and
    never fails the request whose change it announces: an error there is logged, the change stays."""
    recipients = {u.pk: u for u in users if u is not None and u.is_active}
    title, url = fit(title, TITLE_MAX), url[:URL_MAX]

    def deliver():
        Notification.objects.bulk_create(
            [Notification(recipient=u, title=title, body=body, url=url) for u in recipients.values()]
        )
        if settings.EMAIL_NOTIFICATIONS:
            mails = [(title, f"{body}\n\n{url}".strip(), None, [u.email]) for u in recipients.values() if u.email]
            send_mass_mail(mails, fail_silently=True)

    transaction.on_commit(deliver, robust=True)


def people_with_roles(unit_ids, roles):
    """Active users holding any of `roles` at any of the units."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            role_assignments__unit_id__in=unit_ids, role_assignments__role__in=roles, role_assignments__is_active=True
        )
        .distinct()
    )


def mark_read(note):
    """Side effect: the notification's `read_at`, once (opening it again keeps the first time)."""
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])


def mark_all_read(user) -> int:
    """Side effect: every unread notification of `user` is marked read now; returns how many."""
    return Notification.objects.filter(recipient=user).unread().update(read_at=timezone.now())
