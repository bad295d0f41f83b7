#!/usr/bin/env bash
# Benchmark: a boot storm of simulated PXE machines against one `kickdrift serve`, against two on
# one PostgreSQL, and against dnsmasq (DHCP + TFTP) with nginx (kickstarts), all measured in this
# run with the same clients. Each client (BootStorm, in the server's test classes) does what a BIOS
# PXE ROM and pxelinux do: DHCP DISCOVER/REQUEST, TFTP of the offered 1 MiB loader (blksize 1428,
# windowsize 16 where the server takes it), TFTP of its pxelinux.cfg/01-MAC menu, HTTP GET of the
# menu's kickstart; then it releases its address. Prints p50/p99 per step and failures per server
# setting, and ratios against dnsmasq+nginx. Results: docs/benchmarks.md.
#
#   bench/boot-storm.sh [clients] [per-second]     (default 1000 clients starting at 200/s)
#
# Layout (network namespaces on one bridge, 192.0.2.0/24): the bridge's namespace holds PostgreSQL
# at .1, server A is .10, server B .11, the clients .60; dynamic range .61-.254. A /24 holds a
# thousand clients only in turns: each client releases its address after its kickstart, and the
# start rate bounds how many hold one at once (about rate x boot time).
#
# Needs root (namespaces, ports 67/69/80), ip (iproute2), dnsmasq (dnsmasq-base), nginx
# (nginx-light), PostgreSQL's server (postgresql), setpriv (util-linux).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
clients=${1:-1000}
rate=${2:-200}
warm=${BOOT_STORM_WARMUP:-200}
[ "$clients" -le 65535 ] || { echo "at most 65535 clients (MAC 52:54:00:5b:HI:LO)" >&2; exit 2; }
needs "iproute2 dnsmasq-base nginx-light util-linux curl openssl" ip dnsmasq nginx setpriv curl openssl
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pgbin/initdb" ] || { echo "needs PostgreSQL's server: apt-get install -y postgresql" >&2; exit 1; }
jar=$(kickdrift_jar)
tests=server/target/test-classes
# the clients are test classes: compiled again when their source is newer
[ "$tests/io/kickdrift/server/dhcp/BootStorm.class" -nt server/src/test/java/io/kickdrift/server/dhcp/BootStorm.java ] \
  || mvn -q -B -ntp -o -pl agent,server package -DskipTests >&2
java=$(command -v java)
scratch=$(mktemp -d)
chmod 711 "$scratch"
tag=kbs$$
pids=()
failed=() # storms that did not finish, or had clients fail: the script exits 1 after the report
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -d "$scratch/pg/data" ] && setpriv --reuid=postgres --regid=postgres --init-groups \
    "$pgbin/pg_ctl" -D "$scratch/pg/data" -m immediate stop >/dev/null 2>&1 || true
  for n in a b c lan; do ip netns del "$tag-$n" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT

# --- the LAN: a bridge in its own namespace, a veth to it from each other namespace
ip netns add "$tag-lan"
ip -n "$tag-lan" link add br0 type bridge
ip -n "$tag-lan" addr add 192.0.2.1/24 dev br0
ip -n "$tag-lan" link set br0 up
ip -n "$tag-lan" link set lo up
port() { # NS IF ADDRESS
  ip netns add "$tag-$1"
  ip link add "$2" netns "$tag-$1" type veth peer name "$2b" netns "$tag-lan"
  ip -n "$tag-lan" link set "$2b" master br0 up
  ip -n "$tag-$1" addr add "$3/24" dev "$2"
  ip -n "$tag-$1" link set "$2" up
  ip -n "$tag-$1" link set lo up
}
port a a0 192.0.2.10
port b b0 192.0.2.11
port c c0 192.0.2.60
ip -n "$tag-c" route add default dev c0
# every address of the range on the clients' side: a client's TFTP and HTTP leave from its lease
for i in $(seq 61 254); do ip -n "$tag-c" addr add "192.0.2.$i/24" dev c0; done
in_ns() { local ns=$1; shift; ip netns exec "$tag-$ns" "$@"; }

