#!/usr/bin/env bash
# Benchmark: kickstarts per second from `kickdrift serve` (token checked per request, rendered once per inventory change,
# state read) against nginx serving the same bytes as a static file, with wrk, both measured in
# this run on loopback. Target (issue #5): at least half of nginx. Results: docs/benchmarks.md.
#
#   bench/http-kickstart.sh [seconds] [connections]     (default 10 s, 32 connections)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
secs=${1:-10}
conns=${2:-32}
jar=$(kickdrift_jar)
needs "wrk nginx-light curl" wrk nginx curl
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http=$(free_port); tftp=$(free_port); ngx=$(free_port)
host=web01.lab.example.com

java -jar "$jar" serve --inventory kickstart/examples/inventory.yaml --bind 127.0.0.1 \
  --tftp-port "$tftp" --http-port "$http" --state "$work/state" > "$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q "http listening" "$work/serve.log" 2>/dev/null && break; sleep 0.2; done
token=$(java -cp "$jar" bench/KickstartToken.java "$work/state/callback.key" "$host")
url="http://127.0.0.1:$http/ks/$host/$token"
mkdir -p "$work/www/ks/$host"
curl -fsS "$url" -o "$work/www/ks/$host/$token"
chmod 711 "$work"; chmod -R a+rX "$work/www"
bytes=$(wc -c < "$work/www/ks/$host/$token")

cat > "$work/nginx.conf" <<NGINX
daemon off;
worker_processes $(nproc);
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/plain;
  server { listen 127.0.0.1:$ngx; root $work/www; }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work" &
pids+=($!)
sleep 1
curl -fsS "http://127.0.0.1:$ngx/ks/$host/$token" | cmp - "$work/www/ks/$host/$token"

rps() { wrk -t2 -c"$conns" -d"${secs}s" "$1" | awk '/Requests\/sec/ {print $2}'; }
latency() { wrk -t2 -c"$conns" -d"${secs}s" --latency "$1" | awk '/ 99%/ {print $2}'; }
# Warm the JVM (JIT) before measuring it, as a server would be.
wrk -t2 -c"$conns" -d5s "$url" >/dev/null
# Access logging costs kickdrift a line per request; nginx runs with access_log off. Say so.
echo "machine: $(nproc) cores; kickstart of $bytes bytes; wrk -t2 -c$conns -d${secs}s on loopback"
r_nginx=$(rps "http://127.0.0.1:$ngx/ks/$host/$token")
r_kd=$(rps "$url")
printf '%-58s %10s req/s\n' "nginx, the same bytes as a static file (anchor)" "$r_nginx"
printf '%-58s %10s req/s   %s of nginx\n' "kickdrift serve: token checked, rendered once per inventory" "$r_kd" \
  "$(echo "scale=2; $r_kd / $r_nginx" | bc)x"
rss=$(ps -o rss= -p "${pids[0]}")
echo "kickdrift serve RSS after the run: $((rss / 1024)) MiB"
