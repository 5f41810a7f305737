"""BenchLM settings: one file, driven by environment variables.

With no variable set this is the embedded development configuration (SQLite in ``var/``,
local-memory cache, eager Celery, console email, DEBUG on), so ``make run`` needs no service.
Setting ``DATABASE_URL``, ``REDIS_URL``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DEBUG=0`` turns
it into the production configuration on PostgreSQL and Redis.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from benchlm.secretkey import secret_key_problem

# The scoreboard's fit (numpy) does many small matrix products: OpenBLAS's thread pool only
# fights the web and worker processes for the cores, and under load made them ten times
# slower. Set before anything imports numpy; the environment can still say otherwise.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


DEBUG = env_bool("DEBUG", True)

# A development key is only ever used with DEBUG on; production must bring its own.
_DEV_SECRET_KEY = "django-insecure-development-only-key-never-used-with-debug-off"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (_problem := secret_key_problem(SECRET_KEY)):
    raise ImproperlyConfigured(
        f"SECRET_KEY is too weak for production ({_problem}): use 50+ random characters, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Absolute links (emails, feeds, sitemaps built outside a request) start with this.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "axes",
    "comparisons",
    "newsletter",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above the page cache, so every response (a cached one too) gets its own policy header.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "benchlm.pagecache.PageCacheMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Pages of a past day (?as_of=): the day checked, and the view given that day's board.
    "comparisons.past.AsOfMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so its process_exception sees a view's database error first: 503, not 500.
    "benchlm.unavailable.DatabaseUnavailableMiddleware",
]

# Admin login throttling (django-axes): five failures for one username from one address lock
# that pair out for 15 minutes; a successful login resets the count.
AUTHENTICATION_BACKENDS = [
    "benchlm.auth.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("ADMIN_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ADMIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_VERBOSE = False
# Password spraying: failures from one client address across all usernames, before that
# address is locked out as a whole (benchlm.auth).
ADMIN_ADDRESS_FAILURES = env_int("ADMIN_ADDRESS_FAILURES", 20)
# Lockouts key on the client behind the trusted proxies, not on the proxy (benchlm.clientip).
AXES_CLIENT_IP_CALLABLE = "benchlm.clientip.client_ip"

# The client's address (benchlm.clientip): how many proxies stand in front of the app, where the
# nearest one connects from, and the header they pass the client in. Headers from any other
# peer are ignored. BEHIND_PROXY=1 alone means one proxy on this machine (nginx on loopback).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0)
TRUSTED_PROXY_NETWORKS = env_list("TRUSTED_PROXY_NETWORKS", "127.0.0.0/8,::1")
try:
    for _network in TRUSTED_PROXY_NETWORKS:
        ipaddress.ip_network(_network, strict=False)
except ValueError as _error:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_NETWORKS: {_error}") from _error
CLIENT_IP_HEADER = "HTTP_" + os.environ.get(
    "CLIENT_IP_HEADER", "X-Forwarded-For"
).strip().upper().replace("-", "_")

ROOT_URLCONF = "benchlm.urls"
WSGI_APPLICATION = "benchlm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "benchlm.context_processors.site",
                "comparisons.context_processors.lane",
                "newsletter.context_processors.signup",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL says otherwise. Connections persist between
# requests (with a health check) because opening one costs more than most of our pages.
(BASE_DIR / "var" / "static").mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'benchlm.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, else in-process memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
# Every Redis call, cache and broker alike, has a connect and a read timeout (seconds): a Redis
# that hangs (stopped, not refusing) would otherwise hold a request for as long as the kernel
# keeps the socket open.
REDIS_CONNECT_TIMEOUT = float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.25"))
REDIS_READ_TIMEOUT = float(os.environ.get("REDIS_READ_TIMEOUT", "0.5"))
if REDIS_URL:
    CACHES = {
        "default": {
            # Misses and dropped writes while Redis is down, instead of errors (benchlm/cache.py).
            "BACKEND": "benchlm.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "benchlm"),
            "TIMEOUT": 60 * 60 * 24,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_READ_TIMEOUT,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "benchlm",
            "TIMEOUT": 60 * 60 * 24,
        }
    }

# Celery: Redis as broker in production; tasks run in-process (eagerly) without it.
# "memory://localhost//": an in-process broker; naming the host spares kombu's "No hostname was
# supplied" warning on every task sent in the embedded mode.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "memory://localhost//")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
# A task whose worker died is redelivered after this long; the sweep below usually gets there first.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 60 * 60,
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_READ_TIMEOUT,
}
# A request that queues a task must not hang while the broker is down: fail fast, the outbox
# row is already stored and the sweep will queue it. One retry, at once, on a fresh connection
# (a pooled one may be stale after a Redis restart).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0}

# The weekly digest: day of week (0 = Sunday, 1 = Monday, ...), hour and minute in UTC.
DIGEST_DAY_OF_WEEK = env_int("DIGEST_DAY_OF_WEEK", 1)
DIGEST_HOUR = env_int("DIGEST_HOUR", 8)
DIGEST_MINUTE = env_int("DIGEST_MINUTE", 0)
# The price feed (genai-prices): refresh from the project's published data before a sync (off:
# use the snapshot bundled with the installed package), and when beat runs the daily sync (UTC).
PRICE_FEED_REFRESH = env_bool("PRICE_FEED_REFRESH", False)
PRICE_FEED_URL = os.environ.get("PRICE_FEED_URL", "")  # empty: the package's own address
PRICE_SYNC_HOUR = env_int("PRICE_SYNC_HOUR", 5)
PRICE_SYNC_MINUTE = env_int("PRICE_SYNC_MINUTE", 30)
# Days after which a price not confirmed by the feed or an editor is marked as unconfirmed.
PRICE_CONFIRMATION_DAYS = env_int("PRICE_CONFIRMATION_DAYS", 90)
# Sets of three to six models worth a sitemap entry ("compare many" pages): slugs joined by
# commas, sets separated by semicolons. Any other set is served but not listed.
CURATED_MODEL_SETS = [
    item.strip()
    for item in os.environ.get(
        "CURATED_MODEL_SETS",
        "claude-opus-4-1,gemini-2-5-pro,gpt-5;gpt-4-1,gpt-4-1-mini,gpt-4-1-nano;"
        "deepseek-r1,llama-4-maverick,qwen3-235b-a22b-thinking-2507",
    ).split(";")
    if item.strip()
]

CELERY_BEAT_SCHEDULE = {
    "leaderboard-snapshot": {
        # Once per ISO week (the first snapshot of a week wins), as the week begins. Each digest
        # compares its week's snapshot with the previous one, so no move falls between two.
        "task": "newsletter.tasks.take_leaderboard_snapshot",
        "schedule": crontab(minute=5, hour=0, day_of_week=1),
    },
    "weekly-digest": {
        "task": "newsletter.tasks.send_weekly_digest",
        "schedule": crontab(minute=DIGEST_MINUTE, hour=DIGEST_HOUR, day_of_week=DIGEST_DAY_OF_WEEK),
    },
    "sweep-unsent": {"task": "newsletter.tasks.sweep_unsent", "schedule": 60.0},
    # Alerts about what subscribers follow: each round batches every change since the last.
    "instant-alerts": {"task": "newsletter.tasks.collect_alerts", "schedule": 60.0},
    "daily-alerts": {
        "task": "newsletter.tasks.collect_alerts",
        "schedule": crontab(minute=0, hour=7),
        "args": ("daily",),
    },
    "weekly-alerts": {
        "task": "newsletter.tasks.collect_alerts",
        "schedule": crontab(minute=DIGEST_MINUTE, hour=DIGEST_HOUR, day_of_week=DIGEST_DAY_OF_WEEK),
        "args": ("weekly",),
    },
    "price-sync": {
        # Daily: apply the price feed's differences (each one a change event, like an edit).
        "task": "comparisons.tasks.sync_prices",
        "schedule": crontab(minute=PRICE_SYNC_MINUTE, hour=PRICE_SYNC_HOUR),
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get(
    "CELERY_BEAT_SCHEDULE_FILENAME", str(BASE_DIR / "var" / "celerybeat-schedule")
)

# Sending: deliveries per task (one SMTP connection each), tries before a delivery fails, the
# first retry delay (doubling after), when a claimed-but-unfinished send counts as dead, and
# when a queued-but-unsent row is queued again.
NEWSLETTER_BATCH_SIZE = env_int("NEWSLETTER_BATCH_SIZE", 100)
NEWSLETTER_MAX_ATTEMPTS = env_int("NEWSLETTER_MAX_ATTEMPTS", 5)
NEWSLETTER_RETRY_BASE = env_int("NEWSLETTER_RETRY_BASE", 60)
NEWSLETTER_STALE_AFTER = env_int("NEWSLETTER_STALE_AFTER", 5 * 60)
NEWSLETTER_REQUEUE_AFTER = env_int("NEWSLETTER_REQUEUE_AFTER", 10 * 60)
# Signups per hour from one client address, and confirmation emails per hour to one address.
SIGNUP_RATE_PER_CLIENT = env_int("SIGNUP_RATE_PER_CLIENT", 20)
SIGNUP_RATE_PER_ADDRESS = env_int("SIGNUP_RATE_PER_ADDRESS", 3)
# A trusted proxy's country header (e.g. CF-IPCountry); empty: look the client address up.
CONSENT_COUNTRY_HEADER = (
    "HTTP_" + os.environ["CONSENT_COUNTRY_HEADER"].upper().replace("-", "_")
    if os.environ.get("CONSENT_COUNTRY_HEADER")
    else ""
)

# Email (Django 6.1 mailers): SMTP when EMAIL_HOST is set, else printed to the console.
if _email_host := os.environ.get("EMAIL_HOST", ""):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 30,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "benchlm.mail.ReadableConsoleBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "BenchLM <digest@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 60 * 60  # hashed files get a year automatically

# Uploads (the admin's CSV import) stay small; nothing else posts much.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security headers. Scripts only from our own origin or with the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script reads it: the only forms posting with a token are HTML

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Whole catalogue pages kept in each web process per data version (benchlm/pagecache.py).
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# Shared caches in front (a CDN, nginx): seconds they may serve a catalogue page without asking
# (s-maxage: an edit is visible within it), and may go on serving it while they revalidate.
EDGE_MAX_AGE = env_int("EDGE_MAX_AGE", 60)
EDGE_STALE_WHILE_REVALIDATE = env_int("EDGE_STALE_WHILE_REVALIDATE", 300)
# A page made from a provisional scoreboard (benchlm.pagecache): the seconds an edge may hold it.
EDGE_PROVISIONAL_MAX_AGE = env_int("EDGE_PROVISIONAL_MAX_AGE", 5)

# How long a computed scoreboard may live in the cache; a data edit replaces it at once anyway.
SCOREBOARD_TIMEOUT = env_int("SCOREBOARD_TIMEOUT", 60 * 60 * 24)
