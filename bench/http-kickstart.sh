#!/usr/bin/env bash
# Benchmark: kickstarts per second from `kickdrift serve` (token checked per request, rendered once per inventory change,
# state read) against nginx serving the same bytes as a static file, with wrk, both measured in
# this run on loopback. Targets: at least half of nginx (issue #5), 0.8x (issue #22). Results:
# docs/benchmarks.md.
#
#   bench/http-kickstart.sh [seconds] [connections] [rounds]   (default 10 s, 32 connections, 5 rounds)
#
# Two serves on one state: `java -jar` with the PATH's java, and the launcher the package installs
# (dist/src/bin/kickdrift: the newest Java it finds, the full JIT for serve). After 20 s of warm-up
# each (a shorter one left the JIT 10-20% short of its steady rate), nginx and the two are
# measured in turns, `rounds` times; each ratio to the round's nginx counts, and their median is
# the result: this machine's speed drifts by a quarter within minutes, so two numbers measured far
# apart are not comparable.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
secs=${1:-10}
conns=${2:-32}
rounds=${3:-5}
jar=$(kickdrift_jar)
needs "wrk nginx-light curl tftp-hpa" wrk nginx curl tftp
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http=$(free_port); tftp=$(free_port); ngx=$(free_port); http2=$(free_port); tftp2=$(free_port)
host=web01.lab.example.com

# The example inventory, with kickstarts allowed from any address (wrk is not the host).
sed 's/^server:$/server:\n  kickstart-from: any/' kickstart/examples/inventory.yaml >"$work/inventory.yaml"
java -jar "$jar" init --state "$work/state" >/dev/null
java -jar "$jar" serve --inventory "$work/inventory.yaml" --bind 127.0.0.1 \
  --tftp-port "$tftp" --http-port "$http" --state "$work/state" > "$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q "http listening" "$work/serve.log" 2>/dev/null && break; sleep 0.2; done
grep -q "http listening" "$work/serve.log" || { echo "serve did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }
# The same serve as the package runs it: through the launcher, which picks the newest Java it
# finds (Temurin 25 on these machines) and keeps the full JIT for serve. On the same state, so the
# same install token answers both.
KICKDRIFT_JAR=$jar dist/src/bin/kickdrift serve --inventory "$work/inventory.yaml" --bind 127.0.0.1 \
  --tftp-port "$tftp2" --http-port "$http2" --state "$work/state" > "$work/serve2.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q "http listening" "$work/serve2.log" 2>/dev/null && break; sleep 0.2; done
grep -q "http listening" "$work/serve2.log" || { echo "serve through the launcher did not start:" >&2; cat "$work/serve2.log" >&2; exit 1; }
launcher_java=$(KICKDRIFT_JAR=$jar KICKDRIFT_LAUNCHER_DEBUG=1 dist/src/bin/kickdrift --version 2>&1 >/dev/null | sed -n 's/^kickdrift: \([^ ]*\) .*/\1/p' | head -1)
launcher_java=$("$launcher_java" -version 2>&1 | head -1)
# The kickstart URL with its install token, as the host's PXELINUX menu names it.
tftp -m binary 127.0.0.1 "$tftp" -c get pxelinux.cfg/01-52-54-00-12-34-01 "$work/menu"
url=$(sed -n 's|.*inst\.ks=\(http://[^ ]*\).*|\1|p' "$work/menu" | head -1)
token=${url##*/}
url="http://127.0.0.1:$http/ks/$host/$token"
[ -n "$token" ] || { echo "no inst.ks= in $host's menu:" >&2; cat "$work/menu" >&2; exit 1; }
mkdir -p "$work/www/ks/$host"
curl -fsS "$url" -o "$work/www/ks/$host/$token"
chmod 711 "$work"; chmod -R a+rX "$work/www"
bytes=$(wc -c < "$work/www/ks/$host/$token")

nginx_conf "$work" "127.0.0.1:$ngx" "root $work/www;"
nginx -c "$work/nginx.conf" -p "$work" &
pids+=($!)
sleep 1
curl -fsS "http://127.0.0.1:$ngx/ks/$host/$token" | cmp - "$work/www/ks/$host/$token"

rps() { wrk -t2 -c"$conns" -d"${secs}s" "$1" | awk '/Requests\/sec/ {print $2}'; }
latency() { wrk -t2 -c"$conns" -d"${secs}s" --latency "$1" | awk '/ 99%/ {print $2}'; }
url2="http://127.0.0.1:$http2/ks/$host/$token"
# The same kickstart but for the callback URL's port (of the same length when both ports have as
# many digits); anything but a 200 would have wrk count refusals.
bytes2=$(curl -fsS "$url2" | wc -c) || { echo "the launcher's serve refuses $url2:" >&2; cat "$work/serve2.log" >&2; exit 1; }
[ "$bytes2" = "$bytes" ] || echo "note: the launcher's serve answers $bytes2 bytes, not $bytes (its port in the callback URL)"
# Warm the JVMs (JIT) before measuring them, as a server would be.
wrk -t2 -c"$conns" -d20s "$url" >/dev/null
wrk -t2 -c"$conns" -d20s "$url2" >/dev/null
# Access logging costs kickdrift a line per request; nginx runs with access_log off. Say so.
echo "machine: $(nproc) cores; kickstart of $bytes bytes; wrk -t2 -c$conns -d${secs}s on loopback, $rounds rounds"
echo "kickdrift logs every request (its access log, to a file here); nginx runs with access_log off"
echo "java -jar: $(java -version 2>&1 | head -1); the launcher: $launcher_java"
ratios=(); ratios2=()
for i in $(seq "$rounds"); do
  r_nginx=$(rps "http://127.0.0.1:$ngx/ks/$host/$token")
  r_kd=$(rps "$url")
  r_kd2=$(rps "$url2")
  ratio=$(echo "scale=3; $r_kd / $r_nginx" | bc)
  ratio2=$(echo "scale=3; $r_kd2 / $r_nginx" | bc)
  ratios+=("$ratio"); ratios2+=("$ratio2")
  printf 'round %d: nginx (anchor) %10s req/s; kickdrift serve, java -jar %10s req/s: %sx; through the launcher %10s req/s: %sx\n' \
    "$i" "$r_nginx" "$r_kd" "$ratio" "$r_kd2" "$ratio2"
done
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "kickdrift serve (token checked, rendered once per inventory) / nginx, the same bytes: median $(med "${ratios[@]}")x with java -jar, $(med "${ratios2[@]}")x through the launcher"
rss=$(ps -o rss= -p "${pids[0]}"); rss2=$(ps -o rss= -p "${pids[1]}")
echo "kickdrift serve RSS after the run: $((rss / 1024)) MiB (java -jar), $((rss2 / 1024)) MiB (the launcher)"
