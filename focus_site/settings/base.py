"""Settings shared by every environment.

Everything that differs between machines comes from the environment; the
defaults here are the safe ones (DEBUG off, no hosts allowed).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def require_env(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "home",
    "issues",
    "insights",
    "wagtail_modeladmin",
    # Translators work in the admin with wagtail-localize: the English source
    # beside their text, segment by segment, kept in sync with later edits.
    "wagtail_localize",
    # Replaces wagtail.locales: its locale admin also syncs a locale from another.
    "wagtail_localize.locales",
    # Stores background tasks in the database when TASKS_BACKEND selects it.
    "django_tasks_db",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.postgres",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # WhiteNoise sits right after SecurityMiddleware so static files skip the rest.
    "focus_site.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and auth, so a cached page costs no database query.
    "home.caching.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware (which reads the active language
    # when it redirects): picks the edition from the /zh-hans/ or /zh-hant/ prefix.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "focus_site.security.LoginThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "focus_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "focus_site.wsgi.application"

# DATABASE_URL picks the database (PostgreSQL in production); without it a
# local SQLite file keeps the development set-up to zero steps.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The editions: English (unprefixed URLs), Simplified and Traditional Chinese
# under /zh-hans/ and /zh-hant/. Interface text, dates and numbers follow them.
LANGUAGE_CODE = "en"
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Hong_Kong")
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "static")))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names let browsers cache static files forever; WhiteNoise also
    # pre-compresses them.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The page editor posts one field per block; long issues exceed Django's 1000.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Focus This Week <newsletter@focus.example>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Wagtail
WAGTAIL_SITE_NAME = "Focus"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {
    # Wagtail's database backend (PostgreSQL full-text search on PostgreSQL,
    # SQLite FTS5 in development: no search server to run), with Chinese text
    # segmented into words and normalised to one script (home/search/backend.py).
    "default": {
        "BACKEND": "home.search.backend",
        # PostgreSQL's English configuration stems words ("negotiating" finds
        # "negotiable"); SQLite ignores it.
        "SEARCH_CONFIG": env("SEARCH_CONFIG", "english"),
    },
}
# The admin would otherwise ask a third party for every user's avatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_I18N_ENABLED = True
# A new translation starts as a draft, even of a live page: its text is the
# English source until a translator replaces it.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False

# Items per page on listings (Insights, topics, authors, archives).
FOCUS_LISTING_PAGE_SIZE = int(env("FOCUS_LISTING_PAGE_SIZE", "12"))

# Feeds (/feeds/): entries per feed, how long a built feed is kept (it is also
# rebuilt whenever published content changes), the max-age readers and proxies
# may reuse it for, and which cache holds it (use a shared one in production).
FOCUS_FEED_ITEMS = max(1, int(env("FOCUS_FEED_ITEMS", "20")))
FOCUS_FEED_CACHE_SECONDS = int(env("FOCUS_FEED_CACHE_SECONDS", "86400"))
FOCUS_FEED_MAX_AGE = int(env("FOCUS_FEED_MAX_AGE", "300"))
FOCUS_FEED_CACHE_ALIAS = env("FOCUS_FEED_CACHE_ALIAS", "default")

# Caching: Redis when REDIS_URL is set (shared by every app server), else
# local memory (one process; fine for development).
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "focus"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# Full-page cache for anonymous readers (home/caching/).
FOCUS_PAGE_CACHE_ENABLED = env_bool("FOCUS_PAGE_CACHE_ENABLED", True)
FOCUS_PAGE_CACHE_SECONDS = int(env("FOCUS_PAGE_CACHE_SECONDS", "3600"))
FOCUS_CDN_MAX_AGE = int(env("FOCUS_CDN_MAX_AGE", "3600"))
# App servers' clocks may differ by this much; pages rendered that close to a
# change are not trusted.
FOCUS_PAGE_CACHE_CLOCK_SKEW = float(env("FOCUS_PAGE_CACHE_CLOCK_SKEW", "0.5"))
# Extra origins allowed for images and media (object storage, CDN).
FOCUS_CSP_MEDIA_ORIGINS = env_list("FOCUS_CSP_MEDIA_ORIGINS")
# Admin sign-in: this many failures per address or username locks it out.
FOCUS_LOGIN_MAX_FAILURES = int(env("FOCUS_LOGIN_MAX_FAILURES", "5"))
FOCUS_LOGIN_LOCKOUT_SECONDS = int(env("FOCUS_LOGIN_LOCKOUT_SECONDS", "900"))
FOCUS_TRUST_X_FORWARDED_FOR = env_bool("FOCUS_TRUST_X_FORWARDED_FOR", False)

# Question of the Week responses (see the README). Per-client limit on
# submissions within a window; counted in the default cache, so production
# should use a cache shared by every worker.
FOCUS_RESPONSES_RATE_LIMIT = int(env("FOCUS_RESPONSES_RATE_LIMIT", "10"))
FOCUS_RESPONSES_RATE_WINDOW = int(env("FOCUS_RESPONSES_RATE_WINDOW", "600"))
# Behind a reverse proxy, the request header holding the client address
# (e.g. HTTP_X_FORWARDED_FOR; its last entry is used). Empty: REMOTE_ADDR.
FOCUS_CLIENT_IP_HEADER = env("FOCUS_CLIENT_IP_HEADER", "")
# "each": one email per new response; "digest": only the send_response_digest
# command mails them; "off": no email.
FOCUS_RESPONSES_NOTIFY = env("FOCUS_RESPONSES_NOTIFY", "each")
# Who is told; empty means the site settings' newsletter address.
FOCUS_RESPONSES_NOTIFY_EMAILS = env_list("FOCUS_RESPONSES_NOTIFY_EMAILS")
# A slow mail server must not hold the reader's request.
FOCUS_RESPONSES_NOTIFY_ASYNC = env_bool("FOCUS_RESPONSES_NOTIFY_ASYNC", True)
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "10"))

# Background work (Wagtail's own and the newsletter's) goes through Django's
# tasks framework. The immediate backend runs a task in the calling process;
# production sets TASKS_BACKEND=django_tasks_db.DatabaseBackend and runs
# `manage.py db_worker`, which picks the tasks up from the database.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# Newsletter: how long a signup's confirmation link stays valid, and how many
# messages go to the mail server per connection.
NEWSLETTER_CONFIRM_MAX_AGE = int(env("NEWSLETTER_CONFIRM_MAX_AGE", str(7 * 24 * 60 * 60)))
NEWSLETTER_BATCH_SIZE = int(env("NEWSLETTER_BATCH_SIZE", "200"))
# A batch still marked "being sent" after this many seconds belongs to a sender
# that died; the next send takes it over.
NEWSLETTER_CLAIM_TIMEOUT = int(env("NEWSLETTER_CLAIM_TIMEOUT", "900"))
