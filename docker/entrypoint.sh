#!/bin/sh
# Chooses the role of the helpdesk image: api (default), worker, migrate, mail-catcher,
# or any other command (e.g. `sh`).
set -e
role="${1:-api}"
[ "$#" -gt 0 ] && shift

case "$role" in
  api)
    exec npm run --silent start:api
    ;;
  worker)
    exec npm run --silent start:worker
    ;;
  migrate)
    # Migrations, then the idempotent demo data (set SEED=false to skip it).
    npm run --silent migrate
    if [ "${SEED:-true}" = "true" ]; then
      exec npm run --silent seed
    fi
    ;;
  mail-catcher)
    exec node scripts/mail-catcher.mjs --host 0.0.0.0 \
      --smtp-port "${MAIL_CATCHER_SMTP_PORT:-1025}" --http-port "${MAIL_CATCHER_HTTP_PORT:-1080}"
    ;;
  *)
    exec "$role" "$@"
    ;;
esac
