"""Settings come from environment variables so one image serves a laptop and a province's server.

Without any variable the portal runs on SQLite with DEBUG on, which is what a newcomer wants.
"""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF

from ansinh import storage

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key-only-for-local-use" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Django's admin with the portal's input rules and two-step login (ansinh.adminsite).
    "ansinh.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ansinh",
    "units",
    "registrations",
    "dossiers",
    "scoring",
    "reports",
    "certificates",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ansinh.client.ClientAddressMiddleware",
    "ansinh.twofactor.Middleware",
    "registrations.middleware.YearNotOpenMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "ansinh.urls"
WSGI_APPLICATION = "ansinh.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ansinh.context_processors.navigation",
            ],
            "builtins": ["rules.templatetags.rules"],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A kept connection dies with a database restart; checked before each request reuses it, so no worker
# answers its first request after the restart with an error (bench/load.py, run B).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and a background command write at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
# Reports and dashboards may read from a PostgreSQL read replica (ansinh.replica); everything else, and every
# write, goes to DATABASE_URL. Tests mirror it onto the default database.
if env("REPLICA_DATABASE_URL", default=""):
    DATABASES["replica"] = env.db("REPLICA_DATABASE_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["ansinh.replica.Router"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits of the public pages, the national figures and signature checks live in the cache, so the
# workers must share one: a folder on the server by default, redis://… (Django's own Redis backend) when the
# portal runs on several machines. Login failures are counted in the database, shared by every host already.
CACHES = {
    "default": env.cache(
        "CACHE_URL", default="locmemcache://ansinh" if DEBUG else f"filecache://{BASE_DIR / 'var' / 'cache'}"
    )
}
# Sessions: "db" (default), "cached_db" (read from the cache, written to both) or "cache" (only in the cache;
# only with a shared, persistent cache such as Redis: a flushed cache signs everybody out).
SESSION_ENGINE = "django.contrib.sessions.backends." + env.str(
    "SESSION_STORE", default="db", choices=("db", "cached_db", "cache")
)

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account and address before any password is checked.
    "ansinh.login.Backend",
    "rules.permissions.ObjectPermissionBackend",
    "ansinh.backends.AdminModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Failed logins per (account, address) before every login form (the admin's too) refuses for
# LOGIN_LOCKOUT_SECONDS; LOGIN_ADDRESS_MAX_FAILURES failures from one address over any accounts do the same.
LOGIN_MAX_FAILURES = env.int("LOGIN_MAX_FAILURES", default=5)
LOGIN_ADDRESS_MAX_FAILURES = env.int("LOGIN_ADDRESS_MAX_FAILURES", default=50)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=900)
# Behind a proxy the client's address is in a header (e.g. HTTP_X_FORWARDED_FOR, HTTP_X_REAL_IP); only the
# entry appended by our own TRUSTED_PROXY_COUNT proxies is believed. Empty: REMOTE_ADDR (no proxy).
CLIENT_IP_HEADER = env("CLIENT_IP_HEADER", default="")
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
AXES_FAILURE_LIMIT = LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = datetime.timedelta(seconds=LOGIN_LOCKOUT_SECONDS)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "ansinh.login.Handler"
AXES_CLIENT_IP_CALLABLE = "ansinh.client.address"
AXES_LOCKOUT_CALLABLE = "ansinh.login.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Two-factor login (an authenticator app's 6-digit code after the password) is open to chairmen and
# administrators; with TWO_FACTOR_REQUIRED they must turn it on before doing anything else.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=False)
OTP_TOTP_ISSUER = "ANTT"

# Public lookups of receipt codes per client address and window (a refused one is a 429).
PUBLIC_LOOKUP_MAX = env.int("PUBLIC_LOOKUP_MAX", default=30)
PUBLIC_LOOKUP_WINDOW_SECONDS = env.int("PUBLIC_LOOKUP_WINDOW_SECONDS", default=600)

