"""One settings module, driven by environment variables.

GOVMEDIA_DATA_DIR   where the SQLite file, uploads and collected static files live (default ./data)
DATABASE_URL        e.g. postgres://user@127.0.0.1:5432/govmedia; default SQLite under the data dir
GOVMEDIA_SECRET_KEY required when GOVMEDIA_DEBUG is off and not running tests
GOVMEDIA_DEBUG      "1" for development
GOVMEDIA_ALLOWED_HOSTS  comma-separated
GOVMEDIA_MEASURES_EFFECTIVE_DATE  date the district measures took effect (default 2020-09-10)
GOVMEDIA_DISTRICT_NAME  district name in the title of attachment 1 (default 青岛西海岸新区)
GOVMEDIA_PDF_FONT   a TrueType CJK font (.ttf, or .ttc with ":index") embedded in PDFs; default AR PL UMing
GOVMEDIA_EMAIL_BACKEND  Django mail backend for reminders (default: console; e.g.
                    django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
                    EMAIL_HOST_PASSWORD, EMAIL_USE_TLS=1, or django.core.mail.backends.filebased.EmailBackend
                    with GOVMEDIA_EMAIL_FILE_PATH)
GOVMEDIA_FROM_EMAIL sender of reminder mails
GOVMEDIA_SITE_URL   the address users open, for links in mails (default http://127.0.0.1:8000)
GOVMEDIA_FILING_REMINDER_DAYS  remind unit admins of filings due within this many working days (default 3)
GOVMEDIA_DRAFT_ATTACHMENT_MAX_BYTES  the largest file attached to a draft (default 20 MB)
GOVMEDIA_TASKS      where background tasks queue: "db" (default: the database, run by `govmedia db_worker`)
                    or "rq" (Redis, run by `govmedia rqworker` on any number of machines)
GOVMEDIA_REDIS_URL  the Redis of GOVMEDIA_TASKS=rq (default redis://127.0.0.1:6379/0)
GOVMEDIA_MONITOR_ALLOW_PRIVATE  "1" lets monitoring read sources on private and loopback addresses (the
                    demo's platform simulator on 127.0.0.1); off by default (SSRF guard)
GOVMEDIA_MONITOR_LEASE_SECONDS  how long one worker holds a source it reads, and how long an enqueued
                    source waits before it is enqueued again when its task never ran (default 600)
GOVMEDIA_MONITOR_TIMEOUT_SECONDS  how long a source may keep monitoring waiting for data (default 15)
GOVMEDIA_LINKCHECK_CONCURRENCY, GOVMEDIA_LINKCHECK_PER_HOST, GOVMEDIA_LINKCHECK_HOST_INTERVAL,
GOVMEDIA_LINKCHECK_TIMEOUT  the link checker's limits: requests at once in all (default 64), at once per host
                    (8), seconds between request starts to one host (0.1), seconds per request (10)
GOVMEDIA_SIMULATOR_URL  the platform simulator the demo's sources point at (default http://127.0.0.1:8700)
GOVMEDIA_ALERT_WEBHOOK_URL     monitoring alerts are also POSTed here, for SMS and WeChat gateways (default: none)
GOVMEDIA_ALERT_WEBHOOK_SECRET  key of the HMAC-SHA256 signature of those requests; required with the URL
                    (scheme: govmedia/monitoring/services/alerts.py)
"""

import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
DATA_DIR = Path(os.environ.get("GOVMEDIA_DATA_DIR", PROJECT_DIR / "data"))

TESTING = "pytest" in sys.modules or os.environ.get("GOVMEDIA_TESTING") == "1"
DEBUG = os.environ.get("GOVMEDIA_DEBUG", "0") == "1"



