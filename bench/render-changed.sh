#!/usr/bin/env bash
# Benchmark: `kickdrift render` after a one-host edit of a big inventory, against the tree the
# previous render left (issue 22's "O(changed)": only the hosts whose model changed are rendered;
# the others' files are kept). The anchor, measured in the same run, is the same edit rendered with
# `--full` (every host rendered again, unchanged bytes still kept as links: what render did before).
# Whole process each time. Results: docs/benchmarks.md.
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
ms() { echo $(( ($2 - $1) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
disks=(sdb sdc sdd sde sdf sdg sdh sdi sdj sdk sdl sdm)
# Edits host0000's disk to the Nth of disks, then times one render with the other options; ms.
edit_and_render() {
  local disk=${disks[$(($1 % ${#disks[@]}))]} s e
  shift
  sed -i "0,/install-disk: sd[a-z]/s//install-disk: $disk/" "$inv"
  sync
  s=$(date +%s%N)
  render "$@" >"$work/last" 2>&1
  e=$(date +%s%N)
  grep -q "only-use=$disk" "$work/out/kickstarts/host0000.net0.bench.example.com.ks" \
    || { echo "the edit did not reach the kickstart" >&2; cat "$work/last" >&2; exit 1; }
  ms "$s" "$e"
}

java -jar "$jar" init --state "$work/state" >/dev/null
render --full >/dev/null
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1); inventory: $hosts hosts"
full=()
changed=()
for i in $(seq "$runs"); do
  full+=("$(edit_and_render $((2 * i)) --full)")
  changed+=("$(edit_and_render $((2 * i + 1)))")
done
echo "last O(changed) render: $(head -2 "$work/last" | tr '\n' ' ')"
t_full=$(printf '%s\n' "${full[@]}" | median)
t_changed=$(printf '%s\n' "${changed[@]}" | median)
echo "one-host edit, render --full (anchor, median of $runs): ${t_full} ms (runs: ${full[*]})"
echo "one-host edit, render (only what changed, median of $runs): ${t_changed} ms (runs: ${changed[*]})"
echo "ratio: $(echo "scale=2; $t_full / $t_changed" | bc)x faster than rendering every host"
