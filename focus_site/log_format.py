"""One structured log stream for production: JSON lines on stderr, from Django and gunicorn alike.

Production settings (``LOGGING``) and ``gunicorn.conf.py`` (``logconfig_dict``)
both use :func:`logging_config`, so an unhandled error in a view, a worker
timeout and an access-log line all arrive in the same place and the same
shape, whatever collects stderr (systemd's journal, a container runtime).
Each line is one JSON object; a traceback stays inside its line, so a log
collector never splits one error into many records.
"""

from __future__ import annotations

import json
import logging
import logging.config
from datetime import UTC, datetime

# Fields of gunicorn's access-log record (its "atoms") worth keeping, by name.
ACCESS_FIELDS = {
    "m": "method",
    "U": "path",
    "q": "query",
    "s": "status",
    "B": "bytes",
    "M": "duration_ms",
    "h": "remote_addr",
    "a": "user_agent",
}


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON: time, level, logger, message, and what the record adds."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        request = getattr(record, "request", None)
        if request is not None:
            # django.request and django.security records carry the request.
            entry["method"] = getattr(request, "method", None)
            entry["path"] = getattr(request, "path", None)
        status_code = getattr(record, "status_code", None)
        if status_code is not None:
            entry["status"] = status_code
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            for atom, field in ACCESS_FIELDS.items():
                value = record.args.get(atom)
                if value not in (None, "-", ""):
                    entry[field] = value
        if record.exc_info:
            entry["exception"] = repr(record.exc_info[1])
            entry["traceback"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["traceback"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def logging_config(
    level: str = "WARNING", server_level: str = "INFO", access_log: bool = True
) -> dict:
    """The ``dictConfig`` shared by Django and gunicorn: everything to stderr as JSON lines.

    ``level`` is the application's (LOG_LEVEL), ``server_level`` gunicorn's own
    (GUNICORN_LOG_LEVEL); ``access_log`` keeps or drops one line per request.
    """
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"stderr": handler},
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {
            # Django's own defaults would mail admins and print only under DEBUG;
            # these replace them, and propagate nothing to be printed twice.
            "django": {"handlers": ["stderr"], "level": level.upper(), "propagate": False},
            # Python warnings (deprecations, a missing static folder) as records too.
            "py.warnings": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
            "gunicorn.error": {
                "handlers": ["stderr"],
                "level": server_level.upper(),
                "propagate": False,
            },
            "gunicorn.access": {
                "handlers": ["stderr"],
                "level": "INFO" if access_log else "CRITICAL",
                "propagate": False,
            },
        },
    }


def configure(config: dict) -> None:
    """Django's ``LOGGING_CONFIG``: apply ``LOGGING`` and route Python warnings through it.

    Without this, a warning is printed to stderr as bare text, the one kind of
    line a JSON log collector could not read.
    """
    logging.config.dictConfig(config)
    logging.captureWarnings(True)
