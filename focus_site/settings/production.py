"""Production: every secret and host from the environment, hardened defaults."""

from focus_site.log_format import logging_config

from .base import *

DEBUG = False


def _required(name: str) -> str:
    # One line naming the variable, not a traceback, when start-up fails.
    try:
        return require_env(name)
    except ImproperlyConfigured as error:
        raise SystemExit(f"Focus cannot start: {error}") from None


SECRET_KEY = _required("SECRET_KEY")
_required("ALLOWED_HOSTS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
_required("DATABASE_URL")
WAGTAILADMIN_BASE_URL = _required("WAGTAILADMIN_BASE_URL")
DATABASES["default"]["CONN_MAX_AGE"] = int(env("DB_CONN_MAX_AGE", "60"))

# The page cache, its tag versions and the throttles must be shared by every
# worker: a per-process store would let one worker serve a page another
# worker's editor just changed. Without Redis, the database's cache tables.
if not env("FOCUS_CACHE_STORE"):
    FOCUS_CACHE_STORE = "redis" if REDIS_URL else "database"
if FOCUS_CACHE_STORE == "local":
    raise SystemExit(
        "Focus cannot start: FOCUS_CACHE_STORE=local is per process; set REDIS_URL "
        "or FOCUS_CACHE_STORE=database."
    )
try:
    CACHES = cache_settings(FOCUS_CACHE_STORE)
except ImproperlyConfigured as error:
    raise SystemExit(f"Focus cannot start: {error}") from None
FOCUS_PAGE_CACHE_LOCAL_BYTES = page_cache_local_bytes(FOCUS_CACHE_STORE)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Wagtail marks its preview views SAMEORIGIN itself, so DENY keeps preview working.
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

if REDIS_URL:
    # Sessions survive a restart (database) and are read from Redis.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Media on S3-compatible object storage when a bucket is named: images public
# (by bucket policy), documents private (focus_site/storage.py, docs/deployment.md).
if env("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "focus_site.storage.MediaStorage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
            "region_name": env("AWS_S3_REGION_NAME"),
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN"),
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }

# A CDN in front: purge changed pages through Wagtail's frontend-cache hook.
if env("FRONTEND_CACHE_CLOUDFLARE_ZONEID"):
    WAGTAILFRONTENDCACHE = {
        "cloudflare": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "BEARER_TOKEN": require_env("FRONTEND_CACHE_CLOUDFLARE_TOKEN"),
            "ZONEID": env("FRONTEND_CACHE_CLOUDFLARE_ZONEID"),
        }
    }
elif env("FRONTEND_CACHE_PURGE_URL"):
    # Varnish, Fastly's HTTP purge or any cache that accepts PURGE requests.
    WAGTAILFRONTENDCACHE = {
        "http": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": env("FRONTEND_CACHE_PURGE_URL"),
        }
    }

# Errors and warnings as JSON lines on stderr, the same stream and format as
# gunicorn's own logs (gunicorn.conf.py); see docs/deployment.md.
LOGGING_CONFIG = "focus_site.log_format.configure"
# gunicorn loads the application after configuring its own logging, and this
# replaces it: so it reads gunicorn's settings too, or GUNICORN_LOG_LEVEL and
# an empty GUNICORN_ACCESS_LOG would be ignored.
LOGGING = logging_config(
    env("LOG_LEVEL", "WARNING"),
    server_level=env("GUNICORN_LOG_LEVEL", "info"),
    access_log=bool(env("GUNICORN_ACCESS_LOG", "-")),
)
