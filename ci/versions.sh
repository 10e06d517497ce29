#!/usr/bin/env bash
# The end-to-end happy path on the newest patch of every supported Airflow 3 line, each in a venv of its own
# (.venv-versions/<line>) with the dependency set of its era, committed in ci/versions/airflow-<line>.txt.
#
#   ci/versions.sh              every line, one after the other (`make test` runs this after pytest)
#   ci/versions.sh 3.0 3.2      only these lines
#   ci/versions.sh compile      re-resolve the committed sets (reads PyPI; the versions are in LINES below)
#
# Airflow's constraint files live on GitHub, out of reach here, so each set is what uv resolves from PyPI as
# it stood a few days after that Airflow release (--exclude-newer). Two exceptions to the date:
# - apache-airflow-providers-common-compat: the provider needs a release newer than every Airflow here, as a
#   user of any line would install it today;
# - the oldest line resolves the provider's direct dependencies to their lowest allowed versions
#   (--resolution lowest-direct), so the floors declared in pyproject.toml are the versions CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

UV=${UV:-.tools/bin/uv}
export UV_PYTHON_DOWNLOADS=never
PYTHON_VERSION=3.11
# Newest common-compat when the sets were last compiled; pinned so that `compile` is reproducible.
COMPAT_CUTOFF=2026-10-25

# line  airflow  released    exclude-newer  resolution
LINES=(
    "3.0  3.0.6  2025-08-29  2025-09-02  lowest-direct"
    "3.1  3.1.8  2026-03-11  2026-03-15  highest"
    "3.2  3.2.2  2026-05-29  2026-06-02  highest"
    "3.3  3.3.2  2026-09-17  2026-09-21  highest"
)

compile_line() {
    local line=$1 airflow=$2 released=$3 cutoff=$4 resolution=$5
    local out=ci/versions/airflow-$line.txt
    local cmd=(uv pip compile pyproject.toml - --extra emulator --python-version "$PYTHON_VERSION"
        --exclude-newer "$cutoff" --exclude-newer-package "apache-airflow-providers-common-compat=$COMPAT_CUTOFF"
        --resolution "$resolution")
    {
        echo "# Airflow $airflow (released $released) with airflow-provider-twitter's dependencies and its [emulator] extra,"
        echo "# as PyPI stood on $cutoff, for Python $PYTHON_VERSION on Linux x86_64. Regenerate with: ci/versions.sh compile"
        echo "#   echo apache-airflow==$airflow | ${cmd[*]}"
        echo apache-airflow=="$airflow" | "$UV" pip compile --quiet --no-header "${cmd[@]:3}"
    } > "$out.tmp"
    mv "$out.tmp" "$out"
    echo "$out: $(grep -cE '^[a-z0-9]' "$out") packages"
}

run_line() {
    local line=$1 airflow=$2
    local venv=.venv-versions/$line python=.venv-versions/$line/bin/python
    local home log start=$SECONDS
    home=$(mktemp -d "${TMPDIR:-/tmp}/airflow-$line.XXXXXX")
    log=.venv-versions/logs/airflow-$line.log
    mkdir -p .venv-versions/logs
    # Called as `run_line || ...`, where set -e does not apply: every step checks its own status.
    if ! { [[ -x $python ]] || "$UV" venv --quiet --python "$PYTHON_VERSION" "$venv"; } ||
        ! "$UV" pip sync --quiet --python "$python" "ci/versions/airflow-$line.txt" ||
        ! "$UV" pip install --quiet --python "$python" --no-deps "$WHEEL"; then
        echo "Airflow $line: FAILED to install ci/versions/airflow-$line.txt"
        return 1
    fi

    # A throw-away AIRFLOW_HOME with SQLite; the working directory is that home, so that `python -m` imports
    # the installed wheel, not the checkout's airflow_provider/.
    local env=(env -u PYTHONPATH -u AIRFLOW_CONN_TWITTER_DEFAULT -u AIRFLOW__CORE__EXECUTOR
        "AIRFLOW_HOME=$home" "AIRFLOW__CORE__DAGS_FOLDER=$PWD/dags" "AIRFLOW__CORE__LOAD_EXAMPLES=False"
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=sqlite:///$home/airflow.db")
    local bin=$PWD/$venv/bin status=0
    {
        echo "== $(date -u +%FT%TZ) Airflow $airflow from ci/versions/airflow-$line.txt"
        "$UV" pip list --python "$python" 2>/dev/null |
            grep -E '^(apache-airflow|apache-airflow-core|apache-airflow-task-sdk|apache-airflow-providers-common-compat|airflow-provider-twitter) '
    } > "$log"
    (
        cd "$home"
        "${env[@]}" "$bin/python" -c 'import airflow_provider; print("provider from", airflow_provider.__file__)' &&
            "${env[@]}" timeout 300 "$bin/airflow" db migrate &&
            "${env[@]}" timeout 300 "$bin/python" -m airflow_provider.emulator --port 0 --processing-secs 4 \
                --check-after-secs 1 -- "$bin/airflow" dags test example_twitter_video
    ) >> "$log" 2>&1 || status=$?
    rm -rf "$home"

    local versions posts
    versions=$(awk '/^apache-airflow |^apache-airflow-providers-common-compat /{printf "%s%s %s", sep, $1, $2; sep=", "}' "$log")
    posts=$(sed -n 's/^Posts made on the emulator: \([0-9]*\)$/\1/p' "$log" | tail -1)
    # The DAG makes one post: none is a failure, and so is a second (the provider must never post twice).
    if [[ $status -ne 0 || ${posts:-0} -ne 1 ]]; then
        echo "Airflow $line: FAILED (exit $status, posts ${posts:-none}) in $((SECONDS - start)) s; $versions; log $log:"
        tail -n 60 "$log"
        return 1
    fi
    echo "Airflow $line: passed, $posts post, in $((SECONDS - start)) s; $versions"
}

if [[ ${1:-} == compile ]]; then
    for spec in "${LINES[@]}"; do compile_line $spec; done
    exit 0
fi

# One wheel, built once, is what every line installs: the package as users get it.
dist=$(mktemp -d "${TMPDIR:-/tmp}/airflow-provider-twitter-dist.XXXXXX")
trap 'rm -rf "$dist"' EXIT
"$UV" build --quiet --wheel --out-dir "$dist" .
WHEEL=$(echo "$dist"/*.whl)

passed=() failed=()
for spec in "${LINES[@]}"; do
    read -r line airflow _ <<< "$spec"
    if [[ $# -gt 0 && " $* " != *" $line "* ]]; then continue; fi
    if run_line "$line" "$airflow"; then passed+=("$line"); else failed+=("$line"); fi
done
if [[ $((${#passed[@]} + ${#failed[@]})) -eq 0 ]]; then
    echo "no Airflow line matches: $* (lines: $(printf '%s ' "${LINES[@]%% *}"))" >&2
    exit 2
fi
# The plain closing line, so that this run's count is the last word of `make test`.
echo "versions: ${#passed[@]} passed, ${#failed[@]} failed"
[[ ${#failed[@]} -eq 0 ]]
