#!/bin/sh
# Check every setting before the service starts: a bad value stops the container with one line per problem
# (from `partyledger settings`) instead of a traceback from deep inside uvicorn or celery.
set -e
partyledger settings >/dev/null
exec "$@"
