#!/usr/bin/env bash
# Benchmark: kickstarts per second from `kickdrift serve` (token checked per request, rendered once per inventory change,
# state read) against nginx serving the same bytes as a static file, with wrk, both measured in
# this run on loopback. Targets: at least half of nginx (issue #5), 0.8x (issue #22). Results:
# docs/benchmarks.md.
#
#   bench/http-kickstart.sh [seconds] [connections] [pairs]   (default 10 s, 32 connections, 5 pairs)
#
# After 20 s of warm-up (a shorter one left the JIT 10-20% short of its steady rate), nginx and
# kickdrift are measured in turns, `pairs` times; the ratio of each pair counts, and their median
# is the result: this machine's speed drifts by a quarter within minutes, so two numbers measured
# far apart are not comparable.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
secs=${1:-10}
conns=${2:-32}
pairs=${3:-5}
jar=$(kickdrift_jar)
needs "wrk nginx-light curl tftp-hpa" wrk nginx curl tftp
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http=$(free_port); tftp=$(free_port); ngx=$(free_port)
host=web01.lab.example.com

# The example inventory, with kickstarts allowed from any address (wrk is not the host).
sed 's/^server:$/server:\n  kickstart-from: any/' kickstart/examples/inventory.yaml >"$work/inventory.yaml"
java -jar "$jar" init --state "$work/state" >/dev/null
java -jar "$jar" serve --inventory "$work/inventory.yaml" --bind 127.0.0.1 \
  --tftp-port "$tftp" --http-port "$http" --state "$work/state" > "$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q "http listening" "$work/serve.log" 2>/dev/null && break; sleep 0.2; done
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
# Warm the JVM (JIT) before measuring it, as a server would be.
wrk -t2 -c"$conns" -d20s "$url" >/dev/null
# Access logging costs kickdrift a line per request; nginx runs with access_log off. Say so.
echo "machine: $(nproc) cores; kickstart of $bytes bytes; wrk -t2 -c$conns -d${secs}s on loopback, $pairs pairs"
echo "kickdrift logs every request (its access log, to a file here); nginx runs with access_log off"
ratios=()
for i in $(seq "$pairs"); do
  r_nginx=$(rps "http://127.0.0.1:$ngx/ks/$host/$token")
  r_kd=$(rps "$url")
  ratio=$(echo "scale=3; $r_kd / $r_nginx" | bc)
  ratios+=("$ratio")
  printf 'pair %d: nginx (anchor) %10s req/s, kickdrift serve %10s req/s: %sx\n' "$i" "$r_nginx" "$r_kd" "$ratio"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "kickdrift serve (token checked, rendered once per inventory) / nginx, the same bytes: median ${median}x"
rss=$(ps -o rss= -p "${pids[0]}")
echo "kickdrift serve RSS after the run: $((rss / 1024)) MiB"
