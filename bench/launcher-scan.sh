#!/usr/bin/env bash
# Issue 19's speed target for the agent: the config-only scan (`kickdrift-agent scan`, the default:
# conffiles + unowned files in /etc) through the launcher, whole process, against `debsums -ce` in
# the same run: at most 2.5x its time. Every row is pairwise (A B A B …, the ratio taken pair by
# pair, its median printed), so a busy machine slows both sides alike.
#   1. the launcher (dist/src/bin/kickdrift-agent) with the cache kickdrift-make-cache made for it
#   2. the launcher with no cache (C1 + serial GC only)
#   3. plain `java -jar` (no options)
#   4. the launcher on each of Java 17 and Java 25 found under /usr/lib/jvm, each with its cache
# Each scan has its own warm --state (one untimed run first). Results: docs/benchmarks.md.
#
#   bench/launcher-scan.sh [pairs] [jar]   (default 5 pairs, agent/target/kickdrift-agent.jar)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
pairs=${1:-5}
jar=$(realpath "${2:-agent/target/kickdrift-agent.jar}")
[ -f "$jar" ] || mvn -q -B -ntp -o -pl agent,server package -DskipTests >&2
needs debsums debsums
needs bc bc
launcher=$PWD/dist/src/bin/kickdrift-agent
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT


# row LABEL A: A then `debsums -ce`, `pairs` times; both medians and the median of the ratios.
row() {
  local label=$1 a=$2 i ta tb
  : >"$work/a" && : >"$work/b" && : >"$work/r"
  "$a" >/dev/null 2>&1 || true # warms its state
  for i in $(seq "$pairs"); do
    ta=$(secs "$a")
    tb=$(secs debsums -ce)
    echo "$ta" >>"$work/a"
    echo "$tb" >>"$work/b"
    echo "scale=4; $ta/$tb" | bc >>"$work/r"
  done
  local r verdict
  r=$(median <"$work/r")
  verdict=$(echo "$r <= 2.5" | bc)
  printf '%-52s %6.3f s vs %6.3f s   %5.2fx (target <= 2.5x) %s\n' "$label" \
    "$(median <"$work/a")" "$(median <"$work/b")" "$r" "$([ "$verdict" = 1 ] && echo met || echo NOT met)"
}

# The launcher run with JAVA_HOME=$1 ("" for its own pick), the cache dir $2, state $3.
via_launcher() {
  JAVA_HOME=$1 KICKDRIFT_JAR=$jar KICKDRIFT_CACHE_DIR=$2 sh "$launcher" scan --state "$3"
}
mkcache() { JAVA_HOME=$1 dist/src/bin/kickdrift-make-cache --cache-dir "$2" --agent-jar "$jar" --server-jar /nonexistent >&2; }

echo "machine: $(nproc) cores, $(dpkg-query -W | wc -l) packages, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "jar: $jar; launcher: $launcher"
mkcache "" "$work/cache"
launcher_cached() { via_launcher "" "$work/cache" "$work/s1"; }
launcher_bare() { via_launcher "" "$work/empty" "$work/s2"; }
java_jar() { java -jar "$jar" scan --state "$work/s3"; }
echo "row: A against debsums -ce (B), medians of $pairs pairs, A/B"
row "1. launcher, its cache (default java)" launcher_cached
row "2. launcher, no cache" launcher_bare
row "3. java -jar, no options" java_jar
n=4
for home in /usr/lib/jvm/java-17-openjdk-* /usr/lib/jvm/temurin-25-*; do
  [ -x "$home/bin/java" ] || continue
  v=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$home/release")
  mkcache "$home" "$work/cache-$n"
  eval "jdk_$n() { via_launcher '$home' '$work/cache-$n' '$work/s-$n'; }"
  row "$n. launcher on Java $v, its cache" "jdk_$n"
  n=$((n + 1))
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
