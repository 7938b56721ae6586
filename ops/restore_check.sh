#!/usr/bin/env bash
# Prove a backup restores: load it into a scratch database, then check that
# the site starts and serves its pages from the restored data.
#   ops/restore_check.sh /backups/focus-20260206T000000Z postgres://postgres@127.0.0.1:5432
set -euo pipefail
backup="${1:?usage: ops/restore_check.sh BACKUP_FOLDER SERVER_URL}"
server="${2:?usage: ops/restore_check.sh BACKUP_FOLDER SERVER_URL}"
( cd "$backup" && sha256sum --check --quiet SHA256SUMS )
scratch="focus_restore_check_$$"
psql "$server/postgres" -qc "CREATE DATABASE $scratch"
trap 'psql "$server/postgres" -qc "DROP DATABASE IF EXISTS $scratch"' EXIT
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$server/$scratch" "$backup/database.dump"
media="$(mktemp -d)"
if [ -f "$backup/media.tar.gz" ]; then tar -C "$media" -xzf "$backup/media.tar.gz"; fi
cd "$(dirname "$0")/.."
DATABASE_URL="$server/$scratch" MEDIA_ROOT="$media" DJANGO_SETTINGS_MODULE=focus_site.settings.dev \
    "${PYTHON:-.venv/bin/python}" manage.py shell -c "
from django.test import Client
from wagtail.models import Page
live = Page.objects.live().filter(depth__gt=1)
failures = [p.url for p in live[:200] if p.url and Client().get(p.url, HTTP_HOST='127.0.0.1').status_code != 200]
print(f'restored {live.count()} live pages; {len(failures)} failed to render')
raise SystemExit(1 if failures or not live.exists() else 0)
"
rm -rf "$media"
