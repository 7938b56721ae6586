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
    # wagtail.contrib.frontend_cache is used as a library, not an app: its
    # signal handlers would purge before the transaction commits, page by
    # page; home.caching purges every affected URL after commit instead.
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
    # Blocks rendered during a request share the pages they load (home.blocks.base).
    "home.blocks.base.PagePoolMiddleware",
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
            # Template tags that gather every content type live with what they
            # gather (docs/architecture.md), not in home/templatetags/.
            "libraries": {
                "feed_tags": "home.feeds.templatetags",
                "seo_tags": "home.seo.templatetags",
            },
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite as a site with simultaneous writers needs it. Immediate transactions
    # take the write lock when they begin, so two writers queue on the busy
    # timeout instead of failing with "database is locked" when a reader turns
    # writer; WAL lets pages be read while an answer is written; synchronous=NORMAL
    # is safe with WAL (a power cut may lose the last commits, never corrupt).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": float(env("SQLITE_BUSY_TIMEOUT", "20")),
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA temp_store=MEMORY;"
            "PRAGMA mmap_size=134217728;"
            "PRAGMA journal_size_limit=27103364;"
            "PRAGMA cache_size=2000"
        ),
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
# Documents: these types only, checked by name and by contents (home/documents.py),
# and no bigger than WAGTAILDOCS_MAX_UPLOAD_SIZE bytes.
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "home.documents.DocumentForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = int(env("WAGTAILDOCS_MAX_UPLOAD_SIZE", str(20 * 1024 * 1024)))
# Documents are always served through Wagtail's view, which enforces private
# collections; never by redirecting to (or linking) the storage's own URL.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# With media on object storage (production.py): the ACL a document's object is
# written with (empty for buckets whose ACLs are disabled; then the bucket policy
# alone must keep documents/ unreadable), and how long a signed URL to one lasts.
FOCUS_PRIVATE_MEDIA_ACL = env("FOCUS_PRIVATE_MEDIA_ACL", "private")
FOCUS_PRIVATE_MEDIA_URL_SECONDS = int(env("FOCUS_PRIVATE_MEDIA_URL_SECONDS", "300"))
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
# Search results a reader can page through: a search matching more says "more
# than" this many rather than counting them all. The ranked ids of each search
# are kept in the cache until content changes.
FOCUS_SEARCH_MAX_RESULTS = max(1, int(env("FOCUS_SEARCH_MAX_RESULTS", "1000")))

# Feeds (/feeds/): entries per feed, how long a built feed is kept (it is also
# rebuilt whenever published content changes), the max-age readers and proxies
# may reuse it for, and which cache holds it (use a shared one in production).
FOCUS_FEED_ITEMS = max(1, int(env("FOCUS_FEED_ITEMS", "20")))
FOCUS_FEED_CACHE_SECONDS = int(env("FOCUS_FEED_CACHE_SECONDS", "86400"))
FOCUS_FEED_MAX_AGE = int(env("FOCUS_FEED_MAX_AGE", "300"))
FOCUS_FEED_CACHE_ALIAS = env("FOCUS_FEED_CACHE_ALIAS", "default")

# Caching. Two aliases, so a flood of page entries can never evict what
# must survive it:
# - "default": rendered pages, feed documents and site fragments (may be evicted);
# - "counters" (FOCUS_COUNTERS_CACHE): cache-tag versions, the feed version and
#   throttle counts (login failures, answer rate limits).
# FOCUS_CACHE_STORE picks where both live: "redis" (REDIS_URL, shared by every
# worker and server), "database" (Django's cache tables in the main database,
# shared too; `migrate` makes the tables) or "local" (per process:
# development and tests only; production refuses it). See docs/deployment.md.
REDIS_URL = env("REDIS_URL")
CACHE_KEY_PREFIX = env("CACHE_KEY_PREFIX", "focus")
FOCUS_CACHE_STORE = (
    (env("FOCUS_CACHE_STORE") or ("redis" if REDIS_URL else "local")).strip().lower()
)
FOCUS_COUNTERS_CACHE = "counters"
# Bounds for stores that cull themselves (database, local memory); Redis is
# bounded by its own maxmemory.
FOCUS_PAGE_CACHE_MAX_ENTRIES = int(env("FOCUS_PAGE_CACHE_MAX_ENTRIES", "20000"))


