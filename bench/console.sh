#!/usr/bin/env bash
# Issue 20's targets for the web console, with 10,000 hosts in the inventory:
#   1. the hosts page's first screen (GET /ui/hosts, 50 rows) served in under 200 ms;
#   2. 100 concurrent event streams (GET /api/v1/events/stream) cost under 100 MB of heap.
# serve runs from the jar on loopback (ports the kernel picks, no DNS sync) with an inventory from
# bench/GenInventory.java. Requests carry the state's admin token as a bearer (the console accepts
# it like a session), so curl needs no login. (1) is curl's time_total over 40 requests after 10
# to warm up: median and 95th percentile, printed beside the same first screen as JSON from the API
# (GET /api/v1/hosts?limit=50, the anchor measured in the same run: what the page costs over the
# data it shows). (2) is the live heap after a full GC (jcmd GC.run; GC.heap_info) with 100
# streams open minus the same with none.
#
#   bench/console.sh [hosts] [jar]   (default 10000 hosts, server/target/kickdrift.jar)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
hosts=${1:-10000}
jar=$(realpath "${2:-$(kickdrift_jar)}")
needs curl curl
needs openjdk-17-jdk-headless jcmd
work=$(mktemp -d)
pid=
streams=()
cleanup() {
  for s in "${streams[@]}"; do kill "$s" 2>/dev/null || true; done
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

java bench/GenInventory.java "$hosts" "$work/inventory.yaml" >/dev/null
java -jar "$jar" init --state "$work/state" >/dev/null
java -Xmx1g -jar "$jar" serve --inventory "$work/inventory.yaml" --templates "$PWD" \
  --bind 127.0.0.1 --http-port 0 --tftp-port 0 --state "$work/state" --no-dns-sync \
  >"$work/serve.log" 2>&1 &
pid=$!
port=
for _ in $(seq 600); do
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  [ -n "$port" ] || port=$(sed -n 's|.*http listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/serve.log")
  if [ -n "$port" ] && [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ]; then
    break
  fi
  sleep 0.1
done
base=http://127.0.0.1:$port
token=$(tr -d " \\n" < "$work/state/admin.token")
auth=(-H "Authorization: Bearer $token")

# times URL: 40 time_total values in ms, after 10 warm-up requests; fails unless each answers 200
times() {
  local url=$1 i code t
  for i in $(seq 50); do
    read -r code t < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "${auth[@]}" "$url")
    [ "$code" = 200 ] || { echo "GET $url answered $code" >&2; exit 1; }
    [ "$i" -gt 10 ] && echo "$t * 1000" | bc -l
  done
}
stat() { sort -n | awk '{a[NR]=$1} END {printf "%.1f %.1f\n", a[int((NR+1)/2)], a[int(NR*0.95)]}'; }

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $hosts hosts; jar $jar"
read -r page_med page_p95 < <(times "$base/ui/hosts" | stat)
read -r api_med api_p95 < <(times "$base/api/v1/hosts?limit=50" | stat)
bytes=$(curl -s "${auth[@]}" "$base/ui/hosts" | wc -c)
echo "hosts page first screen: median $page_med ms, p95 $page_p95 ms ($bytes bytes; target < 200 ms:" \
  "$(echo "scale=2; $page_p95 / 200" | bc) of the target at p95)"
echo "anchor, the API's first 50 hosts as JSON: median $api_med ms, p95 $api_p95 ms;" \
  "page/API at the median: $(echo "scale=2; $page_med / $api_med" | bc)x"

heap_used() { # live heap in KB after a full GC
  jcmd "$pid" GC.run >/dev/null
  jcmd "$pid" GC.heap_info | sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -1
}
before=$(heap_used)
for i in $(seq 100); do
  curl -s -N "${auth[@]}" "$base/api/v1/events/stream" >"$work/stream.$i" 2>&1 &
  streams+=($!)
done
# every stream answered (curl keeps reading): the server holds 100
for _ in $(seq 100); do
  open=$(ss -tnH state established "( sport = :$port )" | wc -l)
  [ "$open" -ge 100 ] && break
  sleep 0.1
done
after=$(heap_used)
alive=0
for s in "${streams[@]}"; do kill -0 "$s" 2>/dev/null && alive=$((alive + 1)); done
cost=$(( (after - before) / 1024 ))
echo "100 event streams: $open connections open, $alive clients alive; heap after GC $((before / 1024)) MB" \
  "-> $((after / 1024)) MB, cost $cost MB (target < 100 MB: $(echo "scale=3; $cost / 100" | bc) of it)"
