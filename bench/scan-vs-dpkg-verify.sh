#!/usr/bin/env bash
# Benchmark: `kickdrift-agent scan --all` against `dpkg --verify` on this machine, warm page
# cache, both measured in this run; prints ratios against that anchor. Results: docs/benchmarks.md.
#
#   bench/scan-vs-dpkg-verify.sh [runs]     (default 3 runs each; the median counts)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
jar=agent/target/kickdrift-agent.jar
[ -f "$jar" ] || mvn -q -B -ntp -pl agent package -DskipTests
java=(java -jar "$jar")
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT

# Seconds (3 decimals) of one run of a command, output discarded.
secs() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo "scale=3; ($e-$s)/1000000000" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { for _ in $(seq "$runs"); do secs "$@"; done | median; }

cat /var/lib/dpkg/info/*.list | sort -u > "$state/paths"
files=$(wc -l < "$state/paths")
bytes=$(awk '/^Installed-Size:/ {s+=$2} END {printf "%.1f", s/1024/1024}' /var/lib/dpkg/status)
echo "machine: $(nproc) cores, $(dpkg-query -W | wc -l) packages, $files listed paths, ~${bytes} GB installed"

# Warm the page cache once so both tools read from memory.
dpkg --verify >/dev/null 2>&1 || true

scan_all=("${java[@]}" scan --all --no-unowned --no-deb-metadata --no-default-ignores)
t_dpkg=$(measure dpkg --verify)
t_scan=$(measure "${scan_all[@]}" --no-cache)
# G1's concurrent threads compete with hashing on 2 cores; the serial collector does not.
t_scan_serial=$(measure java -XX:+UseSerialGC -jar "$jar" scan --all --no-unowned --no-deb-metadata --no-default-ignores --no-cache)
"${scan_all[@]}" --state "$state" >/dev/null 2>&1 || true   # fills the stat cache
t_cached=$(measure "${scan_all[@]}" --state "$state")
t_config=$(measure "${java[@]}" scan --no-cache)
t_config_cached=$(measure "${java[@]}" scan --state "$state")
# The same short runs with C1 only: on 2 cores the C2 compiler competes with the scan itself.
c1=(java -XX:TieredStopAtLevel=1 -jar "$jar")
t_cached_c1=$(measure "${c1[@]}" scan --all --no-unowned --no-deb-metadata --no-default-ignores --state "$state")
t_config_c1=$(measure "${c1[@]}" scan --state "$state")
t_java=$(measure java -version)
t_floor=$(measure java bench/HashFloor.java "$state/paths" "$(nproc)")

printf '%-46s %8s s\n' "dpkg --verify (anchor)" "$t_dpkg"
printf '%-46s %8s s   %5.2fx: the best any --all scan could do\n' "floor: MD5 of the same files, $(nproc) threads" "$t_floor" "$(echo "$t_dpkg/$t_floor" | bc -l)"
printf '%-46s %8s s   %5.2fx faster than dpkg --verify\n' "scan --all, no stat cache" "$t_scan" "$(echo "$t_dpkg/$t_scan" | bc -l)"
printf '%-46s %8s s   %5.2fx faster than dpkg --verify\n' "scan --all, no stat cache, -XX:+UseSerialGC" "$t_scan_serial" "$(echo "$t_dpkg/$t_scan_serial" | bc -l)"
printf '%-46s %8s s   %5.1f%% of the uncached scan\n' "scan --all, warm stat cache" "$t_cached" "$(echo "100*$t_cached/$t_scan" | bc -l)"
printf '%-46s %8s s\n' "scan (config files + unowned in /etc), no cache" "$t_config"
printf '%-46s %8s s\n' "scan (config files + unowned in /etc), cached" "$t_config_cached"
printf '%-46s %8s s   %5.1f%% of the uncached scan\n' "scan --all, warm stat cache, C1 only" "$t_cached_c1" "$(echo "100*$t_cached_c1/$t_scan" | bc -l)"
printf '%-46s %8s s\n' "scan (config + unowned), cached, C1 only" "$t_config_c1"
printf '%-46s %8s s\n' "java -version (JVM start alone)" "$t_java"
