#!/usr/bin/env bash
# Benchmark: `kickdrift render` after a one-host edit of a big inventory, against the tree the
# previous render left (issue 22's "O(changed)": only the hosts whose model changed are rendered;
# the others' files are kept). The anchor, measured in the same run, is the same edit rendered with
# `--full` (every host rendered again, unchanged bytes still kept as links: what render did before).
# Whole process each time, twice over: `java -jar` with the JVM's default options, and the way the
# package runs it, through the launcher dist/src/bin/kickdrift (the Java it picks, C1 only and the
# serial collector for a short command; no class cache). Results: docs/benchmarks.md.
#
#   bench/render-changed.sh [runs] [hosts]     (default 5 runs each, the median counts; 10000 hosts)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
runs=${1:-5}
hosts=${2:-10000}
jar=$(kickdrift_jar)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
inv=$work/inventory.yaml
java bench/GenInventory.java "$hosts" "$inv"
render() { java -jar "$jar" render --inventory "$inv" --out "$work/out" --state "$work/state" "$@"; }
launched() {
  KICKDRIFT_JAR=$jar KICKDRIFT_CACHE_DIR=$work/no-cache sh dist/src/bin/kickdrift render \
    --inventory "$inv" --out "$work/out" --state "$work/state" "$@"
}
ms() { echo $(( ($2 - $1) / 1000000 )); }
disks=(sdb sdc sdd sde sdf sdg sdh sdi sdj sdk sdl sdm)
# edit_and_render N HOW OPTIONS...: edits host0000's disk to the Nth of disks, then times one
# render (HOW: render or launched) with the options; ms.
edit_and_render() {
  local disk=${disks[$(($1 % ${#disks[@]}))]} how=$2 s e
  shift 2
  sed -i "0,/install-disk: sd[a-z]/s//install-disk: $disk/" "$inv"
  sync
  s=$(date +%s%N)
  "$how" "$@" >"$work/last" 2>&1
  e=$(date +%s%N)
  grep -q "only-use=$disk" "$work/out/kickstarts/host0000.net0.bench.example.com.ks" \
    || { echo "the edit did not reach the kickstart" >&2; cat "$work/last" >&2; exit 1; }
  ms "$s" "$e"
}

java -jar "$jar" init --state "$work/state" >/dev/null
render --full >/dev/null
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1); inventory: $hosts hosts"
echo "the launcher runs: $(KICKDRIFT_JAR=$jar KICKDRIFT_LAUNCHER_DEBUG=1 sh dist/src/bin/kickdrift --version 2>&1 >/dev/null | grep -o '[^ ]*/java .*-jar' | head -1)"
full=()
changed=()
lfull=()
lchanged=()
for i in $(seq "$runs"); do
  full+=("$(edit_and_render $((4 * i)) render --full)")
  changed+=("$(edit_and_render $((4 * i + 1)) render)")
  lfull+=("$(edit_and_render $((4 * i + 2)) launched --full)")
  lchanged+=("$(edit_and_render $((4 * i + 3)) launched)")
done
echo "last O(changed) render: $(head -2 "$work/last" | tr '\n' ' ')"
row() {
  local what=$1 t
  shift
  t=$(printf '%s\n' "$@" | median)
  echo "$what (median of $runs): $t ms (runs: $*)"
}
row "java -jar, one-host edit, render --full (anchor)" "${full[@]}"
row "java -jar, one-host edit, render (only what changed)" "${changed[@]}"
row "launcher, one-host edit, render --full (anchor)" "${lfull[@]}"
row "launcher, one-host edit, render (only what changed)" "${lchanged[@]}"
echo "ratio, java -jar: $(echo "scale=2; $(printf '%s\n' "${full[@]}" | median) / $(printf '%s\n' "${changed[@]}" | median)" | bc)x faster than rendering every host"
echo "ratio, launcher: $(echo "scale=2; $(printf '%s\n' "${lfull[@]}" | median) / $(printf '%s\n' "${lchanged[@]}" | median)" | bc)x faster than rendering every host"
