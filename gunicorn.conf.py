"""Gunicorn settings for Focus; every value can be overridden from the environment."""

import multiprocessing
import os
import sys

from focus_site.log_format import logging_config

REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "WAGTAILADMIN_BASE_URL")

wsgi_app = "focus_site.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers: page rendering is CPU-bound and the database is close by.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Load the application once in the master: faster worker starts, shared memory.
preload_app = True
# The load balancer terminates TLS and sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# One line per request unless GUNICORN_ACCESS_LOG is set empty.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
# No control socket: it would be created under the service user's home, which
# app servers need not have (same as --no-control-socket).
control_socket_disable = True
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# gunicorn's messages, its access log and Django's errors share one format and
# one stream: JSON lines on stderr (focus_site/log_format.py, docs/deployment.md).
logconfig_dict = logging_config(
    os.environ.get("LOG_LEVEL", "WARNING"), server_level=loglevel, access_log=bool(accesslog)
)


def on_starting(server):
    # Fail before forking workers, with one line naming what is missing.
    if os.environ.get("DJANGO_SETTINGS_MODULE", "focus_site.settings.production").endswith(
        "production"
    ):
        missing = [name for name in REQUIRED if not os.environ.get(name, "").strip()]
        if missing:
            sys.exit(f"Focus cannot start: set the environment variable(s) {', '.join(missing)}.")
