#!/usr/bin/env bash
# Benchmark: a one-host edit of a big inventory reflected by a running `kickdrift serve` (issue 22's
# "O(changed)" target: under 100 ms with 10,000 hosts). Each run changes one host's install-disk,
# then times `POST /api/v1/reload` (it answers once the new inventory is in use) and checks,
# untimed, that the kickstart serve hands that host names the new disk. The anchor, measured in
# the same run, is what an operator does without a reload: restarting serve until its menu answers
# again. Results: docs/benchmarks.md. With hosts-per-file, the hosts are in host files of that many each
# (`host-files`, docs/inventory.md), as a site keeps one file per rack: the edit is in one of them.
#
#   bench/serve-reload.sh [runs] [hosts] [hosts-per-file]
#                         (default 7 runs, the median counts; 10000 hosts; one file)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
runs=${1:-7}
hosts=${2:-10000}
per_file=${3:-}
jar=$(kickdrift_jar)
needs "curl" curl
needs "tftp-hpa" tftp
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
inv=$work/inventory.yaml
java bench/GenInventory.java "$hosts" "$inv" $per_file
# the file that holds host0000, whose install-disk each run edits
edited=$inv
[ -z "$per_file" ] || edited=$work/hosts.d/00000.yaml
java -jar "$jar" init --state "$work/state" >/dev/null
tftp_port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token=$(cat "$work/state/admin.token")
# host0000's first NIC and its menu
menu=pxelinux.cfg/01-52-54-00-00-00-01
ms() { echo $(( ($2 - $1) / 1000000 )); }

start_serve() {
  java -jar "$jar" serve --inventory "$inv" --state "$work/state" --bind 127.0.0.1 \
    --tftp-port "$tftp_port" --http-port "$http_port" >"$work/serve.log" 2>&1 &
  pid=$!
  until tftp -m binary 127.0.0.1 "$tftp_port" -c get "$menu" "$work/menu" 2>/dev/null \
    && [ -s "$work/menu" ]; do sleep 0.05; done
}

# The anchor: kill serve, start it again, until the edited host's menu is served.
restarts=()
start_serve
for _ in $(seq 3); do
  kill "$pid"; wait "$pid" 2>/dev/null || true; rm -f "$work/menu"
  s=$(date +%s%N); start_serve; e=$(date +%s%N)
  restarts+=("$(ms "$s" "$e")")
done
t_restart=$(printf '%s\n' "${restarts[@]}" | median)

reloads=()
for i in $(seq "$runs"); do
  disk=sd$(printf "\\x$(printf %x $((98 + i % 2)))")
  sed -i "0,/install-disk: sd[a-z]/s//install-disk: $disk/" "$edited"
  s=$(date +%s%N)
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$http_port/api/v1/reload")
  e=$(date +%s%N)
  [ "$code" = 200 ] || { echo "reload answered $code" >&2; exit 1; }
  reloads+=("$(ms "$s" "$e")")
  # untimed: the kickstart serve would hand host0000 now names the new disk
  curl -sf -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$http_port/api/v1/hosts/host0000.net0.bench.example.com/kickstart" \
    | grep -q "ignoredisk --only-use=$disk\$" \
    || { echo "run $i: the kickstart does not name $disk after the reload" >&2; exit 1; }
done
t_reload=$(printf '%s\n' "${reloads[@]}" | median)
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
echo "inventory: $hosts hosts, $(cat "$inv" ${per_file:+"$work"/hosts.d/*} | wc -c) bytes${per_file:+, in host files of $per_file hosts each}"
echo "one-host edit, reload (median of $runs): ${t_reload} ms (runs: ${reloads[*]})"
echo "restart of serve until the menu answers (median of 3): ${t_restart} ms (runs: ${restarts[*]})"
awk -v r="$t_reload" -v a="$t_restart" 'BEGIN {
  printf "reload / restart: %.2fx; reload / the 100 ms target: %.1fx\n", r / a, r / 100 }'
