"""What waits for a person: the queues their home page leads with.

Each app answers for its own work in `<app>/queues.py` (`for_user(user) -> list[Queue]`), built on
querysets scoped through ansinh.access; this module only gathers them in the order a person reads them.
"""

import datetime
from dataclasses import dataclass, field
from importlib import import_module

from django.utils import timezone

# Returned work first (the person must act), then work that arrives from others, then the person's own
# background jobs.
PROVIDERS = ("registrations.queues", "dossiers.queues", "ansinh.jobs")
ITEMS_SHOWN = 5


@dataclass
class Item:
    title: str
    url: str
    due: datetime.date | None = None
    note: str = ""
    action_url: str = ""
    action_label: str = ""

    @property
    def is_overdue(self):
        return self.due is not None and self.due < timezone.localdate()


@dataclass
class Queue:
    title: str
    count: int
    url: str
    items: list[Item] = field(default_factory=list)
    style: str = "primary"

    @property
    def more(self):
        return self.count - len(self.items)


def build(title, queryset, item, *, url, order, style="primary"):
    """A queue: the count of the plain filtered `queryset`, and its first rows in `order(queryset)` (oldest
    deadline first, with what the items show) as items; None when nothing waits, so an empty queue takes
    no room on the page. Counting the plain queryset keeps the deadline subqueries out of the COUNT."""
    count = queryset.count()
    if not count:
        return None
    return Queue(title, count, url, [item(row) for row in order(queryset)[:ITEMS_SHOWN]], style)


def for_user(user) -> list[Queue]:
    """Each provider builds only the queues of the roles the person holds."""
    queues = []
    for name in PROVIDERS:
        queues += [q for q in import_module(name).for_user(user) if q is not None]
    return queues
