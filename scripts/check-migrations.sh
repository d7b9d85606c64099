#!/usr/bin/env bash
# A migration that has landed on main is never edited: a database made before the edit would
# never receive it. Each migration file must read today as it did when it first landed: as at
# BASELINE, the last main known to have landed, for files it holds, otherwise as the first commit
# on main's own line that brought it. Needs the history of main (a full clone).
set -euo pipefail
cd "$(dirname "$0")/.."
BASELINE=6f126f0

if ! git cat-file -e "$BASELINE^{commit}" 2>/dev/null; then
  echo "check-migrations: commit $BASELINE is not in this clone's history; fetch the full history" >&2
  exit 1
fi

failed=0
for file in db/migrations/*.sql db/migrations/meta/*_snapshot.json; do
  [ -e "$file" ] || continue
  if git cat-file -e "$BASELINE:$file" 2>/dev/null; then
    landed=$BASELINE
  else
    # The first commit on main's own line that brought the file.
    landed=$(git log --first-parent --diff-filter=A --format=%H -- "$file" | tail -n 1)
    if [ -z "$landed" ]; then continue; fi # not committed yet: nothing has landed
  fi
  if ! git diff --quiet "$landed" -- "$file"; then
    echo "check-migrations: $file changed after it landed in ${landed:0:7}; restore it and add a new migration instead" >&2
    failed=1
  fi
done
# A landed migration may not disappear either.
for file in $(git ls-tree --name-only "$BASELINE" db/migrations/ db/migrations/meta/ | grep -E '\.sql$|_snapshot\.json$'); do
  if [ ! -e "$file" ]; then
    echo "check-migrations: $file was removed after it landed; migrations are append-only" >&2
    failed=1
  fi
done
[ "$failed" = 0 ] && echo "check-migrations: every landed migration is as it landed"
exit "$failed"
