"""The one command that runs background jobs: `manage.py run_worker`.

It is django-tasks-db's `db_worker` with a stable worker id (this host's name unless given), so that on
start it can queue again whatever it held when it was killed; after each task it also re-queues jobs of
other workers whose lease ran out, and on start it prunes old jobs (ansinh/jobs.py)."""

import socket

from django_tasks_db.compat import task_finished
from django_tasks_db.management.commands import db_worker

from ansinh import jobs

RECOVER_AFTER_TASK = "ansinh-recover-after-task"


def _recover_after_task(**kwargs):
    jobs.recover()


class Command(db_worker.Command):
    help = "Chạy tác vụ nền (re-queues jobs a killed worker left running, prunes old ones, then works)"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # A restarted worker recognises its own orphans by this id: it must be unique in the pool and stay
        # the same across restarts (one worker per host by default; give each its own id otherwise).
        parser.set_defaults(worker_id=socket.gethostname()[:64])

    def handle(self, *args, **options):
        self.configure_logging(options["verbosity"])
        requeued = jobs.recover(worker_id=options["worker_id"])
        pruned, task_rows = jobs.prune()
        self.stdout.write(
            f"Worker {options['worker_id']}: {len(requeued)} job(s) re-queued, "
            f"{pruned} old job(s) and {task_rows} task row(s) pruned."
        )
        task_finished.connect(_recover_after_task, dispatch_uid=RECOVER_AFTER_TASK)
        try:
            super().handle(*args, **options)
        finally:
            task_finished.disconnect(dispatch_uid=RECOVER_AFTER_TASK)
