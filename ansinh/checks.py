"""`manage.py check --deploy`: what the workers and hosts of one portal must share."""

from django.conf import settings
from django.core import checks

CACHE_SESSIONS = "django.contrib.sessions.backends.cache"
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
PER_HOST_CACHES = {"django.core.cache.backends.filebased.FileBasedCache"}


@checks.register(checks.Tags.caches, deploy=True)
def sessions_live_where_every_worker_finds_them(app_configs, **kwargs):
    if settings.SESSION_ENGINE != CACHE_SESSIONS:
        return []
    backend = settings.CACHES["default"]["BACKEND"]
    if backend in PER_PROCESS_CACHES:
        return [
            checks.Error(
                "SESSION_STORE=cache with a cache of each worker's own: a person is signed out whenever another "
                "worker answers.",
                hint="Set CACHE_URL=redis://… or use SESSION_STORE=db / cached_db.",
                id="ansinh.E001",
            )
        ]
    if backend in PER_HOST_CACHES:
        return [
            checks.Warning(
                "SESSION_STORE=cache with a file cache: sessions are lost between hosts behind a balancer.",
                hint="With several hosts set CACHE_URL=redis://… or use SESSION_STORE=db / cached_db.",
                id="ansinh.W001",
            )
        ]
    return []