# --- the site: CLIENTS netboot hosts with dynamic addresses, a 1 MiB loader
{
  printf 'server:\n  address: 192.0.2.10\n  kickstart-from: any\n'
  rocky9_distro 192.0.2.10
  cat <<'YAML'
subnets:
  - network: 192.0.2.0/24
    domain: lab.example.com
    range: {start: 192.0.2.61, end: 192.0.2.254}
profiles:
  - {name: base, distro: rocky9, packages: ["@core"]}
hosts:
YAML
  for i in $(seq 1 "$clients"); do
    printf '  - {name: h%05d.lab.example.com, profile: base, netboot: true, interfaces: [{name: eth0, mac: "52:54:00:5b:%02x:%02x"}]}\n' \
      "$i" $((i / 256)) $((i % 256))
  done
} >"$scratch/inventory.yaml"
mkdir -m 755 "$scratch/root"
head -c $((1 << 20)) /dev/urandom >"$scratch/root/pxelinux.0"
chmod 644 "$scratch/root/pxelinux.0"
java -jar "$jar" init --state "$scratch/state-a" >/dev/null
cp -a "$scratch/state-a" "$scratch/state-b"
cp -a "$scratch/state-a" "$scratch/state-render"

# --- PostgreSQL for the two-instance run, on the bridge's address
mkdir -m 700 "$scratch/pg"
openssl rand -hex 12 >"$scratch/pg/pwfile"
chown -R postgres:postgres "$scratch/pg"
as_pg() { in_ns lan setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
as_pg "$pgbin/initdb" -D "$scratch/pg/data" -U kickdrift --auth=scram-sha-256 \
  --pwfile="$scratch/pg/pwfile" -E UTF8 --locale=C.UTF-8 --no-instructions >/dev/null
echo "host all all 192.0.2.0/24 scram-sha-256" >>"$scratch/pg/data/pg_hba.conf"
as_pg "$pgbin/pg_ctl" -D "$scratch/pg/data" -l "$scratch/pg/server.log" -w -t 60 \
  -o "-h 192.0.2.1 -p 5432 -k $scratch/pg" start >/dev/null
PGPASSWORD=$(cat "$scratch/pg/pwfile") in_ns lan "$pgbin/psql" -q -h 192.0.2.1 -U kickdrift \
  -d postgres -c "CREATE DATABASE storm" >/dev/null
cp "$scratch/pg/pwfile" "$scratch/db-password"

serve() { # NS ADDRESS [serve options...]: starts serve in NS, waits until DHCP answers
  local ns=$1 addr=$2 log=$scratch/serve-$1-$RANDOM.log
  shift 2
  ip netns exec "$tag-$ns" "$java" -jar "$jar" serve --inventory "$scratch/inventory.yaml" \
    --state "$scratch/state-$ns" --root "$scratch/root" --bind "$addr" --tftp-port 69 \
    --http-port 80 --dhcp reservations --log-level warn "$@" >"$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 300); do
    in_ns c curl -fsS -o /dev/null "http://$addr/readyz" 2>/dev/null && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.2
  done
  echo "serve in $ns did not start:" >&2
  cat "$log" >&2
  exit 1
}
stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
}

