"""govweibo settings: everything comes from the environment, with embedded defaults.

With no environment at all the project runs on one laptop: a SQLite file under var/, Celery tasks
run inline (eagerly), DEBUG on. Production sets DATABASE_URL (PostgreSQL), REDIS_URL (broker and
cache), SECRET_KEY, ALLOWED_HOSTS and DEBUG=false. See .env.example.
"""
from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """true/false only: a typo such as DEBUG=flase, or a guess such as DEBUG=0, must not mean something."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"true", "false"}:
        return lowered == "true"
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_rate(name: str, default: str) -> str:
    """A request rate as Django REST framework reads it: a count per second, minute, hour or day."""
    raw = os.environ.get(name) or default
    if not re.fullmatch(r"[0-9]+/(s|sec|second|m|min|minute|h|hour|d|day)", raw.strip()):
        raise ImproperlyConfigured(f"{name} must look like 120/minute (per second, minute, hour or day), got {raw!r}")
    return raw.strip()


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    SECRET_KEY = "insecure-dev-only-key-govweibo"  # noqa: S105 - only ever used with DEBUG on

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files served locally: the API docs work on an offline intranet
    "simple_history",  # audit of award inputs: who, when, old → new, entry path (docs/awards.md, Audit)
    "axes",  # login lockout after repeated wrong passwords (every login path goes through authenticate())
    "accounts",
    "posts",  # posts and replies of the accounts, their import (between rankings and accounts in the layers)
    "rankings",
    "awards",
    "api",  # API tokens (hashed) for scripts
    "demo",  # demo data and setup_demo: sits on top of every app
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "govweibo.middleware.ChineseFirstLocaleMiddleware",
    "api.middleware.ApiUrlLengthMiddleware",  # 414 in the API's error shape, below the server's own limit
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Admin-site edits of award inputs record their user in the history; services set it themselves.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Before any view (and CSRF's process_view) reads the body: oversized bodies are refused unread.
    "govweibo.middleware.RequestSizeLimitMiddleware",
    # Then a NUL byte in a query string or form is refused (400) before a view, filter or query sees it.
    "govweibo.middleware.RefuseNulMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a lockout into its page
]

ROOT_URLCONF = "govweibo.urls"
WSGI_APPLICATION = "govweibo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
# PostgreSQL when DATABASE_URL is set (production, CI); otherwise a SQLite file under var/.
VAR_DIR = Path(env_str("GOVWEIBO_VAR_DIR", str(BASE_DIR / "var")))
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # Concurrent writers (a web upload while a task writes) wait instead of failing at once.
            # https://docs.djangoproject.com/en/5.2/ref/databases/#database-is-locked-errors
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Award inputs change only through awards.services (their rules, their audit); the admin's history
# pages show the past but never revert to it. https://django-simple-history.readthedocs.io/
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- Redis, Celery, cache ---------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # The embedded default: no broker, tasks run inline in the calling process.
    CELERY_BROKER_URL = "memory://localhost/"  # a host, or kombu warns "No hostname was supplied" on each send
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_EAGER_PROPAGATES = True
# The project's Celery application, loaded by core.dispatch when a task is first sent (not at start-up);
# outside the CELERY_ namespace, which is Celery's own configuration.
GOVWEIBO_CELERY_APP = "govweibo.celery.app"
# The queue tasks are sent to (and that workers started without -Q consume), subtasks included.
CELERY_TASK_DEFAULT_QUEUE = env_str("GOVWEIBO_CELERY_QUEUE", "celery")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Task time limits (at most 1800 s) stay below the visibility timeout, so Redis never redelivers
# a task that is still running. https://docs.celeryq.dev/en/stable/getting-started/backends-and-brokers/redis.html
# The worker tests lower it (GOVWEIBO_BROKER_VISIBILITY_TIMEOUT) to see a dead worker's task redelivered quickly.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("GOVWEIBO_BROKER_VISIBILITY_TIMEOUT", 3600)}
CELERY_RESULT_EXPIRES = 24 * 3600
# Celery beat: the monthly ranking of the previous month (rankings.services.score_runs_start_monthly),
# by default on the 2nd at 03:00 so late imports of the month's last days are in. govweibo/celery.py
# builds the beat schedule (a crontab) from it, so that the settings import no Celery.
GOVWEIBO_MONTHLY_RUN = {
    "minute": env_int("GOVWEIBO_MONTHLY_RUN_MINUTE", 0),
    "hour": env_int("GOVWEIBO_MONTHLY_RUN_HOUR", 3),
    "day_of_month": env_int("GOVWEIBO_MONTHLY_RUN_DAY", 2),
}
# The schemes the monthly job runs (comma-separated slugs); empty = the default scheme.
GOVWEIBO_MONTHLY_SCHEMES = env_list("GOVWEIBO_MONTHLY_SCHEMES", [])
# Monte Carlo draws per Celery subtask; runs with more draws are split into a chord of subtasks.
GOVWEIBO_UNCERTAINTY_CHUNK_DRAWS = env_int("GOVWEIBO_UNCERTAINTY_CHUNK_DRAWS", 250)

# Set to true when the app sits behind a reverse proxy that sets X-Forwarded-Proto and appends the
# client's address to X-Forwarded-For (docker-compose.yml does). https://docs.djangoproject.com/en/5.2/ref/settings/#secure-proxy-ssl-header
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)

# --- Auth -----------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from one address,
# that pair is refused (429, templates/registration/lockout.html) for AXES_COOLOFF_MINUTES, or until an
# admin deletes the attempts (admin “Access attempts”, or `manage.py axes_reset_username NAME`). By
# username *and* address, so a guesser cannot lock a colleague out from elsewhere, and one office behind
# one NAT address is not locked out by one user's typos. https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", 60)
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES) if AXES_COOLOFF_MINUTES else None  # 0: until unlocked
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "govweibo.lockout.lockout_response"  # templates/registration/lockout.html
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "govweibo.middleware.client_ip"

# --- Internationalisation -------------------------------------------------------------------------
# Chinese first; English available through the language switch (or LANG=en on the command line).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["govweibo.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
if DEBUG:
    # WhiteNoise serves from the finders in DEBUG but warns when STATIC_ROOT is missing.
    STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploads larger than this are spooled to disk instead of memory. The import reads them streaming.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest request body, and form data held in memory: bigger requests are answered 413 unread
# (govweibo.middleware.RequestSizeLimitMiddleware); only a signed-in user's import upload may be larger.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("GOVWEIBO_MAX_REQUEST_BYTES", 5 * 1024 * 1024)
# The largest snapshot file, one limit for its two doors: the upload page and POST /api/v1/imports/ (a
# signed-in user or a token). The import runs as a job either way (a Celery task with Redis). 100 MiB is
# about 800,000 rows, ~15 s on PostgreSQL; larger national files go through the command line, which has
# no limit. GOVWEIBO_IMPORT_MAX_UPLOAD_BYTES is the setting's former name, still read.
GOVWEIBO_MAX_UPLOAD_BYTES = env_int("GOVWEIBO_MAX_UPLOAD_BYTES",
                                    env_int("GOVWEIBO_IMPORT_MAX_UPLOAD_BYTES", 100 * 1024 * 1024))
# The most data rows an import reads from a workbook's sheet (page, API and command), at most Excel's own
# 1,048,575: a sheet that declares more (<dimension ref="A1:Z3000000"/>) or has more is refused before it is
# read (core.tables.bounds). Award files have their own, smaller bound (awards.importing.reading.MAX_ROWS).
GOVWEIBO_IMPORT_MAX_ROWS = env_int("GOVWEIBO_IMPORT_MAX_ROWS", 1_048_575)
# Uploaded files wait here for their import task and are deleted when it ends. The web server and the
# Celery workers must share this directory (same machine, or a shared volume).
GOVWEIBO_IMPORT_DIR = Path(env_str("GOVWEIBO_IMPORT_DIR", str(VAR_DIR / "imports")))
# The salt of the askers' hashes (posts.importing.askers): a reply keeps a salted hash of who asked, for
# counting distinct askers, never the name. Keep it stable: another salt makes the same asker another hash.
# Unset: derived from SECRET_KEY (set one of its own before rotating SECRET_KEY).
GOVWEIBO_ASKER_SALT = env_str("GOVWEIBO_ASKER_SALT", "") or f"govweibo-askers:{SECRET_KEY}"

# --- REST API ---------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Tokens for scripts (stored hashed, api.models), the session for the browsable API. No HTTP Basic: it
    # sent a password with every request and bypassed the login lockout. The token class comes first so an
    # unauthenticated request gets 401 with WWW-Authenticate: Token rather than a bare 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonRateThrottle", "api.throttling.UserRateThrottle"],
    # Requests per client (address when anonymous, user when signed in); api.throttling reads these
    # at request time. Over the rate: 429 with Retry-After.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_THROTTLE_ANON", "120/minute"),
        "user": env_rate("API_THROTTLE_USER", "600/minute"),
        # CSV/XLSX downloads (API and pages), per user or address: a big one takes seconds of a worker.
        "export": env_rate("API_THROTTLE_EXPORT", "30/hour"),
    },
    # ?format= empty or unknown is a 400 naming the accepted formats (DRF: a 404, or ignored when empty).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.StrictContentNegotiation",
    # Behind a proxy the client is the last address it appended to X-Forwarded-For; otherwise the peer.
    "NUM_PROXIES": 1 if BEHIND_PROXY else 0,
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    # JSON bodies bounded in size and nesting depth before they are parsed (a 10,000-deep body was a 500).
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.BoundedJSONParser", "rest_framework.parsers.FormParser", "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend", "api.filtering.StableOrderingFilter",
    ],
    # Stable pages of 100 (page_size up to 1000), 10,000 rows per CSV/XLSX download, Link headers.
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "api.schema.DocumentedErrorsSchema",  # every error answer documented
}
# Published results never change: clients and proxies may keep them this long (seconds). An answer for
# "the latest published ranking" may change when a run is published, so it is kept for less. (api/caching.py)
API_CACHE_SECONDS = env_int("API_CACHE_SECONDS", 3600)
API_LATEST_CACHE_SECONDS = env_int("API_LATEST_CACHE_SECONDS", 60)
# How long the API trusts its cached knowledge of which run a URL means and when it was published (a
# replaced run may be served this much longer); 0 asks the database on every request.
API_RUN_STATE_SECONDS = env_int("API_RUN_STATE_SECONDS", 5)
# The longest API URL (path and query, characters) answered; longer is a 414 in the API's error shape,
# below gunicorn's own request-line limit (4094 bytes), which answers a plain 400. (api/middleware.py)
API_MAX_URL_LENGTH = env_int("API_MAX_URL_LENGTH", 2048)
SPECTACULAR_SETTINGS = {
    # https://drf-spectacular.readthedocs.io/en/latest/settings.html#self-contained-ui-installation
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "TITLE": "govweibo API",
    "DESCRIPTION": "Government microblog (政务微博) accounts, metrics and city rankings.",
    "VERSION": "1.0.0",
}

# --- Security (production) ---------------------------------------------------------------------------
# Behind a TLS-terminating proxy. https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
# Preloading is an organisation's decision (hard to undo, see hstspreload.org): opt in with
# SECURE_HSTS_PRELOAD=true. Without it the deploy check would warn (security.W021), hence silenced.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
# X-Forwarded-Proto and X-Forwarded-For are believed only when BEHIND_PROXY=true says a proxy sets them
# (and overwrites what clients send); without a proxy any client could claim HTTPS or another address.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
X_FRAME_OPTIONS = "DENY"
# The container healthcheck speaks plain HTTP to the app itself, behind the TLS proxy.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"kv": {"format": "%(asctime)s level=%(levelname)s logger=%(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "kv"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # axes.apps announces its version at every start, commands included (their stderr is their output).
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes.apps": {"level": "WARNING"}},
}
