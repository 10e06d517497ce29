#!/usr/bin/env bash
# `make test`, the CI gate: every tier, the independent ones side by side, and each tier's time at the end.
#
#   1. check       lint, then the unit, emulator and contract tests (make check; stops here if it fails)
#   2. e2e         the example DAGs with `airflow dags test` against the emulator (make e2e, pytest-xdist workers),
#      versions    alongside it: the example DAG on every Airflow line, each in a venv of its own (make versions),
#                  mostly installing packages, so it costs the e2e workers little CPU
#   3. deployment  Airflow as separate processes on PostgreSQL, alone: its timing is a real scheduler's
#   4. dist        the sdist and the wheel, built and checked
#
# Every tier after check runs even when one fails, so that one CI run reports them all.
set -uo pipefail
cd "$(dirname "$0")/.."

summary=()
failed=0

record() {  # tier, exit status, seconds
    local outcome=passed
    if [[ $2 -ne 0 ]]; then outcome=FAILED; failed=1; fi
    summary+=("$(printf '  %-10s %-6s %4d s' "$1" "$outcome" "$3")")
}

tier() {  # tier, command...
    local name=$1 start=$SECONDS status=0
    shift
    echo "== $name: $*"
    "$@" || status=$?
    record "$name" "$status" $((SECONDS - start))
}

report() {
    echo
    echo "make test, $((SECONDS / 60)) min $((SECONDS % 60)) s in all:"
    printf '%s\n' "${summary[@]}"
}

tier check make --no-print-directory check
if [[ $failed -ne 0 ]]; then
    report
    exit 1
fi

logs=.venv-versions/logs
mkdir -p "$logs"
(
    start=$SECONDS status=0
    make --no-print-directory versions > "$logs/make-versions.log" 2>&1 || status=$?
    echo "$status $((SECONDS - start))" > "$logs/make-versions.status"
) &
versions=$!
tier e2e make --no-print-directory e2e
wait "$versions"
echo "== versions (ran alongside e2e): ci/versions.sh"
cat "$logs/make-versions.log"
read -r status seconds < "$logs/make-versions.status"
record versions "$status" "$seconds"

tier deployment make --no-print-directory deployment
tier dist make --no-print-directory dist

report
exit "$failed"
