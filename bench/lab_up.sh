#!/usr/bin/env bash
# Benchmark the lab cluster (see bench/README.md).
#
#   bench/lab_up.sh [--runs N] [--cold] [--cold-modules] [--no-warm] [--out DIR] [--keep]
#
# warm (default): `hack/labcluster down`, then `up` from the existing build cache;
#   times up -> node Ready and up -> CoreDNS Ready, and samples the summed RSS of
#   every lab process every 0.5 s. STOPS AND RESTARTS THE SHARED LAB.
# --cold: also build everything from an empty lab cache and an empty GOCACHE
#   (`hack/labcluster build` into a temp dir; the module cache is reused and
#   GOPROXY=off, so nothing is downloaded). Does not touch the running lab.
# --cold-modules: like --cold, plus an empty GOMODCACHE: every Go module is
#   downloaded again from $GOPROXY (needs the network).
# --no-warm: skip the warm measurement (with --cold: leave the lab alone).
# --runs N: warm repetitions (default 1).  --out DIR: where results go
#   (default bench/results/<UTC time>).  --keep: keep the cold build's temp dir.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$BENCH")"
LABCLUSTER="$REPO/hack/labcluster"
# CACHE_ROOT, STATE_DIR, RUN_DIR, K8S_BIN, KUBECONFIG_PATH, NODE_NAME, versions
source "$REPO/hack/lab/common.sh"

RUNS=1 COLD=0 COLD_MODULES=0 WARM=1 KEEP=0 INTERVAL=0.5
OUT="$BENCH/results/$(date -u +%Y%m%dT%H%M%SZ)"
while (($#)); do
  case $1 in
    --runs) RUNS=$2; shift ;;
    --cold) COLD=1 ;;
    --cold-modules) COLD=1 COLD_MODULES=1 ;;
    --no-warm) WARM=0 ;;
    --out) OUT=$2; shift ;;
    --keep) KEEP=1 ;;
    -h | --help) sed -n '2,18s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs wants a positive number"
((WARM || COLD)) || die "nothing to do: --no-warm without --cold"
[[ $EUID -eq 0 ]] || die "run as root (the lab's up/down need it)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time)"
mkdir -p "$OUT"
RESULTS="$OUT/results.tsv"
printf 'mode\trun\tmetric\tvalue\n' >"$RESULTS"
result() { printf '%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"; }

# ---------------------------------------------------------------- helpers

# Background jobs this script started; stopped on exit, by pid.
JOBS=()
COLD_TMP=""
cleanup() {
  local pid
  for pid in "${JOBS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ -n $COLD_TMP && -d $COLD_TMP ]] && ((!KEEP)); then
    chmod -R u+w "$COLD_TMP" 2>/dev/null || true  # the Go module cache is read-only
    rm -rf "$COLD_TMP"
  fi
}
trap cleanup EXIT

now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.2f", b - a}'; }

# The RSS sampler: every INTERVAL s, sum VmRSS over the selected processes.
#   --lab CACHE STATE RUN: lab processes (binaries from the cache, containerd and
#     its shims, anything talking to the lab's run dir, and pod containers);
#   --tree PID: PID and all its descendants.
# Writes t,rss_kib,nprocs lines to --csv; on SIGTERM prints a JSON summary.
SAMPLER="$OUT/.sampler.py"
cat >"$SAMPLER" <<'PY'
import argparse, json, os, signal, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("--interval", type=float, default=0.5)
ap.add_argument("--csv", required=True)
ap.add_argument("--summary", required=True)
ap.add_argument("--lab", nargs=3, metavar=("CACHE", "STATE", "RUN"))
ap.add_argument("--tree", type=int)
args = ap.parse_args()
me = os.getpid()

def read(path):
    try:
        with open(path, "rb") as fh:
            return fh.read().decode(errors="replace")
    except OSError:
        return ""

def procs():
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) != me:
            yield int(name)