# storm NAME: a warm-up storm (the servers are long-running; the JVM compiles the hot paths), then
# the measured one; its report goes to $scratch/NAME.out.
storm() {
  local cp="$tests:$jar"
  in_ns c "$java" -cp "$cp" io.kickdrift.server.dhcp.BootStorm "$warm" "$rate" 120 $((1 << 20)) \
    >"$scratch/$1.warm" 2>&1 || true
  in_ns c "$java" -cp "$cp" io.kickdrift.server.dhcp.BootStorm "$clients" "$rate" 300 $((1 << 20)) \
    >"$scratch/$1.out" 2>&1 || true
  echo
  echo "=== $2"
  sed -n '/^step /,$p' "$scratch/$1.out"
  grep '^fail ' "$scratch/$1.out" | head -5 || true
  if ! grep -q '^done ' "$scratch/$1.out"; then
    echo "the storm did not finish:" >&2
    tail "$scratch/$1.out" >&2
    failed+=("$1 (did not finish)")
  elif ! grep -q '^done [0-9]* 0 ' "$scratch/$1.out"; then
    failed+=("$1 ($(awk '$1 == "done" {print $3}' "$scratch/$1.out") clients failed)")
  fi
}

echo "machine: $(nproc) cores, $(uname -r), $(java -version 2>&1 | head -1)"
echo "storm: $clients clients starting at $rate/s (after $warm to warm up), loader 1 MiB, $(wc -l <"$scratch/inventory.yaml") inventory lines"

serve a 192.0.2.10
storm one "kickdrift serve, one instance (SQLite state)"
stop_all

db="postgresql://kickdrift@192.0.2.1:5432/storm"
serve a 192.0.2.10 --database "$db" --database-password-file "$scratch/db-password"
serve b 192.0.2.11 --database "$db" --database-password-file "$scratch/db-password"
storm two "kickdrift serve, two instances (one PostgreSQL)"
stop_all

# --- the anchor: what kickdrift render writes, served by dnsmasq (DHCP, TFTP) and nginx (HTTP)
java -jar "$jar" render --inventory "$scratch/inventory.yaml" --out "$scratch/out" \
  --state "$scratch/state-render" >/dev/null 2>&1
tree=$(readlink -f "$scratch/out")
cp "$scratch/root/pxelinux.0" "$tree/"
chmod -R a+rX "$tree"
cat >"$scratch/dnsmasq.conf" <<CONF
port=0
interface=a0
bind-interfaces
no-ping
quiet-dhcp
dhcp-authoritative
dhcp-range=192.0.2.61,192.0.2.254,255.255.255.0,1h
dhcp-boot=pxelinux.0,,192.0.2.10
dhcp-leasefile=$scratch/dnsmasq.leases
enable-tftp
tftp-root=$tree
tftp-max=$clients
CONF
nginx_conf "$scratch" 192.0.2.10:80 \
  "location ~ ^/ks/([^/]+)/ { alias $tree/kickstarts/\$1.ks; }"
ip netns exec "$tag-a" dnsmasq --no-daemon --conf-file="$scratch/dnsmasq.conf" --user=root \
  --pid-file="$scratch/dnsmasq.pid" >"$scratch/dnsmasq.log" 2>&1 &
pids+=($!)
ip netns exec "$tag-a" nginx -c "$scratch/nginx.conf" -p "$scratch" &
pids+=($!)
sleep 1
storm anchor "dnsmasq $(dnsmasq --version | head -1 | awk '{print $3}') (DHCP, TFTP) + nginx $(nginx -v 2>&1 | sed 's|.*/||') (kickstarts), as render wrote them"
stop_all

p() { awk -v s="$2" -v c="$3" '$1 == s {print $c}' "$scratch/$1.out"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a > 0) printf "%.2f", b / a; else print "n/a"}'; }
echo
echo "p99 of the whole boot and wall time of the storm, as ratios (dnsmasq+nginx time / ours; above 1 is faster):"
for s in one two; do
  printf '%-4s boot p50 %s ms (%sx), p99 %s ms (%sx), wall %s ms (%sx), failed %s\n' "$s" \
    "$(p $s boot 2)" "$(ratio "$(p $s boot 2)" "$(p anchor boot 2)")" \
    "$(p $s boot 3)" "$(ratio "$(p $s boot 3)" "$(p anchor boot 3)")" \
    "$(p $s done 4)" "$(ratio "$(p $s done 4)" "$(p anchor done 4)")" "$(p $s done 3)"
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
