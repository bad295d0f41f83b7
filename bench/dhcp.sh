#!/usr/bin/env bash
# Benchmark: kickdrift's DHCP server (reservation mode) against dnsmasq and Kea, measured in this
# run with the same perfdhcp load; prints ratios against dnsmasq. Each server runs in its own
# network namespace with perfdhcp in a second one, joined by a veth pair on 192.0.2.0/24; every
# server has the same reservations (one per perfdhcp MAC) and the same subnet options, and perfdhcp
# does full DORA exchanges as a relay (giaddr set), so replies are unicast. Results:
# docs/benchmarks.md.
#
#   bench/dhcp.sh [seconds] [rate] [hosts]    (default 10 s per server at 12000 DORA/s, 200 hosts)
#
# Needs root (namespaces), perfdhcp (kea-admin), kea-dhcp4 (kea-dhcp4-server), dnsmasq
# (dnsmasq-base) and ip (iproute2).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
seconds=${1:-10}
rate=${2:-12000}
hosts=${3:-200}
[ "$hosts" -le 200 ] || { echo "at most 200 hosts fit 192.0.2.21-220" >&2; exit 2; }
for t in perfdhcp:kea-admin kea-dhcp4:kea-dhcp4-server dnsmasq:dnsmasq-base ip:iproute2; do
  command -v "${t%%:*}" >/dev/null || { echo "${t%%:*} missing: apt-get install ${t#*:}" >&2; exit 2; }
done
jar=$(kickdrift_jar)
scratch=$(mktemp -d)
tag=kdb$$
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for n in s c; do ip netns del "$tag-$n" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT

# The same hosts for all three: MACs for perfdhcp -M and reservations 192.0.2.21 onwards.
: >"$scratch/macs"
for i in $(seq 1 "$hosts"); do
  printf '52:54:00:00:%02x:%02x 192.0.2.%d\n' $((i / 256)) $((i % 256)) $((20 + i))
done >"$scratch/hosts"
cut -d' ' -f1 "$scratch/hosts" >"$scratch/macs"

{
  printf 'server:\n  address: 192.0.2.10\n'
  rocky9_distro 192.0.2.10
  cat <<'YAML'
subnets:
  - network: 192.0.2.0/24
    router: 192.0.2.1
    dns: [192.0.2.2, 192.0.2.3]
    domain: lab.example.com
    next-server: 192.0.2.10
    range: {start: 192.0.2.230, end: 192.0.2.250}
profiles:
  - {name: base, distro: rocky9, packages: ["@core"]}
hosts:
YAML
  n=0
  while read -r mac ip; do
    n=$((n + 1))
    printf '  - {name: h%03d.lab.example.com, profile: base, netboot: true, interfaces: [{name: eth0, mac: "%s", ip: %s}]}\n' \
      "$n" "$mac" "$ip"
  done <"$scratch/hosts"
} >"$scratch/site.yaml"

{
  echo "port=0"
  echo "interface=s0"
  echo "bind-interfaces"
  echo "no-ping"
  echo "quiet-dhcp"
  echo "dhcp-authoritative"
  echo "dhcp-range=192.0.2.230,192.0.2.250,255.255.255.0,1h"
  echo "dhcp-option=3,192.0.2.1"
  echo "dhcp-option=6,192.0.2.2,192.0.2.3"
  echo "dhcp-option=15,lab.example.com"
  echo "dhcp-boot=pxelinux.0,,192.0.2.10"
  echo "dhcp-leasefile=$scratch/dnsmasq.leases"
  while read -r mac ip; do echo "dhcp-host=$mac,$ip"; done <"$scratch/hosts"
} >"$scratch/dnsmasq.conf"

{
  printf '{"Dhcp4": {"interfaces-config": {"interfaces": ["s0"]},\n'
  printf ' "lease-database": {"type": "memfile", "persist": false}, "valid-lifetime": 3600,\n'
  printf ' "subnet4": [{"id": 1, "subnet": "192.0.2.0/24",\n'
  printf '  "pools": [{"pool": "192.0.2.230 - 192.0.2.250"}],\n'
  printf '  "next-server": "192.0.2.10", "boot-file-name": "pxelinux.0",\n'
  printf '  "option-data": [{"name": "routers", "data": "192.0.2.1"},\n'
  printf '    {"name": "domain-name-servers", "data": "192.0.2.2, 192.0.2.3"},\n'
  printf '    {"name": "domain-name", "data": "lab.example.com"}],\n'
  printf '  "reservations": [\n'
  sep=""
  while read -r mac ip; do
    printf '%s    {"hw-address": "%s", "ip-address": "%s"}' "$sep" "$mac" "$ip"
    sep=$',\n'
  done <"$scratch/hosts"
  printf ']}],\n'
  printf ' "loggers": [{"name": "kea-dhcp4", "output_options": [{"output": "stderr"}], "severity": "WARN"}]}}\n'
} >"$scratch/kea.json"

