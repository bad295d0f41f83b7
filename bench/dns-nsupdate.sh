#!/usr/bin/env bash
# Benchmark: `kickdrift dns sync` of a 1,000-host inventory into an empty forward and reverse zone,
# and the no-change resync, against BIND's own `nsupdate` applying the same changes from a file,
# all measured in this run against the same real `named` on 127.0.0.1. Results: docs/benchmarks.md.
#
#   bench/dns-nsupdate.sh            DNS_HOSTS=N (default 1000) hosts, DNS_BATCH=N (default 100)
#
# Both tools send TSIG-signed RFC 2136 updates over TCP, 100 names per message, with the same
# records: A + ownership TXT per forward name, PTR + TXT per reverse name, and the same
# prerequisites (TXT, A, AAAA / PTR absent, no CNAME). kickdrift first reads each zone by signed
# AXFR (that is how it knows what it owns); nsupdate is told. For the resync, kickdrift reads,
# finds nothing to do and sends nothing; the nsupdate anchor re-sends the adds without
# prerequisites (what a script that does not read the zone must do). The JVM's start is included.
# The addresses are from 198.18.0.0/15 (RFC 2544, for benchmarks); no packet leaves 127.0.0.1.
# After both runs the two zones' contents are compared, so the rows describe the same work.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
n=${DNS_HOSTS:-1000}
batch=${DNS_BATCH:-100}
jar=$(kickdrift_jar)
needs "bind9 bind9-utils bind9-dnsutils python3" named nsupdate tsig-keygen dig python3
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }

work=$(mktemp -d)
named_pid=
stop_named() { [ -n "$named_pid" ] && kill "$named_pid" 2>/dev/null && wait "$named_pid" 2>/dev/null || true; named_pid=; }
trap 'stop_named; [ -n "${DNS_KEEP:-}" ] || rm -rf "$work"' EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
tsig-keygen -a hmac-sha256 kickdrift > "$work/kickdrift.key"

# A fresh named with empty zones (SOA and NS only) in directory $1.
start_named() {
  local d=$1
  mkdir -p "$d"
  for z in bench.example.com 18.198.in-addr.arpa; do
    printf '$TTL 3600\n@ IN SOA ns1.bench.example.com. hostmaster.bench.example.com. 1 3600 600 86400 300\n@ IN NS ns1.bench.example.com.\n' > "$d/db.$z"
  done
  echo 'ns1 IN A 198.18.255.53' >> "$d/db.bench.example.com"
  cat > "$d/named.conf" <<CONF
include "$work/kickdrift.key";
options { directory "$d"; pid-file "$d/named.pid"; session-keyfile "$d/session.key";
  listen-on port $port { 127.0.0.1; }; listen-on-v6 { none; }; recursion no; notify no;
  dnssec-validation no; max-journal-size unlimited; };
controls { };
zone "bench.example.com" { type primary; file "$d/db.bench.example.com";
  allow-update { key "kickdrift"; }; allow-transfer { key "kickdrift"; }; };
zone "18.198.in-addr.arpa" { type primary; file "$d/db.18.198.in-addr.arpa";
  allow-update { key "kickdrift"; }; allow-transfer { key "kickdrift"; }; };
CONF
  named -g -c "$d/named.conf" > "$d/named.log" 2>&1 &
  named_pid=$!
  for _ in $(seq 100); do grep -q ' running$' "$d/named.log" && return 0; sleep 0.1; done
  cat "$d/named.log" >&2; exit 1
}

# The inventory and, from the same list, the nsupdate files.
python3 - "$n" "$batch" "$work" "$port" <<'PY'
import sys
n, batch, work, port = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
hosts = [(f"h{i:04d}.bench.example.com", f"198.18.{i // 250}.{i % 250 + 1}") for i in range(n)]
with open(f"{work}/inventory.yaml", "w") as f:
    f.write(f"""distros: [{{name: d, family: rocky, version: "9", kernel: http://198.18.255.1/k, initrd: http://198.18.255.1/i, install-tree: http://198.18.255.1/t}}]
profiles: [{{name: p, distro: d}}]
subnets: [{{network: 198.18.0.0/16}}]
dns:
  key-file: kickdrift.key
  ttl: 3600
  zones:
    - {{name: bench.example.com, primary: "127.0.0.1:{port}", nameservers: [ns1.bench.example.com]}}
    - {{name: 18.198.in-addr.arpa, primary: "127.0.0.1:{port}", nameservers: [ns1.bench.example.com]}}
hosts:
""")
    for i, (name, ip) in enumerate(hosts):
        f.write(f'  - {{name: {name}, profile: p, interfaces: [{{name: eth0, mac: "52:54:00:00:{i // 256:02x}:{i % 256:02x}", ip: {ip}}}]}}\n')
marker = '"heritage=kickdrift,kickdrift/owner=kickdrift"'
def rev(ip):
    a = ip.split(".")
    return f"{a[3]}.{a[2]}.18.198.in-addr.arpa."
