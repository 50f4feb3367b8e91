"""One settings module, driven by environment variables.

GOVMEDIA_DATA_DIR   where the SQLite file, uploads and collected static files live (default ./data)
DATABASE_URL        e.g. postgres://user@127.0.0.1:5432/govmedia; default SQLite under the data dir
GOVMEDIA_SECRET_KEY required when GOVMEDIA_DEBUG is off and not running tests
GOVMEDIA_DEBUG      "1" for development
GOVMEDIA_ALLOWED_HOSTS  comma-separated
GOVMEDIA_MEASURES_EFFECTIVE_DATE  date the district measures took effect (default 2020-09-10)
GOVMEDIA_DISTRICT_NAME  district name in the title of attachment 1 (default 青岛西海岸新区)
GOVMEDIA_EMAIL_BACKEND  Django mail backend for reminders (default: console; e.g.
                    django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
                    EMAIL_HOST_PASSWORD, EMAIL_USE_TLS=1, or django.core.mail.backends.filebased.EmailBackend
                    with GOVMEDIA_EMAIL_FILE_PATH)
GOVMEDIA_FROM_EMAIL sender of reminder mails
GOVMEDIA_SITE_URL   the address users open, for links in mails (default http://127.0.0.1:8000)
GOVMEDIA_FILING_REMINDER_DAYS  remind unit admins of filings due within this many working days (default 3)
"""

import os
import sys
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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "govmedia.audit",
    "govmedia.orgs",
    "govmedia.workdays",
    "govmedia.registry",
    "govmedia.contentcheck",
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
    # Concurrent approvers hit SQLite at once; wait for the write lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

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
SESSION_COOKIE_SECURE = os.environ.get("GOVMEDIA_HTTPS", "0") == "1"
# Behind the district's reverse proxy, the audit log takes the client address from X-Forwarded-For.
GOVMEDIA_TRUST_X_FORWARDED_FOR = os.environ.get("GOVMEDIA_TRUST_X_FORWARDED_FOR", "0") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
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
# The stamped attachment-1 form a unit uploads with its filing (PDF, JPG, PNG).
GOVMEDIA_FILING_FORM_MAX_BYTES = 10 * 1024 * 1024
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GOVMEDIA_LOG_LEVEL", "WARNING")},
}