def ppid_of(pid):
    stat = read(f"/proc/{pid}/stat")
    return int(stat.rsplit(")", 1)[1].split()[1]) if stat else None

def selected():
    if args.tree:
        children = {}
        for pid in procs():
            children.setdefault(ppid_of(pid), []).append(pid)
        todo, out = [args.tree], []
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo += children.get(pid, [])
        return out
    cache, state, run = args.lab
    out = []
    for pid in procs():
        cmd = read(f"/proc/{pid}/cmdline").replace("\0", " ")
        try:
            exe = os.readlink(f"/proc/{pid}/exe")
        except OSError:
            exe = ""
        if os.path.basename(exe) == "kubectl":
            continue  # clients (ours included) are not the lab
        # Not "the state dir in the command line": clients name the lab's kubeconfig.
        if (exe.startswith(cache + "/") or cache in cmd or run in cmd
                or (os.path.basename(exe).startswith("containerd") and state in cmd)
                or "kubepods" in read(f"/proc/{pid}/cgroup")):
            out.append(pid)
    return out

def rss_kib(pid):
    for line in read(f"/proc/{pid}/status").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0  # kernel thread, zombie or gone

def name_of(pid):
    exe = read(f"/proc/{pid}/comm").strip()
    return exe or str(pid)

stop = False
def on_term(*_):
    global stop
    stop = True
signal.signal(signal.SIGTERM, on_term)
signal.signal(signal.SIGINT, on_term)

t0 = time.monotonic()
peak = {"rss_kib": 0, "t": 0.0, "nprocs": 0, "by_name": {}}
samples = 0
with open(args.csv, "w") as csv:
    csv.write("t_s,rss_kib,nprocs\n")
    while not stop:
        t = time.monotonic() - t0
        by_name = {}
        pids = selected()
        for pid in pids:
            kib = rss_kib(pid)
            if kib:
                by_name[name_of(pid)] = by_name.get(name_of(pid), 0) + kib
        total = sum(by_name.values())
        csv.write(f"{t:.2f},{total},{len(pids)}\n")
        csv.flush()
        samples += 1
        if total > peak["rss_kib"]:
            peak = {"rss_kib": total, "t": round(t, 2), "nprocs": len(pids), "by_name": by_name}
        deadline = t0 + t + args.interval
        while not stop and time.monotonic() < deadline:
            time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))
peak["samples"] = samples
with open(args.summary, "w") as fh:
    json.dump(peak, fh, indent=1, sort_keys=True)
PY

start_sampler() {  # CSV SUMMARY SELECTION...
  local csv=$1 summary=$2; shift 2
  python3 "$SAMPLER" --interval "$INTERVAL" --csv "$csv" --summary "$summary" "$@" &
  SAMPLER_PID=$!
  JOBS+=("$SAMPLER_PID")
}
stop_sampler() {
  kill -TERM "$SAMPLER_PID" 2>/dev/null || true
  wait "$SAMPLER_PID" 2>/dev/null || true
}
json_get() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
kib_to_mib() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }

# Write "node S" and "coredns S" (seconds since T0) to FILE as each first turns Ready.
poll_ready() {
  local file=$1 t0=$2 node="" dns=""
  local kc=("$K8S_BIN/kubectl" --kubeconfig "$KUBECONFIG_PATH" --request-timeout=2s)
  while [[ -z $node || -z $dns ]]; do
    if [[ -z $node && $("${kc[@]}" get node "$NODE_NAME" \
          -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null) == True ]]; then
      node=$(since "$t0"); echo "node $node" >>"$file"
    fi
    if [[ -z $dns ]]; then
      local ready
      ready=$("${kc[@]}" -n kube-system get deployment coredns -o jsonpath='{.status.readyReplicas}' 2>/dev/null) || ready=0
      if [[ $ready =~ ^[0-9]+$ ]] && ((ready >= 1)); then
        dns=$(since "$t0"); echo "coredns $dns" >>"$file"
      fi
    fi
    sleep 0.25
  done
}

