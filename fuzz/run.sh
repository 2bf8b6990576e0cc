#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600), JOBS at a time (default 2), and prints how
# each run ended. Logs go to fuzz/logs/TARGET.log, crashes to fuzz/artifacts/TARGET/.
#   fuzz/run.sh [SECONDS] [JOBS] [TARGET...]
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain; see docs/fuzzing.md.
set -uo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
jobs=${2:-2}
shift 2 2>/dev/null || shift $#
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
mkdir -p logs
cargo +nightly fuzz build -O >/dev/null
run_one() {
    local t=$1 start end rc
    start=$(date -u +%H:%M:%S)
    cargo +nightly fuzz run -O "$t" -- -max_total_time="$seconds" -rss_limit_mb=2048 \
        -timeout=10 -print_final_stats=1 >"logs/$t.log" 2>&1
    rc=$?
    end=$(date -u +%H:%M:%S)
    echo "$t: exit $rc, $start-$end UTC, $(grep -E '^Done [0-9]+ runs' "logs/$t.log" | tail -1)"
}
running=0
for t in "${targets[@]}"; do
    run_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait
