"""`check --deploy` refuses sessions kept in a cache that the workers do not share."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/9"}}
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
FILES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": "/tmp/x"}}


def ids(settings, caches, engine):
    from ansinh.checks import sessions_live_where_every_worker_finds_them

    settings.CACHES, settings.SESSION_ENGINE = caches, f"django.contrib.sessions.backends.{engine}"
    return [m.id for m in sessions_live_where_every_worker_finds_them(None)]


def test_cache_sessions_need_a_cache_every_worker_shares(settings):
    assert ids(settings, LOCMEM, "cache") == ["ansinh.E001"]
    assert ids(settings, FILES, "cache") == ["ansinh.W001"]
    assert ids(settings, REDIS, "cache") == []


def test_database_sessions_need_nothing_shared_but_the_database(settings):
    assert ids(settings, LOCMEM, "db") == []
    assert ids(settings, LOCMEM, "cached_db") == []


def test_check_deploy_stops_on_it(settings):
    settings.CACHES, settings.SESSION_ENGINE = LOCMEM, "django.contrib.sessions.backends.cache"
    with pytest.raises(SystemCheckError, match="ansinh.E001"):
        call_command("check", "--deploy", "--tag", "caches")