def write(path, prereqs):
    with open(path, "w") as f:
        f.write(f"server 127.0.0.1 {port}\n")
        for zone, items in (("bench.example.com", [(h + ".", "A", ip) for h, ip in hosts]),
                            ("18.198.in-addr.arpa", [(rev(ip), "PTR", h + ".") for h, ip in hosts])):
            for start in range(0, len(items), batch):
                f.write(f"zone {zone}\n")
                for owner, rtype, data in items[start:start + batch]:
                    if prereqs:
                        f.write(f"prereq nxrrset {owner} TXT\n")
                        for t in (["A", "AAAA"] if rtype == "A" else ["PTR"]):
                            f.write(f"prereq nxrrset {owner} {t}\n")
                        f.write(f"prereq nxrrset {owner} CNAME\n")
                    f.write(f"update add {owner} 3600 {rtype} {data}\n")
                    f.write(f"update add {owner} 3600 TXT {marker}\n")
                f.write("send\n")
write(f"{work}/create.nsupdate", True)
write(f"{work}/resend.nsupdate", False)
PY

declare -A wall rss
run() { # name command...
  local name=$1; shift
  local s e code=0
  s=$(date +%s%N)
  /usr/bin/time -v -o "$work/$name.time" "$@" > "$work/$name.out" 2> "$work/$name.err" || code=$?
  e=$(date +%s%N)
  if [ "$code" -ne 0 ]; then echo "$name failed ($code):" >&2; cat "$work/$name.out" "$work/$name.err" >&2; exit 1; fi
  wall[$name]=$(awk -v ns=$((e - s)) 'BEGIN {printf "%.3f", ns / 1e9}')
  rss[$name]=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$work/$name.time")
}
zone_dump() { # the zones' records without SOA and TSIG lines, sorted
  for z in bench.example.com 18.198.in-addr.arpa; do
    dig -p "$port" @127.0.0.1 -k "$work/kickdrift.key" +nocmd +nostats +nocomments "$z" AXFR
  done | awk '$4 != "SOA" && $4 != "TSIG"' | sort
}

start_named "$work/named-nsupdate"
run nsupdate nsupdate -k "$work/kickdrift.key" "$work/create.nsupdate"
run nsupdate_again nsupdate -k "$work/kickdrift.key" "$work/resend.nsupdate"
zone_dump > "$work/nsupdate.zone"
stop_named

c1=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
start_named "$work/named-kickdrift"
run kickdrift java -jar "$jar" dns sync --inventory "$work/inventory.yaml" --batch "$batch"
run kickdrift_again java -jar "$jar" dns sync --inventory "$work/inventory.yaml" --batch "$batch"
zone_dump > "$work/kickdrift.zone"
stop_named
start_named "$work/named-kickdrift-c1"
run c1 java "${c1[@]}" -jar "$jar" dns sync --inventory "$work/inventory.yaml" --batch "$batch"
run c1_again java "${c1[@]}" -jar "$jar" dns sync --inventory "$work/inventory.yaml" --batch "$batch"
zone_dump > "$work/c1.zone"
stop_named
for out in kickdrift_again c1_again; do
  grep -q '0 update messages sent' "$work/$out.out" || { echo "the resync sent updates:" >&2; cat "$work/$out.out" >&2; exit 1; }
done

records=$(wc -l < "$work/kickdrift.zone")
for z in kickdrift c1; do
  if ! cmp -s "$work/nsupdate.zone" "$work/$z.zone"; then
    echo "the zones differ after nsupdate (<) and $z (>):" >&2
    diff "$work/nsupdate.zone" "$work/$z.zone" | head -20 >&2
    exit 1
  fi
done
inner() { sed -n 's/.* in \([0-9]*\) ms:.*/\1/p' "$work/$1.out"; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'; }
echo "dns sync of $n hosts ($records records in 2 zones, identical after both tools; batches of $batch names), $(nproc) cores"
printf '%-58s %9s %13s %16s\n' run "wall s" "peak RSS MiB" "nsupdate / tool"
printf '%-58s %9s %13s %16s\n' "nsupdate -k KEY create.nsupdate (anchor: into empty zones)" "${wall[nsupdate]}" "${rss[nsupdate]}" 1.00x
printf '%-58s %9s %13s %16s\n' "kickdrift dns sync (into empty zones)" "${wall[kickdrift]}" "${rss[kickdrift]}" "$(ratio "${wall[nsupdate]}" "${wall[kickdrift]}")"
printf '%-58s %9s %13s %16s\n' "nsupdate re-sending the adds (anchor: no-change resync)" "${wall[nsupdate_again]}" "${rss[nsupdate_again]}" 1.00x
printf '%-58s %9s %13s %16s\n' "kickdrift dns sync, no change (reads, sends nothing)" "${wall[kickdrift_again]}" "${rss[kickdrift_again]}" "$(ratio "${wall[nsupdate_again]}" "${wall[kickdrift_again]}")"
printf '%-58s %9s %13s %16s\n' "kickdrift, C1 + SerialGC (into empty zones)" "${wall[c1]}" "${rss[c1]}" "$(ratio "${wall[nsupdate]}" "${wall[c1]}")"
printf '%-58s %9s %13s %16s\n' "kickdrift, C1 + SerialGC, no change" "${wall[c1_again]}" "${rss[c1_again]}" "$(ratio "${wall[nsupdate_again]}" "${wall[c1_again]}")"
echo "kickdrift's own timing of the sync after loading the inventory (AXFR, plan, updates): $(inner kickdrift) ms and $(inner kickdrift_again) ms; C1: $(inner c1) ms and $(inner c1_again) ms"