ip netns add "$tag-s"
ip netns add "$tag-c"
ip link add s0 netns "$tag-s" type veth peer name c0 netns "$tag-c"
ip -n "$tag-s" addr add 192.0.2.10/24 dev s0
ip -n "$tag-c" addr add 192.0.2.20/24 dev c0
for n in s c; do ip -n "$tag-$n" link set lo up; done
ip -n "$tag-s" link set s0 up
ip -n "$tag-c" link set c0 up
# (no route for 255.255.255.255 needed: broadcasts leave by the server address's interface)

echo "machine: $(nproc) cores, $(uname -r), $(java -version 2>&1 | head -1)"
echo "load: perfdhcp $(perfdhcp -v 2>&1 | tail -1), DORA as a relay, rate $rate/s, $seconds s, $hosts reserved MACs"
echo "servers: kickdrift dhcp (reservations, SQLite state, --quiet), dnsmasq $(dnsmasq --version | head -1 | awk '{print $3}') (quiet-dhcp, no-ping), kea-dhcp4 $(kea-dhcp4 -v) (memfile, persist false)"

# perfdhcp once to warm up (JIT, caches), then the measured run; prints its report.
load() {
  ip netns exec "$tag-c" perfdhcp -4 -l c0 -r "$rate" -p 3 -R "$hosts" -M "$scratch/macs" 192.0.2.10 \
    >/dev/null 2>&1 || true
  ip netns exec "$tag-c" perfdhcp -4 -l c0 -r "$rate" -p "$seconds" -R "$hosts" -M "$scratch/macs" \
    192.0.2.10 2>&1 || true
}

run() {
  local name=$1
  shift
  ip netns exec "$tag-s" "$@" >"$scratch/$name.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  sleep 3
  kill -0 "$pid" 2>/dev/null || { echo "$name did not start:" >&2; cat "$scratch/$name.log" >&2; exit 1; }
  echo
  echo "=== $name"
  load | tee "$scratch/$name.out" | grep -E "^Rate:|Statistics for|^(sent|received) packets|^drops ratio|^(min|avg|max) delay"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

java -jar "$jar" init --state "$scratch/state" >/dev/null
run kickdrift java -jar "$jar" dhcp --quiet \
  --inventory "$scratch/site.yaml" --mode reservations --state "$scratch/state" --pxe-port 0
run dnsmasq dnsmasq --no-daemon --conf-file="$scratch/dnsmasq.conf" --user=root \
  --pid-file="$scratch/dnsmasq.pid"
run kea env KEA_PIDFILE_DIR="$scratch" KEA_LOCKFILE_DIR=none kea-dhcp4 -c "$scratch/kea.json"

rate_of() { awk '/^Rate:/ {print $2; exit}' "$scratch/$1.out"; }
# Offers per second: received OFFERs over the test period.
offers_of() { awk -v s="$seconds" '/Statistics for: DISCOVER-OFFER/ {f=1} f && /^received packets/ {printf "%.0f", $3 / s; exit}' "$scratch/$1.out"; }
avg_of() { awk -v ex="$2" '$0 ~ "Statistics for: " ex {f=1} f && /^avg delay/ {print $3; exit}' "$scratch/$1.out"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}'; }

echo
printf '%-10s %14s %10s %14s %14s %10s\n' server "DORA/s" "offers/s" "DO avg ms" "RA avg ms" "vs dnsmasq"
for s in kickdrift dnsmasq kea; do
  printf '%-10s %14s %10s %14s %14s %10s\n' "$s" "$(rate_of $s)" "$(offers_of $s)" \
    "$(avg_of $s DISCOVER-OFFER)" "$(avg_of $s REQUEST-ACK)" "$(ratio "$(rate_of $s)" "$(rate_of dnsmasq)")"
done