# "Label: value" out of a /usr/bin/time -v report.
time_v() { sed -n "s/^\s*$2: //p" "$1"; }
wall_seconds() {  # h:mm:ss or m:ss.ss -> seconds
  awk -F: '{s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s}' <<<"$1"
}

# ---------------------------------------------------------------- warm

warm_run() {
  local run=$1 t0 rc
  step "warm run $run/$RUNS: down"
  t0=$(now)
  "$LABCLUSTER" down >"$OUT/warm-$run-down.log" 2>&1 || die "down failed: $OUT/warm-$run-down.log"
  result warm "$run" down_s "$(since "$t0")"

  step "warm run $run/$RUNS: up"
  : >"$OUT/warm-$run-ready.txt"
  start_sampler "$OUT/warm-$run-rss.csv" "$OUT/warm-$run-rss.json" --lab "$CACHE_ROOT" "$STATE_DIR" "$RUN_DIR"
  t0=$(now)
  poll_ready "$OUT/warm-$run-ready.txt" "$t0" &
  local poller=$!
  JOBS+=("$poller")
  rc=0
  "$LABCLUSTER" up >"$OUT/warm-$run-up.log" 2>&1 || rc=$?
  local up_s; up_s=$(since "$t0")
  if ((rc != 0)); then
    stop_sampler; kill "$poller" 2>/dev/null || true
    tail -n 20 "$OUT/warm-$run-up.log" >&2
    die "up failed (exit $rc) - THE LAB IS DOWN; log: $OUT/warm-$run-up.log"
  fi
  # up returns once DNS answers; give the poller a bounded moment to see both.
  local deadline=$((SECONDS + 30))
  while kill -0 "$poller" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  kill "$poller" 2>/dev/null || true
  sleep 2  # a few more samples of the settled lab
  stop_sampler
  result warm "$run" up_total_s "$up_s"
  result warm "$run" node_ready_s "$(awk '$1 == "node" {print $2}' "$OUT/warm-$run-ready.txt")"
  result warm "$run" coredns_ready_s "$(awk '$1 == "coredns" {print $2}' "$OUT/warm-$run-ready.txt")"
  result warm "$run" peak_rss_mib "$(kib_to_mib "$(json_get "$OUT/warm-$run-rss.json" rss_kib)")"
  result warm "$run" rss_samples "$(json_get "$OUT/warm-$run-rss.json" samples)"
}

# ---------------------------------------------------------------- cold

cold_build() {
  COLD_TMP=$(mktemp -d "${TMPDIR:-/var/tmp}/reportgen-lab-cold.XXXXXX")
  local env=(REPORTGEN_LAB_CACHE="$COLD_TMP/lab-cache" GOCACHE="$COLD_TMP/go-build")
  if ((COLD_MODULES)); then
    env+=(GOMODCACHE="$COLD_TMP/go-mod")
    step "cold build: empty lab cache, GOCACHE and GOMODCACHE (downloads modules from $(go env GOPROXY))"
  else
    env+=(GOPROXY=off)  # build from the module cache alone; never download
    step "cold build: empty lab cache and GOCACHE (module cache $(go env GOMODCACHE), GOPROXY=off)"
  fi
  local t0 rc=0
  t0=$(now)
  env "${env[@]}" /usr/bin/time -v -o "$OUT/cold-time-v.txt" "$LABCLUSTER" build >"$OUT/cold-build.log" 2>&1 &
  local build=$!
  start_sampler "$OUT/cold-rss.csv" "$OUT/cold-rss.json" --tree "$build"
  wait "$build" || rc=$?
  local wall; wall=$(since "$t0")
  stop_sampler
  if ((rc != 0)); then
    tail -n 20 "$OUT/cold-build.log" >&2
    die "cold build failed (exit $rc); log: $OUT/cold-build.log"
  fi
  local tv="$OUT/cold-time-v.txt"
  result cold - build_wall_s "$wall"
  result cold - build_wall_time_v_s "$(wall_seconds "$(time_v "$tv" 'Elapsed (wall clock) time (h:mm:ss or m:ss)')")"
  result cold - build_cpu_s "$(awk -v u="$(time_v "$tv" 'User time (seconds)')" -v s="$(time_v "$tv" 'System time (seconds)')" 'BEGIN {printf "%.1f", u + s}')"
  result cold - build_max_rss_mib "$(kib_to_mib "$(time_v "$tv" 'Maximum resident set size (kbytes)')")"
  result cold - build_peak_tree_rss_mib "$(kib_to_mib "$(json_get "$OUT/cold-rss.json" rss_kib)")"
  result cold - lab_cache_mib "$(du -sm "$COLD_TMP/lab-cache" | cut -f1)"
  result cold - gocache_mib "$(du -sm "$COLD_TMP/go-build" | cut -f1)"
  ((COLD_MODULES)) && result cold - gomodcache_mib "$(du -sm "$COLD_TMP/go-mod" | cut -f1)"
  ((KEEP)) && log "kept the cold build in $COLD_TMP"
  return 0
}