def cache_settings(store: str) -> dict[str, dict]:
    """The CACHES setting for one store kind."""
    if store == "redis":
        if not REDIS_URL:
            raise ImproperlyConfigured("FOCUS_CACHE_STORE=redis needs REDIS_URL.")
        return {
            "default": {
                "BACKEND": "home.caching.redis_store.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": CACHE_KEY_PREFIX,
            },
            # Same server by default, its own key space; FOCUS_COUNTERS_REDIS_URL
            # may name a server (or database) configured never to evict.
            "counters": {
                "BACKEND": "home.caching.redis_store.RedisCache",
                "LOCATION": env("FOCUS_COUNTERS_REDIS_URL", REDIS_URL),
                "KEY_PREFIX": f"{CACHE_KEY_PREFIX}-counters",
            },
        }
    if store == "database":
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "focus_page_cache",
                "KEY_PREFIX": CACHE_KEY_PREFIX,
                "OPTIONS": {"MAX_ENTRIES": FOCUS_PAGE_CACHE_MAX_ENTRIES},
            },
            # A table of its own, never culled, where each increment is one
            # atomic statement (DatabaseCache.incr would lose counts under a crowd).
            "counters": {
                "BACKEND": "home.caching.counters.DatabaseCounters",
                "KEY_PREFIX": CACHE_KEY_PREFIX,
            },
        }
    if store == "local":
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "focus-pages",
                "OPTIONS": {"MAX_ENTRIES": FOCUS_PAGE_CACHE_MAX_ENTRIES},
            },
            "counters": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "focus-counters",
                "OPTIONS": {"MAX_ENTRIES": 10_000_000},
            },
        }
    raise ImproperlyConfigured(
        f"FOCUS_CACHE_STORE must be redis, database or local, not {store!r}."
    )


CACHES = cache_settings(FOCUS_CACHE_STORE)
# Full-page cache for anonymous readers (home/caching/).
FOCUS_PAGE_CACHE_ENABLED = env_bool("FOCUS_PAGE_CACHE_ENABLED", True)
FOCUS_PAGE_CACHE_SECONDS = int(env("FOCUS_PAGE_CACHE_SECONDS", "3600"))
# Page fragments (home/caching/fragments.py): a published article's, issue's
# and the home page's head and content, kept in the page cache and reused by
# uncached renders until something they show changes.
FOCUS_FRAGMENT_CACHE_ENABLED = env_bool("FOCUS_FRAGMENT_CACHE_ENABLED", True)
FOCUS_CDN_MAX_AGE = int(env("FOCUS_CDN_MAX_AGE", "3600"))
# Name the answering process in an X-Worker header (tests prove every worker
# serves fresh pages; operators may find it useful behind a balancer).
FOCUS_WORKER_HEADER = env_bool("FOCUS_WORKER_HEADER", False)
# App servers' clocks may differ by this much; pages rendered that close to a
# change are not trusted.
FOCUS_PAGE_CACHE_CLOCK_SKEW = float(env("FOCUS_PAGE_CACHE_CLOCK_SKEW", "0.5"))
# A page-cache hit may reuse tag versions its process read this recently
# instead of asking the shared store again (home/caching/tags.py): another
# worker's edit shows at most this much later. 0 reads them on every hit.
FOCUS_TAG_VERSIONS_REUSE_SECONDS = float(env("FOCUS_TAG_VERSIONS_REUSE_SECONDS", "0.5"))


# Each worker also keeps the page entries it served last, up to this many bytes
# of content, and serves them again after the same check of the shared tag
# versions (home/caching/local_entries.py). Pointless where the page cache is
# per process already.
# A URL whose response was untagged (never stored: forms, the list of feeds) is not looked
# up in the page cache again for this long, in the worker that answered it.
FOCUS_PAGE_CACHE_UNTAGGED_SECONDS = float(env("FOCUS_PAGE_CACHE_UNTAGGED_SECONDS", "60"))


def page_cache_local_bytes(store: str) -> int:
    default = 0 if store == "local" else 32 * 1024 * 1024
    return int(env("FOCUS_PAGE_CACHE_LOCAL_BYTES", str(default)))


