#!/usr/bin/env bash
# Whole-process benchmark of sfjwt against the same checks done by hand with the OpenSSL CLI, in
# one run: one bundle against the physical limit (a process start plus one RSA-2048 signature
# and one verification), startup, fleets of 1,000, 10,000 and 100,000 bundles (CPU per bundle in
# OpenSSL signatures, peak memory: flat with the fleet), and the cost of one RSA-2048 signature
# in OpenSSL (`openssl speed`). It also checks that the benchmarked runs give
# the right results. docs/performance.md explains the targets and shows a run of it.
#
# Needs: hyperfine (Debian: `apt-get install hyperfine`, or `cargo install hyperfine`), openssl,
# GNU time at /usr/bin/time (Debian: `apt-get install time`), python3, the Rust toolchain, and
# optionally strace (Debian: `apt-get install strace`) to check what startup initialises.
#
# Usage: scripts/bench.sh [--quick] [--baseline BIN] [--out DIR]
#   --quick          fewer runs, and a fleet of 200 only (a smoke test of the script)
#   --baseline BIN   also time another sfjwt binary (e.g. a build of an older commit) on the
#                    same inputs, side by side
#   --out DIR        where to keep the results (default: target/bench); DIR/summary.md is the
#                    table, DIR/*.json the raw hyperfine exports
# SFJWT=path overrides the binary under test (default: a fresh `cargo build --release`).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

quick=0
baseline=
out=$root/target/bench
while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=1 ;;
    --baseline) baseline=$(realpath "${2:?--baseline needs a path}"); shift ;;
    --out) out=${2:?--out needs a path}; shift ;;
    -h | --help) sed -n '2,/^set -euo/{/^#/p}' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done

for tool in hyperfine openssl python3 rustc; do
    command -v "$tool" >/dev/null || {
        echo "bench.sh: $tool is not installed (hyperfine: apt-get install hyperfine)" >&2
        exit 2
    }
done
[ -x /usr/bin/time ] || { echo "bench.sh: GNU time is missing: apt-get install time" >&2; exit 2; }

if [ -z "${SFJWT:-}" ]; then
    cargo build --release --quiet
    SFJWT=$root/target/release/sfjwt
fi
SFJWT=$(realpath "$SFJWT")
mkdir -p "$out"
out=$(realpath "$out")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

AT=2026-11-29T13:00:00Z # the tests' instant: the report must equal their snapshot
if [ $quick = 1 ]; then runs=10 fleet_runs=3 sizes="200"; else runs=50 fleet_runs=5 sizes="1000 10000 100000"; fi

# --- The machine -----------------------------------------------------------------------------
{
    echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)," \
        "$(free -g | awk '/^Mem:/ {print $2}') GiB"
    echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "$($SFJWT --version); $(openssl version); $(rustc --version)"
} | tee "$out/machine.txt"