# ---------------------------------------------------------------- main

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), kernel $(uname -r)"
  echo "go: $(go version 2>/dev/null || echo missing)"
  echo "kubernetes: $K8S_VERSION, etcd $ETCD_VERSION, coredns $COREDNS_VERSION"
  echo "lab cache: $CACHE_ROOT"
  echo "options: runs=$RUNS warm=$WARM cold=$COLD cold_modules=$COLD_MODULES interval=${INTERVAL}s"
} >"$OUT/env.txt"

if ((WARM)); then
  step "making sure the build cache is complete (a warm up must not build)"
  "$LABCLUSTER" build >"$OUT/warm-prebuild.log" 2>&1 || die "build failed: $OUT/warm-prebuild.log"
  for ((run = 1; run <= RUNS; run++)); do warm_run "$run"; done
  "$LABCLUSTER" status >/dev/null 2>&1 || log "warning: the lab does not report up after the bench"
fi
((COLD)) && cold_build

python3 - "$RESULTS" "$OUT/env.txt" <<'PY' | tee "$OUT/table.txt"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
labels = {
    "down_s": "down (s)",
    "up_total_s": "up, command total (s)",
    "node_ready_s": "up -> node Ready (s)",
    "coredns_ready_s": "up -> CoreDNS Ready (s)",
    "peak_rss_mib": "peak RSS, sum of lab processes (MiB)",
    "rss_samples": "RSS samples",
    "build_wall_s": "build wall time (s)",
    "build_wall_time_v_s": "build wall time, time -v (s)",
    "build_cpu_s": "build CPU user+sys (s)",
    "build_max_rss_mib": "build max RSS, largest process (MiB)",
    "build_peak_tree_rss_mib": "build peak RSS, sum over tree (MiB)",
    "lab_cache_mib": "lab cache size (MiB)",
    "gocache_mib": "GOCACHE size (MiB)",
    "gomodcache_mib": "GOMODCACHE size (MiB)",
}
print(open(sys.argv[2]).read().strip())
print()
table = [("mode", "metric", "value")]
for mode in ("warm", "cold"):
    metrics = [m for m in labels if any(r["mode"] == mode and r["metric"] == m for r in rows)]
    for m in metrics:
        vals = [r["value"] for r in rows if r["mode"] == mode and r["metric"] == m]
        nums = []
        for v in vals:
            try:
                nums.append(float(v))
            except ValueError:
                pass
        if len(vals) > 1 and len(nums) == len(vals):
            shown = f"median {statistics.median(nums):g} (min {min(nums):g}, max {max(nums):g}, n={len(nums)})"
        else:
            shown = ", ".join(v or "?" for v in vals)
        table.append((mode, labels[m], shown))
widths = [max(len(r[i]) for r in table) for i in range(3)]
for i, r in enumerate(table):
    print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    if i == 0:
        print("  ".join("-" * w for w in widths))
PY
echo "results: $OUT"