FOCUS_PAGE_CACHE_LOCAL_BYTES = page_cache_local_bytes(FOCUS_CACHE_STORE)
# Extra origins allowed for images and media (object storage, CDN).
FOCUS_CSP_MEDIA_ORIGINS = env_list("FOCUS_CSP_MEDIA_ORIGINS")
# The client address every throttle counts (focus_site/client_address.py): how
# many proxies of our own (CDN, load balancer) append to X-Forwarded-For. 0: the
# site is reached directly and REMOTE_ADDR is the client. Too high a number lets
# clients choose their address; too low makes every reader one proxy.
FOCUS_TRUSTED_PROXY_COUNT = int(env("FOCUS_TRUSTED_PROXY_COUNT", "0"))
# The variables it replaces: ignoring one that asked for a proxy would silently
# count every reader as that proxy, so start-up stops instead.
if env_bool("FOCUS_TRUST_X_FORWARDED_FOR") or env("FOCUS_CLIENT_IP_HEADER", "").strip():
    raise ImproperlyConfigured(
        "FOCUS_TRUST_X_FORWARDED_FOR and FOCUS_CLIENT_IP_HEADER are no longer read: set "
        "FOCUS_TRUSTED_PROXY_COUNT to the number of proxies that append to X-Forwarded-For."
    )
# Admin sign-in: attempts per username and address, and per address alone,
# within the window; past either the address waits out the window.
FOCUS_LOGIN_MAX_FAILURES = int(env("FOCUS_LOGIN_MAX_FAILURES", "5"))
FOCUS_LOGIN_MAX_FAILURES_PER_ADDRESS = int(env("FOCUS_LOGIN_MAX_FAILURES_PER_ADDRESS", "20"))
FOCUS_LOGIN_LOCKOUT_SECONDS = int(env("FOCUS_LOGIN_LOCKOUT_SECONDS", "900"))
# Password-protected pages and document collections: attempts per address.
FOCUS_PAGE_PASSWORD_MAX_ATTEMPTS = int(env("FOCUS_PAGE_PASSWORD_MAX_ATTEMPTS", "10"))
FOCUS_PAGE_PASSWORD_WINDOW = int(env("FOCUS_PAGE_PASSWORD_WINDOW", "900"))

# Question of the Week responses (see the README). Per-client limit on
# submissions within a window; counted in the counters cache, shared by every
# worker in production.
FOCUS_RESPONSES_RATE_LIMIT = int(env("FOCUS_RESPONSES_RATE_LIMIT", "10"))
FOCUS_RESPONSES_RATE_WINDOW = int(env("FOCUS_RESPONSES_RATE_WINDOW", "600"))
# "each": one email per new response; "digest": only the send_response_digest
# command mails them; "off": no email.
FOCUS_RESPONSES_NOTIFY = env("FOCUS_RESPONSES_NOTIFY", "each")
# Who is told; empty means the site settings' newsletter address.
FOCUS_RESPONSES_NOTIFY_EMAILS = env_list("FOCUS_RESPONSES_NOTIFY_EMAILS")
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
# Signups per client address (past it: 429), and subscription emails any one
# inbox receives (past it: the same answer, no email), within the window.
FOCUS_SIGNUP_RATE_LIMIT = int(env("FOCUS_SIGNUP_RATE_LIMIT", "10"))
FOCUS_SIGNUP_EMAIL_RATE_LIMIT = int(env("FOCUS_SIGNUP_EMAIL_RATE_LIMIT", "3"))
FOCUS_SIGNUP_RATE_WINDOW = int(env("FOCUS_SIGNUP_RATE_WINDOW", "3600"))
NEWSLETTER_BATCH_SIZE = int(env("NEWSLETTER_BATCH_SIZE", "200"))
# A live sender renews its claim on a batch every NEWSLETTER_CLAIM_HEARTBEAT
# seconds, however long the mail relay keeps it waiting; a claim not renewed for
# NEWSLETTER_CLAIM_TIMEOUT seconds belongs to a sender that died, and the next
# send takes it over.
NEWSLETTER_CLAIM_TIMEOUT = float(env("NEWSLETTER_CLAIM_TIMEOUT", "900"))
NEWSLETTER_CLAIM_HEARTBEAT = float(env("NEWSLETTER_CLAIM_HEARTBEAT", "60"))
