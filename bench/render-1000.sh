#!/usr/bin/env bash
# Benchmark: `kickdrift render` of a generated 1,000-host inventory, whole process, against an
# in-run anchor resembling Cobbler's engine (Python 3 + Jinja2 rendering the same 1,000
# kickstarts) and against Cobbler's published figure (~2 s for a full sync of 1,000 systems,
# ~4 ms per autoinstall file). Results: docs/benchmarks.md.
#
#   bench/render-1000.sh [runs] [hosts]     (default 5 runs each, the median counts; 1000 hosts)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
runs=${1:-5}
hosts=${2:-1000}
jar=$(kickdrift_jar)
python3 -c 'import jinja2, yaml' 2>/dev/null || {
  echo "the anchor needs Jinja2 and PyYAML: apt-get install python3-jinja2 python3-yaml" >&2
  exit 1
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
inv=$work/inventory.yaml
java bench/GenInventory.java "$hosts" "$inv"

# Each run starts after an untimed sync, so no run waits on the previous one's writeback.
measure() { for _ in $(seq "$runs"); do sync; secs "$@"; done | median; }
# The same, each run into an empty OUT (removing the old tree is not timed).
measure_first() { for _ in $(seq "$runs"); do rm -rf "$work/o"; sync; secs "$@"; done | median; }

render() { java "$@" -jar "$jar" render --inventory "$inv" --out "$work/o/out" --state "$work/state"; }
anchor() { python3 bench/jinja-kickstarts.py "$inv" "$work/o"; }

render >/dev/null # creates the callback key; also warms the page cache for the jar
line=$(rm -rf "$work/o"; render)
files=$(echo "$line" | sed -E 's/.*: ([0-9]+) files.*/\1/')
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), Python $(python3 -c 'import sys, jinja2; print(sys.version.split()[0], "Jinja2", jinja2.__version__)'), $(df -T "$work" | awk 'NR==2 {print $2}') under $work"
echo "inventory: $hosts hosts, $(grep -c 'mac:' "$inv") interfaces, $(wc -c < "$inv") bytes; $files files per tree"
echo "$line"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

c1=(-XX:TieredStopAtLevel=1)
serial=(-XX:+UseSerialGC)
both=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
t_anchor=$(measure_first anchor)
t_java=$(measure java -version)
t_first=$(measure_first render)
t_first_c1=$(measure_first render "${c1[@]}")
t_first_serial=$(measure_first render "${serial[@]}")
t_first_both=$(measure_first render "${both[@]}")
render >/dev/null
t_again=$(measure render)
t_again_c1=$(measure render "${c1[@]}")
t_again_serial=$(measure render "${serial[@]}")
t_again_both=$(measure render "${both[@]}")
# AppCDS: a class archive of one render (Java 17's dynamic archive), then used by the others.
render "${both[@]}" -XX:ArchiveClassesAtExit="$work/render.jsa" >/dev/null 2>&1
cds=("${both[@]}" -XX:SharedArchiveFile="$work/render.jsa")
t_first_cds=$(measure_first render "${cds[@]}")
render >/dev/null
t_again_cds=$(measure render "${cds[@]}")
# The same first render with OUT on tmpfs, where fsync costs nothing: what the disk adds.
t_first_shm=
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  shm=$(mktemp -d /dev/shm/kickdrift-bench.XXXXXX)
  trap 'rm -rf "$work" "$shm"' EXIT
  t_first_shm=$(for _ in $(seq "$runs"); do rm -rf "$shm/o"; sync; secs java "${both[@]}" -jar "$jar" render --inventory "$inv" --out "$shm/o/out" --state "$work/state"; done | median)
fi

row() { printf '%-52s %8s s' "$1" "$2"; }
vs() { # kickdrift row: ratio to the Jinja2 anchor and to Cobbler's published 2 s
  row "$1" "$2"
  printf '   %5.2fx the Jinja2 anchor, %4.2fx Cobbler'"'"'s 2 s\n' "$(echo "$2/$t_anchor" | bc -l)" "$(echo "$2/2" | bc -l)"
}
row "Python 3 + Jinja2, $hosts kickstarts (anchor)" "$t_anchor"
printf '   %.2f ms per file\n' "$(echo "1000*$t_anchor/$hosts" | bc -l)"
row "java -version (JVM start alone)" "$t_java"; echo
vs "first render, empty OUT" "$t_first"
vs "first render, C1 only" "$t_first_c1"
vs "first render, -XX:+UseSerialGC" "$t_first_serial"
vs "first render, C1 + SerialGC" "$t_first_both"
vs "first render, C1 + SerialGC + AppCDS" "$t_first_cds"
[ -z "$t_first_shm" ] || vs "first render, C1 + SerialGC, OUT on tmpfs" "$t_first_shm"
vs "re-render, no change" "$t_again"
vs "re-render, C1 only" "$t_again_c1"
vs "re-render, -XX:+UseSerialGC" "$t_again_serial"
vs "re-render, C1 + SerialGC" "$t_again_both"
vs "re-render, C1 + SerialGC + AppCDS" "$t_again_cds"
echo "per host, in one JVM, no disk (bench/RenderPerHost.java; Cobbler: ~4 ms per file):"
java -cp "$jar" bench/RenderPerHost.java "$inv" 20
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