def _secret_key() -> str:
    """From the environment, else a key generated once and kept in the data folder (mode 600)."""
    if os.environ.get("GOVMEDIA_SECRET_KEY"):
        return os.environ["GOVMEDIA_SECRET_KEY"]
    if TESTING:
        return "govmedia-test-key-not-for-production"
    path = DATA_DIR / "secret_key"
    if not path.exists():
        import secrets

        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = [h for h in os.environ.get("GOVMEDIA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("GOVMEDIA_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "govmedia.orgs.admin_site.BackOfficeConfig",  # django.contrib.admin, gated by role
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "govmedia.audit.axes_config.AxesConfig",  # django-axes, with a Chinese name in the back office
    "govmedia.audit",
    "govmedia.orgs",
    "govmedia.workdays",
    "govmedia.registry",
    "govmedia.contentcheck",
    "govmedia.monitoring",
    "govmedia.interaction",
    "govmedia.publishing",
    "govmedia.web",
    "govmedia.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "govmedia.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "govmedia.web.middleware.NulByteMiddleware",
    "govmedia.web.middleware.ConflictMiddleware",
    "govmedia.web.middleware.OutOfRangeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "govmedia.urls"
WSGI_APPLICATION = "govmedia.wsgi.application"

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
                "govmedia.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'govmedia.sqlite3'}"),
        conn_max_age=0 if TESTING else int(os.environ.get("GOVMEDIA_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        # Concurrent approvers hit SQLite at once: each write transaction takes the write lock when it
        # begins (a deferred one that reads first cannot wait for it later and fails at once), and waits
        # up to 20 s for it; in WAL mode readers never wait for the writer.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    })
    # Tests run on a file, not in memory, so that threads racing each other hold real connections.
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(tempfile.gettempdir(), f"govmedia-test-{os.getpid()}.sqlite3")}

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "govmedia.orgs.passwords.CharacterClassValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Lockout: five wrong passwords for one user name from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("GOVMEDIA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SESSION_COOKIE_AGE = int(os.environ.get("GOVMEDIA_SESSION_SECONDS", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True  # idle expiry: the clock restarts on each request
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# GOVMEDIA_HTTPS=1 is the production switch: HTTPS only, and never the demo's passwords (demo.checks).
GOVMEDIA_HTTPS = os.environ.get("GOVMEDIA_HTTPS", "0") == "1"
SESSION_COOKIE_SECURE = GOVMEDIA_HTTPS
# Behind the district's reverse proxy, the audit log takes the client address from X-Forwarded-For.
GOVMEDIA_TRUST_X_FORWARDED_FOR = os.environ.get("GOVMEDIA_TRUST_X_FORWARDED_FOR", "0") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# Chinese for what Django's own zh_Hans catalogs and django-axes leave in English (see the .po files).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# 《管理办法》自发布之日起施行 (art. 20); accounts opened earlier file within 20 working days (art. 19).
MEASURES_EFFECTIVE_DATE = os.environ.get("GOVMEDIA_MEASURES_EFFECTIVE_DATE", "2020-09-10")
# Printed in the title of attachment 1 (青岛西海岸新区政务新媒体备案登记表).
GOVMEDIA_DISTRICT_NAME = os.environ.get("GOVMEDIA_DISTRICT_NAME", "青岛西海岸新区")
# Debian's fonts-arphic-uming (Arphic Public Licence): a 宋体-like face with TrueType outlines, which
# reportlab can embed as a subset; the Makefile installs it.
GOVMEDIA_PDF_FONT = os.environ.get("GOVMEDIA_PDF_FONT", "/usr/share/fonts/truetype/arphic/uming.ttc:0")
# The stamped attachment-1 form a unit uploads with its filing (PDF, JPG, PNG).
GOVMEDIA_FILING_FORM_MAX_BYTES = 10 * 1024 * 1024
# A draft attachment (publishing.services.attachments): stopped while it streams in once past this size.
GOVMEDIA_DRAFT_ATTACHMENT_MAX_BYTES = int(os.environ.get("GOVMEDIA_DRAFT_ATTACHMENT_MAX_BYTES",
                                                         str(20 * 1024 * 1024)))
GOVMEDIA_FILING_REMINDER_DAYS = int(os.environ.get("GOVMEDIA_FILING_REMINDER_DAYS", "3"))

# Django 6.1 mail configuration (MAILERS): console by default, so a fresh install sends nothing out.
_MAIL_BACKEND = os.environ.get("GOVMEDIA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
_MAIL_OPTIONS = {}
if _MAIL_BACKEND.endswith("smtp.EmailBackend"):
    _MAIL_OPTIONS = {
        "host": os.environ.get("EMAIL_HOST", "localhost"), "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""), "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": os.environ.get("EMAIL_USE_TLS", "0") == "1",
    }
elif _MAIL_BACKEND.endswith("filebased.EmailBackend"):
    _MAIL_OPTIONS = {"file_path": os.environ.get("GOVMEDIA_EMAIL_FILE_PATH", str(DATA_DIR / "mail"))}
MAILERS = {"default": {"BACKEND": _MAIL_BACKEND, "OPTIONS": _MAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = os.environ.get("GOVMEDIA_FROM_EMAIL", "govmedia@localhost")
GOVMEDIA_SITE_URL = os.environ.get("GOVMEDIA_SITE_URL", "http://127.0.0.1:8000")
# Monitoring alerts for SMS and WeChat gateways: a signed JSON POST per alert (monitoring/services/alerts.py).
GOVMEDIA_ALERT_WEBHOOK_URL = os.environ.get("GOVMEDIA_ALERT_WEBHOOK_URL", "")
GOVMEDIA_ALERT_WEBHOOK_SECRET = os.environ.get("GOVMEDIA_ALERT_WEBHOOK_SECRET", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GOVMEDIA_LOG_LEVEL", "WARNING")},
}

# ---------------------------------------------------------------- web security (issue 6, items 8 and 9)
# Demo mode (`make run`, GOVMEDIA_DEMO=1) serves the demo district with its published passwords; outside
# it, the server refuses to start while any login still has the demo password (govmedia.demo.checks).
GOVMEDIA_DEMO = os.environ.get("GOVMEDIA_DEMO", "0") == "1"
AUTH_PASSWORD_VALIDATORS += [{"NAME": "govmedia.demo.checks.NotDemoPasswordValidator"}]

# Content-Security-Policy (Django's own middleware): scripts, styles and everything else come from this
# site's static files only. No 'unsafe-inline': templates carry no <script> blocks, on…= handlers or
# style="" attributes (behaviour lives in static/govmedia/app.js, presentation in app.css).
from django.utils.csp import CSP  # noqa: E402

MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "django.middleware.csp.ContentSecurityPolicyMiddleware")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# GOVMEDIA_HTTPS=1: served over HTTPS only (`govmedia check --deploy` passes with no warning).
if SESSION_COOKIE_SECURE:
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the local health probe speaks plain HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("GOVMEDIA_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if GOVMEDIA_TRUST_X_FORWARDED_FOR:
        # Behind the district's reverse proxy, which terminates TLS and says so in X-Forwarded-Proto.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# ---------------------------------------------------------------- background tasks (issue 7)
# Django's tasks interface. The default queue is the database, so a fresh machine needs nothing else
# (`make run` starts `govmedia db_worker`); GOVMEDIA_TASKS=rq puts the same tasks on Redis for several
# workers on several machines (`govmedia rqworker`, with PostgreSQL).
GOVMEDIA_TASKS = os.environ.get("GOVMEDIA_TASKS", "db")
if GOVMEDIA_TASKS == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": os.environ.get("GOVMEDIA_REDIS_URL", "redis://127.0.0.1:6379/0"),
                             "DEFAULT_TIMEOUT": 1800}}
    # django-tasks-rq runs a task only through its own job class; naming it here spares every
    # `govmedia rqworker` the --job-class option.
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    RQ_SHOW_ADMIN_LINK = False
elif GOVMEDIA_TASKS == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    from django.core.exceptions import ImproperlyConfigured  # noqa: E402

    raise ImproperlyConfigured(f"GOVMEDIA_TASKS 只能为 db 或 rq，当前为 {GOVMEDIA_TASKS!r}")

# The demo reads the platform simulator on 127.0.0.1; a real deployment reads public addresses only.
GOVMEDIA_MONITOR_ALLOW_PRIVATE = os.environ.get("GOVMEDIA_MONITOR_ALLOW_PRIVATE", "0") == "1"
GOVMEDIA_MONITOR_LEASE_SECONDS = int(os.environ.get("GOVMEDIA_MONITOR_LEASE_SECONDS", "600"))
GOVMEDIA_MONITOR_TIMEOUT_SECONDS = float(os.environ.get("GOVMEDIA_MONITOR_TIMEOUT_SECONDS", "15"))
GOVMEDIA_LINKCHECK = {
    "concurrency": int(os.environ.get("GOVMEDIA_LINKCHECK_CONCURRENCY", "64")),
    "per_host": int(os.environ.get("GOVMEDIA_LINKCHECK_PER_HOST", "8")),
    "host_interval": float(os.environ.get("GOVMEDIA_LINKCHECK_HOST_INTERVAL", "0.1")),
    "timeout": float(os.environ.get("GOVMEDIA_LINKCHECK_TIMEOUT", "10")),
}
GOVMEDIA_SIMULATOR_URL = os.environ.get("GOVMEDIA_SIMULATOR_URL", "http://127.0.0.1:8700")
