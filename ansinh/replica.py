"""Reports and dashboards read from a PostgreSQL read replica when REPLICA_DATABASE_URL is set.

Only the views wrapped in `reads_from_replica` read there, and only what they read themselves: a replica
lags the primary by a moment, which a year's figures tolerate and a form just saved does not. Sessions and
login throttling always read the primary (a person just signed in must stay signed in). Writes never go to
the replica. Without REPLICA_DATABASE_URL this router is not installed and the wrapper changes nothing.
"""

import functools
from contextlib import contextmanager
from contextvars import ContextVar

REPLICA = "replica"
# State that must be current on every host: read where it is written.
PRIMARY_ONLY_APPS = {"sessions", "axes", "django_tasks_db"}

_reading_reports = ContextVar("reading_reports", default=False)


@contextmanager
def replica_reads():
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


def reads_from_replica(view):
    """Put it below @login_required, so that the session and the signed-in person are read from the primary."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped


class Router:
    def db_for_read(self, model, **hints):
        if _reading_reports.get() and model._meta.app_label not in PRIMARY_ONLY_APPS:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
