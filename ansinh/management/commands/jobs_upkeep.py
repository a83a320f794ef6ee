"""Re-queue background jobs whose worker died and prune old ones, outside the worker (cron, or after a
host was lost for good). `run_worker` does the same on start."""

from django.core.management.base import BaseCommand

from ansinh import jobs


class Command(BaseCommand):
    help = "Đưa lại vào hàng đợi tác vụ nền bị bỏ dở, xoá tác vụ nền cũ"

    def handle(self, *args, **options):
        requeued = jobs.recover()
        pruned, task_rows = jobs.prune()
        self.stdout.write(f"{len(requeued)} job(s) re-queued, {pruned} old job(s) and {task_rows} task row(s) pruned.")
