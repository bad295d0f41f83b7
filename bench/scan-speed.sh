#!/usr/bin/env bash
# Benchmark of issue 18's speed targets, in one run, each row a pairwise comparison (A B A B …,
# the ratio taken pair by pair, its median printed) so that a busy machine slows both sides alike:
#   1. `scan --all` with the defaults (.deb metadata, warm state) against `dpkg --verify`: >= 1.0
#   2. the same after the package database changed (snapshot rebuilt, .deb index warm)
#   3. like for like, `scan --all --no-deb-metadata --no-unowned` against `dpkg --verify`: >= 1.3,
#      warm (stat cache) and with no stat cache (the same work as dpkg, which keeps none)
#   4. the config-only default `scan` (warm) of a jar from before issue 18 against this one:
#      the cost of secret redaction, <= 5 %
# Results: docs/benchmarks.md.
#
#   bench/scan-speed.sh BEFORE_JAR [AFTER_JAR] [pairs]   (default: this build's agent jar, 3 pairs)
#
# BEFORE_JAR is the agent jar of main before issue 18, built apart from this checkout:
#   git worktree add /tmp/prev 9f43615 && (cd /tmp/prev && mvn -B -ntp -o -q package -DskipTests -pl agent,server)
#   cp /tmp/prev/agent/target/kickdrift-agent.jar /tmp/kickdrift-agent-9f43615.jar
#   git worktree remove --force /tmp/prev
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
before=${1:?usage: bench/scan-speed.sh BEFORE_JAR [AFTER_JAR] [pairs]}
after=${2:-agent/target/kickdrift-agent.jar}
pairs=${3:-3}
[ -f "$after" ] || mvn -q -B -ntp -o -pl agent,server package -DskipTests >&2
needs dpkg dpkg
needs bc bc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT


# pair LABEL TARGET A B: runs A then B `pairs` times; prints both medians and the median of B/A
# (above 1: A is faster), against TARGET (a minimum for B/A, or "max:X" for A/B at most X).
pair() {
  local label=$1 target=$2 a=$3 b=$4 ta tb i
  : >"$work/a" && : >"$work/b" && : >"$work/r"
  for i in $(seq "$pairs"); do
    ta=$(secs "$a")
    tb=$(secs "$b")
    echo "$ta" >>"$work/a"
    echo "$tb" >>"$work/b"
    echo "scale=4; $tb/$ta" | bc >>"$work/r"
  done
  local ma mb mr verdict
  ma=$(median <"$work/a")
  mb=$(median <"$work/b")
  mr=$(median <"$work/r")
  if [[ $target == max:* ]]; then
    local inv
    inv=$(echo "scale=4; 1/$mr" | bc)
    verdict=$(echo "$inv <= ${target#max:}" | bc)
    printf '%-58s %7.3f s vs %7.3f s   A/B %5.3f (target <= %s) %s\n' "$label" "$ma" "$mb" "$inv" \
      "${target#max:}" "$([ "$verdict" = 1 ] && echo met || echo NOT met)"
  else
    verdict=$(echo "$mr >= $target" | bc)
    printf '%-58s %7.3f s vs %7.3f s   B/A %5.2fx (target >= %s) %s\n' "$label" "$ma" "$mb" "$mr" \
      "$target" "$([ "$verdict" = 1 ] && echo met || echo NOT met)"
  fi
}

debs=$(ls /var/cache/apt/archives/*.deb 2>/dev/null | wc -l)
echo "machine: $(nproc) cores, $(dpkg-query -W | wc -l) packages, $debs .debs in the apt cache, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "jars: A = $after; before issue 18 = $before"

st_all=$work/state-all st_cfg_before=$work/state-before st_cfg_after=$work/state-after
dpkg_verify() { dpkg --verify; }
scan_all() { java -jar "$after" scan --all --state "$st_all"; }
# A package was installed or upgraded: the database snapshot is stale, the .deb index is not.
scan_all_db_changed() { rm -f "$st_all"/pkgdb-all-*; java -jar "$after" scan --all --state "$st_all"; }
st_like=$work/state-like
scan_like_dpkg_warm() { java -jar "$after" scan --all --no-deb-metadata --no-unowned --state "$st_like"; }
scan_like_dpkg() { java -jar "$after" scan --all --no-deb-metadata --no-unowned --no-cache; }
config_before() { java -jar "$before" scan --state "$st_cfg_before"; }
config_after() { java -jar "$after" scan --state "$st_cfg_after"; }

# Warm the page cache and every state directory once, untimed.
dpkg_verify >/dev/null 2>&1 || true
for f in scan_all scan_like_dpkg_warm config_before config_after; do "$f" >/dev/null 2>&1 || true; done

echo "row: A against B, medians of $pairs pairs"
pair "1. scan --all (defaults, warm) vs dpkg --verify" 1.0 scan_all dpkg_verify
pair "2. scan --all, database changed (.deb index warm) vs dpkg" 1.0 scan_all_db_changed dpkg_verify
pair "3. scan --all --no-deb-metadata --no-unowned (warm) vs dpkg" 1.3 scan_like_dpkg_warm dpkg_verify
pair "3b. the same with --no-cache (hashes every file, as dpkg)" 1.3 scan_like_dpkg dpkg_verify
pair "4. config scan (warm): this jar vs before issue 18" max:1.05 config_after config_before
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
