#!/usr/bin/env bash
# Back up Focus: a PostgreSQL dump plus the media files, into one dated folder.
#   DATABASE_URL=postgres://... MEDIA_ROOT=/srv/focus/media ops/backup.sh /backups
# With media on object storage, MEDIA_ROOT is unset and the bucket is copied
# by the storage provider's own versioning/replication instead.
set -euo pipefail
target="${1:?usage: ops/backup.sh BACKUP_DIR}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$target/focus-$stamp"
mkdir -p "$out"
pg_dump --format=custom --no-owner --no-privileges --dbname="${DATABASE_URL:?}" --file="$out/database.dump"
if [ -n "${MEDIA_ROOT:-}" ] && [ -d "$MEDIA_ROOT" ]; then
    tar -C "$MEDIA_ROOT" -czf "$out/media.tar.gz" .
fi
( cd "$out" && sha256sum ./* > SHA256SUMS )
echo "$out"