# --- Inputs: copies of fixtures/valid with the key at 0600, run by relative name ---------------
copy() { # FIXTURE DEST
    mkdir -p "$2"
    cp "$root/fixtures/$1"/* "$2"/
    chmod 600 "$2/server.key"
}
copy valid "$tmp/valid"
for n in $sizes; do
    # Hard links to a few copies of the bundle (a file may have at most 65,000 links on ext4):
    # 100,000 bundles are made in seconds, and every one reads as fixtures/valid.
    python3 - "$tmp/valid" "$tmp/fleet$n" "$n" <<'EOF'
import os, shutil, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
copies = []
for c in range(n // 50000 + 1):
    copy = f"{dst}.src{c}"
    shutil.copytree(src, copy)
    os.chmod(os.path.join(copy, "server.key"), 0o600)
    copies.append(copy)
os.makedirs(dst)
for i in range(n):
    d = os.path.join(dst, f"b{i:06d}")
    os.mkdir(d)
    copy = copies[i // 50000]
    for f in os.listdir(copy):
        os.link(os.path.join(copy, f), os.path.join(d, f))
EOF
done
# A process start, for the startup target: a Rust hello world built with the same toolchain.
echo 'fn main() { println!("hello"); }' >"$tmp/hello.rs"
rustc -O -o "$tmp/hello" "$tmp/hello.rs"
cd "$tmp"

# --- openssl speed: the cost of one RSA-2048 signature --------------------------------------
openssl speed -mr -seconds 2 rsa2048 2>/dev/null | awk -F: '/^\+F2:/ {printf "%.9f %.9f\n", 1 / $4, 1 / $5}' >"$out/openssl-rsa-seconds.txt"
cut -d' ' -f1 "$out/openssl-rsa-seconds.txt" >"$out/openssl-sign-seconds.txt"
echo "openssl speed rsa2048: $(cut -d' ' -f1 "$out/openssl-rsa-seconds.txt") s per signature, $(cut -d' ' -f2 "$out/openssl-rsa-seconds.txt") s per verification"

check_cmd() { # LABEL BIN DIR: the timed sfjwt command for a bundle or a directory of bundles
    echo "$2 check --at $AT --format json --output $tmp/report-$1-$3.json $3"
}

# --- One bundle, and startup ------------------------------------------------------------------
one=(--command-name "openssl-by-hand" "bash $root/scripts/openssl-by-hand.sh valid $tmp"
    --command-name "sfjwt-one" "$(check_cmd sfjwt "$SFJWT" valid)")
[ -n "$baseline" ] && one+=(--command-name "baseline-one" "$(check_cmd baseline "$baseline" valid)")
# explain: the catalog parsed and indexed, one paste matched (a Java key error, a client entry).
explain_arg='"java.security.InvalidKeyException: IOException : algid parse error, not a sequence"'
one+=(--command-name "sfjwt-explain" "$SFJWT explain $explain_arg")
[ -n "$baseline" ] && one+=(--command-name "baseline-explain" "$baseline explain $explain_arg")
one+=(--command-name "process-start" "$tmp/hello"
    --command-name "sfjwt-version" "$SFJWT --version")
[ -n "$baseline" ] && one+=(--command-name "baseline-version" "$baseline --version")
hyperfine -N --warmup 5 --runs $runs --export-json "$out/one.json" "${one[@]}"

# --- Fleets ----------------------------------------------------------------------------------
for n in $sizes; do
    # 100,000 bundles take a minute a run: timed once, below, with its memory.
    [ "$n" -ge 100000 ] && continue
    fleet=(--command-name "sfjwt-fleet$n" "$(check_cmd sfjwt "$SFJWT" fleet$n)")
    [ -n "$baseline" ] && fleet+=(--command-name "baseline-fleet$n" "$(check_cmd baseline "$baseline" fleet$n)")
    r=$fleet_runs
    [ "$n" -ge 10000 ] && r=3
    hyperfine -N --warmup 1 --runs $r --export-json "$out/fleet$n.json" "${fleet[@]}"
done

# --- The app side: --app-metadata (fixtures/app/eca-valid) on one bundle and on the smallest
# fleet, which reads the metadata once for all its bundles.
cp -r "$root/fixtures/app/eca-valid" "$tmp/app"
first=${sizes%% *}
hyperfine -N --warmup 3 --runs $runs --export-json "$out/app.json" \
    --command-name "sfjwt-one-app" "$SFJWT check --at $AT --format json --output $tmp/app-one.json --app-metadata app valid" \
    --command-name "sfjwt-fleet$first-app" "$SFJWT check --at $AT --format json --output $tmp/app-fleet.json --app-metadata app fleet$first"

# --- Peak memory (max RSS) with GNU time -------------------------------------------------------
: >"$out/memory.txt"
mem() { # NAME COMMAND...
    local name=$1; shift
    /usr/bin/time -f "$name %M %e %U %S" -a -o "$out/memory.txt" "$@" >/dev/null
}
mem openssl-by-hand bash "$root/scripts/openssl-by-hand.sh" valid "$tmp"
mem sfjwt-version "$SFJWT" --version
mem sfjwt-one $(check_cmd sfjwt "$SFJWT" valid)
for n in $sizes; do mem "sfjwt-fleet$n" $(check_cmd sfjwt "$SFJWT" "fleet$n"); done
if [ -n "$baseline" ]; then
    mem baseline-one $(check_cmd baseline "$baseline" valid)
    for n in $sizes; do mem "baseline-fleet$n" $(check_cmd baseline "$baseline" "fleet$n"); done
fi

# --- The results are the right ones ------------------------------------------------------------
# The one-bundle report equals the test suite's snapshot of fixtures/valid; every bundle of a
# fleet has the same findings as that bundle, its own paths aside; the OpenSSL steps all pass.
bash "$root/scripts/openssl-by-hand.sh" valid "$tmp" >"$out/openssl-by-hand.txt"
python3 - "$root/tests/cli/snapshots/cli__snapshots__json_valid.snap" "$tmp" $sizes <<'EOF'
import glob, json, os, sys
snap, tmp, sizes = sys.argv[1], sys.argv[2], sys.argv[3:]
text = open(snap).read().split("---\n", 2)[2]
ref = json.loads(text)
ref_checks = json.dumps(ref["bundles"][0]["checks"], sort_keys=True)
for path in glob.glob(os.path.join(tmp, "report-*-valid.json")):
    got = json.load(open(path))
    assert got == ref, f"{path} differs from the snapshot of fixtures/valid"
for n in sizes:
    for path in glob.glob(os.path.join(tmp, f"report-*-fleet{n}.json")):
        if int(n) >= 100000:
            # 1.4 GB of JSON: counted line by line, not loaded.
            opened = passed = 0
            with open(path) as f:
                for line in f:
                    opened += line == "    {\n"
                    passed += line == '      "verdict": "pass",\n'
            assert opened == passed == int(n), f"{path}: {opened} bundles, {passed} pass, not {n}"
            continue
        got = json.load(open(path))
        bundles = got["bundles"]
        assert len(bundles) == int(n), f"{path}: {len(bundles)} bundles, not {n}"
        assert got["summary"]["bundles"] == int(n) and got["summary"]["pass"] == int(n), path
        for b in bundles:
            name = b["name"]
            assert b["verdict"] == "pass", f"{path}: {name} is {b['verdict']}"
            checks = json.dumps(b["checks"], sort_keys=True).replace(name + "/", "valid/")
            assert checks == ref_checks, f"{path}: {name} differs from fixtures/valid"
print("results: every report matches the snapshot of fixtures/valid")
EOF
grep -qv pass "$out/openssl-by-hand.txt" && { echo "openssl-by-hand did not pass" >&2; exit 1; }

# Startup: nothing is initialised that the command does not use. Without --live no socket, no
# thread, no TLS certificate store; --version reads no file but the program's own libraries.
if command -v strace >/dev/null; then
    trace() { # NAME COMMAND...
        local name=$1; shift
        strace -f -qq -o "$tmp/strace-$name" -e trace=openat,socket,connect,clone,clone3 "$@" >/dev/null
        if grep -E 'socket\(|connect\(|clone3?\(|/etc/ssl|/certs' "$tmp/strace-$name"; then
            echo "bench.sh: $name initialised something it does not use (above)" >&2
            exit 1
        fi
        echo "$name: $(grep -c 'openat(' "$tmp/strace-$name") files opened, no socket, no thread, no certificate store:" \
            "$(grep -o 'openat([^"]*"[^"]*"' "$tmp/strace-$name" | sed 's/.*"\(.*\)"/\1/' | tr '\n' ' ')"
    }
    {
        trace sfjwt-version "$SFJWT" --version
        trace sfjwt-one $(check_cmd sfjwt "$SFJWT" valid)
    } | tee "$out/startup.txt"
else
    echo "strace is not installed (apt-get install strace): startup not traced" | tee "$out/startup.txt"
fi

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"

# --- The table -------------------------------------------------------------------------------
python3 - "$out" $sizes <<'EOF' | tee "$out/summary.md"
import json, os, sys
out, sizes = sys.argv[1], sys.argv[2:]
sign, verify = map(float, open(os.path.join(out, "openssl-rsa-seconds.txt")).read().split())
res = {}
for f in ["one.json"] + [f"fleet{n}.json" for n in sizes if int(n) < 100000]:
    for r in json.load(open(os.path.join(out, f)))["results"]:
        res[r["command"]] = r
mem = {}
for line in open(os.path.join(out, "memory.txt")):
    name, kb, wall, user, system = line.split()
    mem[name] = int(kb) / 1024
    if name.startswith("sfjwt-fleet") and name not in res:
        # Timed once, by GNU time, with its memory.
        res[name] = {"mean": float(wall), "stddev": 0.0, "user": float(user), "system": float(system)}
ms = lambda s: f"{s * 1000:.2f} ms"
def row(*cells): print("| " + " | ".join(cells) + " |")
print(f"OpenSSL RSA-2048 signature (`openssl speed`): {ms(sign)}\n")
row("target", "measured", "aim", "ratio", "met")
row(*["---"] * 5)
hand, one = res["openssl-by-hand"], res["sfjwt-one"]
row("one bundle, every offline check (whole process)",
    f"{ms(one['mean'])} ± {ms(one['stddev'])} (median {ms(one['median'])})",
    "< 5 ms; ≥ 10× faster than OpenSSL by hand",
    f"{hand['mean'] / one['mean']:.0f}× faster than OpenSSL by hand ({ms(hand['mean'])})",
    "yes" if one["mean"] < 0.005 and hand["mean"] / one["mean"] >= 10 else "no")
p = res["process-start"]
limit = p["mean"] + sign + verify
row("one bundle against the physical limit",
    f"{ms(one['mean'])}",
    f"≤ 1.2 × (process start {ms(p['mean'])} + signature {ms(sign)} + verification {ms(verify)} = {ms(limit)})",
    f"{one['mean'] / limit:.2f}×", "yes" if one["mean"] <= 1.2 * limit else "no")
for n in sizes:
    r = res[f"sfjwt-fleet{n}"]
    wall = r["mean"] / int(n)
    cpu = (r["user"] + r["system"]) / int(n)
    row(f"fleet of {int(n):,} bundles, per bundle",
        f"{ms(wall)} wall, {ms(cpu)} CPU (run: {r['mean']:.2f} s)",
        f"≤ 4 × {ms(sign)} = {ms(4 * sign)}",
        f"{wall / sign:.1f}× wall, {cpu / sign:.1f}× CPU",
        "yes" if wall <= 4 * sign else "no")
row("peak memory, one bundle", f"{mem['sfjwt-one']:.1f} MiB", "< 20 MiB",
    f"OpenSSL by hand: {mem['openssl-by-hand']:.1f} MiB (largest process)",
    "yes" if mem["sfjwt-one"] < 20 else "no")
if "10000" in sizes:
    r = res["sfjwt-fleet10000"]
    cpu = (r["user"] + r["system"]) / 10000
    row("CPU per bundle at 10,000 bundles, in OpenSSL signatures", f"{cpu / sign:.2f} signatures ({ms(cpu)})",
        "≤ 1.25 (the signature is the floor)", "", "yes" if cpu / sign <= 1.25 else "no")
first_mem = mem[f"sfjwt-fleet{sizes[0]}"]
for n in sizes:
    m = mem[f"sfjwt-fleet{n}"]
    aim = "< 64 MiB, ≤ 2× the smallest fleet" if int(n) >= 100000 else "≤ 2× the smallest fleet"
    ok = m <= 2 * first_mem and (int(n) < 100000 or m < 64)
    row(f"peak memory, {int(n):,} bundles", f"{m:.1f} MiB", aim, f"{m / first_mem:.2f}× {int(sizes[0]):,} bundles",
        "yes" if ok else "no")
v, p = res["sfjwt-version"], res["process-start"]
row("startup (`sfjwt --version`)", f"{ms(v['mean'])} ± {ms(v['stddev'])}",
    "about a process start", f"{v['mean'] / p['mean']:.2f}× a Rust hello world ({ms(p['mean'])})",
    "yes" if v["mean"] < 2 * p["mean"] else "no")
app = {r["command"]: r for r in json.load(open(os.path.join(out, "app.json")))["results"]}
a, f = app["sfjwt-one-app"], app[f"sfjwt-fleet{sizes[0]}-app"]
row("one bundle with --app-metadata", f"{ms(a['mean'])} ± {ms(a['stddev'])}",
    "one bundle + reading 5 small XML files", f"{a['mean'] / one['mean']:.2f}× one bundle", "")
row(f"{int(sizes[0]):,} bundles with --app-metadata", f"{ms(f['mean'] / int(sizes[0]))} per bundle",
    "read once per run", "", "")
print("\nWhat starts up (strace):\n")
for line in open(os.path.join(out, "startup.txt")):
    print(f"- {line.strip()}")
if "baseline-one" in res:
    print("\nBaseline binary, same run:\n")
    row("measure", "baseline", "this build", "speed-up")
    row(*["---"] * 4)
    pairs = [("one bundle", "one"), ("startup", "version")] + [(f"fleet of {int(n):,}", f"fleet{n}") for n in sizes]
    for label, key in pairs:
        b, t = res.get(f"baseline-{key}"), res.get(f"sfjwt-{key}")
        if b and t:
            row(label, ms(b["mean"]), ms(t["mean"]), f"{b['mean'] / t['mean']:.1f}×")
    for label, key in [("memory, one bundle", "one")] + [(f"memory, {int(n):,}", f"fleet{n}") for n in sizes]:
        if f"baseline-{key}" in mem:
            row(label, f"{mem[f'baseline-{key}']:.1f} MiB", f"{mem[f'sfjwt-{key}']:.1f} MiB", "")
EOF