# Digital signatures (ký số) on decisions: a PKCS#12 file and its passphrase per issuing body, keyed by the
# unit's official code, in DECISION_SIGNERS (JSON: {"23701": {"pkcs12": "/path.p12", "passphrase": "..."}}),
# or one default from SIGNING_PKCS12 / SIGNING_PASSPHRASE. With DEBUG the default is the demo's
# self-signed test certificate, which seed_demo generates; without any, decisions are issued unsigned.
DECISION_SIGNERS = env.json("DECISION_SIGNERS", default={})
SIGNING_DEMO_PKCS12 = BASE_DIR / "var" / "signing" / "chung-thu-thu-nghiem.p12"
_default_signer = env("SIGNING_PKCS12", default=str(SIGNING_DEMO_PKCS12) if DEBUG else "")
if _default_signer:
    DECISION_SIGNERS.setdefault(
        "default", {"pkcs12": _default_signer, "passphrase": env("SIGNING_PASSPHRASE", default="ansinh-demo")}
    )

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["ansinh.formats"]

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents are private: no MEDIA_URL, served only through permission-checked views, which read
# them through the storage API. On this machine's disk by default; in an S3-compatible bucket (MinIO, Ceph, a
# cloud's object storage) when AWS_STORAGE_BUCKET_NAME is set, so that any number of hosts share them.
PRIVATE_STORAGE = storage.local_disk(env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private"))
if env("AWS_STORAGE_BUCKET_NAME", default=""):
    PRIVATE_STORAGE = storage.s3_bucket(
        env("AWS_STORAGE_BUCKET_NAME"),
        endpoint_url=env("AWS_S3_ENDPOINT_URL", default=""),
        region_name=env("AWS_S3_REGION_NAME", default=""),
        location=env("AWS_LOCATION", default=""),
    )
STORAGES = {
    "default": PRIVATE_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# What an uploaded Word/Excel file (a zip) may expand to; a real 20 MB document stays far below.
UPLOAD_OFFICE_MAX_EXPANDED = env.int("UPLOAD_OFFICE_MAX_EXPANDED", default=200 * 1024 * 1024)
# A scanned signed form waits this many days for the clerk's confirmation before discard_pending_scans removes it.
PAPER_SCAN_PENDING_DAYS = env.int("PAPER_SCAN_PENDING_DAYS", default=7)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# The address printed under a certificate's QR code; verification links must work from a phone anywhere.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Look-ups of the public verification page per client address and minute.
VERIFY_RATE_LIMIT = env.int("VERIFY_RATE_LIMIT", default=30)

# Registration lists in Excel of communes with more units than this are made by the worker (PDF lists and
# certificate batches always are).
PRINT_LIST_INLINE_LIMIT = env.int("PRINT_LIST_INLINE_LIMIT", default=80)
# A confirmed unit import of more rows than this is written by the worker (each row is a save: bench/jobs.py
# measured 0.7 s for 200 rows, 7.9 s for the 2,000-row cap).
UNIT_IMPORT_INLINE_ROWS = env.int("UNIT_IMPORT_INLINE_ROWS", default=200)
# Background jobs (ansinh/jobs.py: certificate batches, lists and big exports, reports, imports, archives) run
# in a worker (`manage.py run_worker`) when TASKS_BACKEND is the database backend; the immediate backend runs
# them inline in the request, which dev and tests want.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend"),
    }
}
# A running job whose worker has not reported progress for this long is taken as lost and queued again.
JOB_LEASE_SECONDS = env.int("JOB_LEASE_SECONDS", default=900)
# A job whose worker died this many times fails instead of being queued again.
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=3)
# Finished jobs (their files) and the task backend's finished rows are pruned after this many days.
JOB_KEEP_DAYS = env.int("JOB_KEEP_DAYS", default=14)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "dummymail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ansinh@localhost")
# Email goes out only when an SMTP server is configured; in-portal notifications always do.
EMAIL_NOTIFICATIONS = env.bool(
    "EMAIL_NOTIFICATIONS", default=EMAIL_CONFIG["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
)

# Scripts and styles come only from our static files: no inline script or style attribute anywhere, so an
# injected one does not run. Bootstrap draws its form icons with data: images. Served documents keep their
# own stricter policy (ansinh.uploads.serve).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}, "axes": {"level": "WARNING"}},
}

if env.bool("TESTING", default=False):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
