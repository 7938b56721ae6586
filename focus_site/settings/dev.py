"""Local development: DEBUG on, SQLite unless DATABASE_URL says otherwise."""

from .base import *

DEBUG = env_bool("DEBUG", True)
# A development-only key: production.py refuses to start without its own.
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-not-for-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
