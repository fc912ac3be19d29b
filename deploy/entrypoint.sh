#!/bin/sh
# Check every setting before the service starts: a bad value stops the container with one line per problem
# (from `partyledger settings`) instead of a traceback from deep inside uvicorn or celery.
set -e
partyledger settings >/dev/null
# The API's processes sum their metrics through this folder, which must be empty when they start.
if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ] && [ "$1" = "uvicorn" ]; then
  rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
fi
exec "$@"
