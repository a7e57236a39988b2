"""MyeloPath settings, read from the environment (django-environ).

Every deployment knob is an environment variable, optionally set in a `.env`
file beside `manage.py`:

- ``DATABASE_URL``: default an SQLite file ``db.sqlite3`` in the project;
  ``postgres://user:pass@host:5432/name`` for PostgreSQL.
- ``SQLITE_BUSY_TIMEOUT``: seconds an SQLite writer waits for the write lock, default 20.
- ``SECRET_KEY``: required unless ``DEBUG`` is on (then a development key is used).
- ``DEBUG``: off unless set.
- ``ALLOWED_HOSTS``: comma separated; default ``127.0.0.1,localhost``.
- ``HTTPS``: on behind TLS (every real deployment): secure cookies, HSTS, SSL redirect.
- ``SESSION_COOKIE_AGE``: idle timeout in seconds (sliding), default 1800.
- ``AXES_FAILURE_LIMIT`` / ``AXES_COOLOFF_MINUTES``: login lockout, default 5 failures, 15 minutes.
- ``DOSE_ROUNDING_MAX_DEVIATION_PERCENT``: how far rounding may move a dose, default 5 (0.5–10).
- ``WARD_NAME`` / ``WARD_PHONE``: the ward the patient calendar tells the patient to call; unset, the
  calendar says so.
"""

import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def _dose_rounding_limit(text):
    """DOSE_ROUNDING_MAX_DEVIATION_PERCENT as a Decimal from 0.5 to 10, or ImproperlyConfigured."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except (InvalidOperation, AttributeError):
        value = None
    if value is None or not value.is_finite() or not Decimal("0.5") <= value <= 10:
        raise ImproperlyConfigured(
            f"DOSE_ROUNDING_MAX_DEVIATION_PERCENT must be a number of per cent from 0.5 to 10 (default 5), "
            f"got {text!r}"
        )
    return value


env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment or in .env "
            "(`make run` writes one), or set DEBUG=1 for development."
        )
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.apps.SecondFactorAdminConfig",  # django.contrib.admin whose site requires a verified second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    # django-ninja serves the API without being an installed app; installed, it would collect and
    # serve its docs bundles (swagger-ui with DOMPurify 3.2.6, redoc with 3.2.4): config/api.py.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "accounts",
    "patients",
    "regimens",
    "treatment_course",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.LanguageMiddleware",  # bokmål unless the user chose English (not Accept-Language)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

# django-axes first: it refuses a locked-out username + IP before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",  # docs/adr/0012: no backend of our own
]

ROOT_URLCONF = "config.urls"
CSRF_FAILURE_VIEW = "config.views.csrf_failure"  # JSON under /api/, Django's page elsewhere

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.user_roles",
                "config.context_processors.worklist_counts",
            ],
            # {% load formatting %}: numbers per quantity kind (core/formatting.py); core is no app.
            "libraries": {"formatting": "core.templatetags.formatting"},
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# SQLite holds a ward's concurrent writers (docs/adr/0009-sqlite-for-a-ward.md): WAL lets readers
# and the one writer work side by side; BEGIN IMMEDIATE takes the write lock when a transaction
# starts, so two transactions never both read and then fight over the lock (which SQLite answers
# with an immediate "database is locked"); a writer waits up to SQLITE_BUSY_TIMEOUT seconds for the
# lock. synchronous=FULL: a committed record (a signature) survives a power cut, not only a crash.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), **SQLITE_OPTIONS}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Norwegian bokmål for every new session, whatever the browser's language; English only as the
# user's own choice (the switch in the navbar), kept on the user and, for a year, in the language
# cookie (accounts/language.py, config.middleware.LanguageMiddleware).
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("en", _("English"))]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_HTTPONLY = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
# Dates dd.mm.åååå and times HH:MM in both languages; the decimal separator is the language's.
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Django's built-in Content Security Policy: no inline script or style, no third-party origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

SESSION_COOKIE_HTTPONLY = True
# Idle timeout: the session ends SESSION_COOKIE_AGE seconds after the last request
# (every request saves it, so the expiry slides) and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Behind TLS (every real deployment) the cookies and HSTS follow; off for loopback demos.
HTTPS = env.bool("HTTPS", default=False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None

# Login throttling (django-axes): AXES_FAILURE_LIMIT failed logins (password or
# second-factor code) for the same username from the same IP address lock that
# pair out for AXES_COOLOFF_MINUTES. A success resets the count.
AXES_ENABLED = True
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"

# Two-factor authentication (django-otp, TOTP). The admin requires a verified session.
OTP_TOTP_ISSUER = "MyeloPath"
# History is evidence: simple_history's admin shows old versions but never reverts to them.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Signing a treatment plan (issue, verify) needs the password AND a current code of the
# signer's confirmed TOTP device. Only a test or demo setup may switch this off.
SIGNING_REQUIRES_SECOND_FACTOR = env.bool("SIGNING_REQUIRES_SECOND_FACTOR", default=True)

# The hospital's maximum deviation (per cent) between a calculated dose and the dose to give after
# rounding (issue 14, docs/adr/0014-dose-rounding-policy.md). NHS dose banding uses 6 % for cytotoxics
# and 10 % for biologics as a reference. A protocol's rounding step that could move a dose further is
# refused when the protocol is activated and when a plan is computed. From 0.5 (the most that three
# significant figures move a dose) to 10 (the per-unit rule refuses a dose more than 10 % above the
# protocol's): anything else is a typing error and the app does not start.
DOSE_ROUNDING_MAX_DEVIATION_PERCENT = _dose_rounding_limit(env.str("DOSE_ROUNDING_MAX_DEVIATION_PERCENT", default="5"))

# The ward printed on every page of the patient calendar (whom to call); empty: the calendar says it is not set.
WARD_NAME = env.str("WARD_NAME", default="").strip()
WARD_PHONE = env.str("WARD_PHONE", default="").strip()

# The course of treatment (issue 15, docs/adr/0021-treatment-course.md): a weight change at or above
# this per cent of the dose basis weight when a cycle is released recomputes the doses and sends the plan
# for verification again; labs older than this many days are flagged on the release page. Hospital
# settings, not guideline values (the guideline states neither).
CYCLE_WEIGHT_CHANGE_LIMIT_PERCENT = env.float("CYCLE_WEIGHT_CHANGE_LIMIT_PERCENT", default=10.0)
CYCLE_LAB_MAX_AGE_DAYS = env.int("CYCLE_LAB_MAX_AGE_DAYS", default=7)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
