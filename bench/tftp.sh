#!/usr/bin/env bash
# Benchmark: kickdrift's TFTP server against atftpd and tftpd-hpa on loopback, the same atftp
# client for all, measured in this run; prints ratios against those anchors. Then a boot storm:
# 500 concurrent clients fetching 1 MiB each from kickdrift. Results: docs/benchmarks.md.
#
#   bench/tftp.sh [runs]     (default 3 runs per setting; the median counts)
#
# Needs atftp and tftpd-hpa installed, root (the daemons drop to nobody), and ports
# $TFTP_BENCH_PORT..+2 free on 127.0.0.1 (default 16900). atftpd conflicts with tftpd-hpa as a
# package, so its binary is unpacked from `apt-get download atftpd` into the scratch directory.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
runs=${1:-3}
port=${TFTP_BENCH_PORT:-16900}
clients=${TFTP_STORM_CLIENTS:-500}
jar=$(kickdrift_jar)
scratch=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$scratch"; }
trap cleanup EXIT
chmod 755 "$scratch"
root=$scratch/root
mkdir -m 755 "$root"
head -c $((32 << 20)) /dev/urandom > "$root/32M"
head -c $((100 << 20)) /dev/urandom > "$root/100M"
head -c $((1 << 20)) /dev/urandom > "$root/1M"
chmod 644 "$root"/*

(cd "$scratch" && apt-get download atftpd >/dev/null 2>&1 && dpkg-deb -x atftpd_*.deb atftpd)
atftpd=$scratch/atftpd/usr/sbin/atftpd

kd_port=$port atftpd_port=$((port + 1)) hpa_port=$((port + 2))
java -jar "$jar" tftp --root "$root" --port "$kd_port" --bind 127.0.0.1 \
  >"$scratch/kickdrift.log" 2>&1 &
pids+=($!)
"$atftpd" --daemon --no-fork --port "$atftpd_port" --bind-address 127.0.0.1 --logfile /dev/null \
  "$root" &
pids+=($!)
/usr/sbin/in.tftpd -L -s "$root" -a "127.0.0.1:$hpa_port" &
pids+=($!)
sleep 2

echo "machine: $(nproc) cores, $(uname -r), $(java -version 2>&1 | head -1)"
echo "client: $(atftp --version 2>&1 | head -1); servers: kickdrift (kickdrift tftp), $("$atftpd" --version 2>&1 | head -1), $(dpkg-query -W -f='tftpd-hpa ${Version}' tftpd-hpa)"

# MB/s (MiB/s) of one download; fails loudly if the file differs.
rate() {
  local port=$1 file=$2 window=$3 out=$scratch/out s e
  rm -f "$out"
  s=$(date +%s%N)
  atftp --option "blksize 1428" --option "windowsize $window" -g -r "$file" -l "$out" 127.0.0.1 "$port" \
    >/dev/null 2>&1
  e=$(date +%s%N)
  cmp -s "$out" "$root/$file" || { echo "download of $file from port $port differs" >&2; exit 1; }
  awk -v b="$(stat -c %s "$out")" -v ns=$((e - s)) 'BEGIN {printf "%.1f\n", b / 1048576 / (ns / 1e9)}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# One warm-up download from each server: they are long-running daemons, and the JVM's JIT
# compiles the hot path during the first megabytes.
for p in "$kd_port" "$atftpd_port" "$hpa_port"; do rate "$p" 32M 16 >/dev/null; done

# Runs are interleaved (kickdrift, atftpd, tftpd-hpa, kickdrift, ...) so that load from elsewhere
# on the machine falls on all servers alike; the median of each server's runs counts.
declare -A r
printf '\n%-10s %-6s %12s %12s %12s\n' file window kickdrift atftpd tftpd-hpa
for file in 32M 100M; do
  for window in 1 16; do
    kd=() at=() hpa=()
    for _ in $(seq "$runs"); do
      kd+=("$(rate "$kd_port" "$file" "$window")")
      at+=("$(rate "$atftpd_port" "$file" "$window")")
      [ "$window" = 1 ] && hpa+=("$(rate "$hpa_port" "$file" 1)")
    done
    r[kd,$file,$window]=$(printf '%s\n' "${kd[@]}" | median)
    r[at,$file,$window]=$(printf '%s\n' "${at[@]}" | median)
    if [ "$window" = 1 ]; then
      r[hpa,$file,1]=$(printf '%s\n' "${hpa[@]}" | median)
      shown="${r[hpa,$file,1]} MB/s"
    else
      shown="(no windowsize)"
    fi
    printf '%-10s %-6s %9s MB/s %7s MB/s %15s\n' "$file" "$window" "${r[kd,$file,$window]}" \
      "${r[at,$file,$window]}" "$shown"
  done
done
echo
for file in 32M 100M; do
  for window in 1 16; do
    printf 'kickdrift/atftpd    %-5s windowsize %-3s %sx\n' "$file" "$window" \
      "$(ratio "${r[kd,$file,$window]}" "${r[at,$file,$window]}")"
  done
  printf 'kickdrift ws16 / tftpd-hpa ws1 %-5s   %sx\n' "$file" \
    "$(ratio "${r[kd,$file,16]}" "${r[hpa,$file,1]}")"
done

# Boot storm: a fresh server, so its peak RSS is the storm's. Every client is 127.0.0.1 here,
# where a real storm has one address per machine: lift the per-client limit (8 by default).
kill "${pids[0]}"
storm_port=$((port + 3))
java -jar "$jar" tftp --root "$root" --port "$storm_port" --bind 127.0.0.1 \
  --max-per-client "$clients" --max-transfers "$((clients > 2048 ? clients : 2048))" \
  >"$scratch/storm.log" 2>&1 &
storm_pid=$!
pids+=($storm_pid)
sleep 2
mkdir "$scratch/storm"
s=$(date +%s%N)
for i in $(seq "$clients"); do
  atftp --option "blksize 1428" -g -r 1M -l "$scratch/storm/$i" 127.0.0.1 "$storm_port" \
    >/dev/null 2>&1 &
done
failed=0
for job in $(jobs -p); do
  case " ${pids[*]} " in *" $job "*) continue ;; esac
  wait "$job" || failed=$((failed + 1))
done
e=$(date +%s%N)
want=$(sha256sum < "$root/1M")
bad=0
for i in $(seq "$clients"); do
  [ "$(sha256sum < "$scratch/storm/$i" 2>/dev/null)" = "$want" ] || bad=$((bad + 1))
done
secs=$(awk -v ns=$((e - s)) 'BEGIN {printf "%.2f", ns / 1e9}')
served=$(grep -c 'RRQ 1M blksize=1428: sent 1048576 bytes' "$scratch/storm.log" || true)
echo
echo "boot storm: $clients concurrent atftp clients, 1 MiB each, blksize 1428"
echo "  wall ${secs} s, aggregate $(awk -v n="$clients" -v s="$secs" 'BEGIN {printf "%.1f", n / s}') MiB/s"
echo "  client failures (exit code): $failed, wrong or missing files: $bad, server logged $served complete"
echo "  server peak RSS: $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$storm_pid/status)"
