#!/usr/bin/env bash
# Issue 19's speed target for the server: `kickdrift serve` ready within 1.5 s of its start with
# the example inventory. Each run starts serve through the launcher (dist/src/bin/kickdrift, with
# the cache kickdrift-make-cache made for the jar) on loopback, HTTP and TFTP on ports the kernel
# picks, no DNS sync; polls the HTTP port it logs until serve is ready, and stops it. Two kinds of
# start: on a state that exists (a restart, what a service does every time but the first: the
# target) and on a fresh state (the first start: a new database, migrations, keys). Ready: GET /readyz answers 200; on a build without /readyz (404) the first answer of the
# kickstart route (GET /ks/HOST/TOKEN; a refusal is an answer: the router and the inventory are
# up). The median of the runs is printed; also the same with `java -jar` and no options.
#
#   bench/serve-ready.sh [runs] [jar]   (default 7 runs, server/target/kickdrift.jar)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
runs=${1:-7}
jar=$(realpath "${2:-$(kickdrift_jar)}")
needs curl curl
needs bc bc
launcher=$PWD/dist/src/bin/kickdrift
inventory=$PWD/kickstart/examples/inventory.yaml
work=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT


# ready_after HOW STATE: seconds from start to ready, one run; HOW is "launcher" or "java"; STATE
# "existing" (one state, made before the runs) or "fresh" (a new one each run).
ready_after() {
  local how=$1 state out s e port code=000 url
  if [ "$2" = existing ]; then
    state=$work/existing
  else
    state=$(mktemp -d "$work/state.XXXX")
    rmdir "$state"
  fi
  out=$(mktemp "$work/log.XXXX")
  local args=(serve --inventory "$inventory" --templates "$PWD" --bind 127.0.0.1 --http-port 0
    --tftp-port 0 --state "$state" --no-dns-sync)
  s=$(date +%s%N)
  if [ "$how" = launcher ]; then
    KICKDRIFT_JAR=$jar KICKDRIFT_CACHE_DIR=$work/cache sh "$launcher" "${args[@]}" >"$out" 2>&1 &
  else
    java -jar "$jar" "${args[@]}" >"$out" 2>&1 &
  fi
  pid=$!
  port=
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "serve exited before it was ready:" >&2
      cat "$out" >&2
      exit 1
    fi
    [ -n "$port" ] || port=$(sed -n 's|.*http listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$out")
    if [ -n "$port" ]; then
      code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz" || true)
      [ "$code" = 200 ] && break
      if [ "$code" = 404 ]; then
        url=http://127.0.0.1:$port/ks/probe/probe
        code=$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)
        [ "$code" != 000 ] && break
      fi
    fi
    sleep 0.01
  done
  e=$(date +%s%N)
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
  echo "scale=3; ($e-$s)/1000000000" | bc
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "jar: $jar; inventory: $inventory"
dist/src/bin/kickdrift-make-cache --cache-dir "$work/cache" --server-jar "$jar" \
  --agent-jar /nonexistent --inventory "$inventory" --templates "$PWD" >&2
java -jar "$jar" init --state "$work/existing" >/dev/null
echo "launcher runs: $(KICKDRIFT_LAUNCHER_DEBUG=1 KICKDRIFT_JAR=$jar KICKDRIFT_CACHE_DIR=$work/cache sh "$launcher" --version 2>&1 >/dev/null | head -1 | cut -d' ' -f2)"
echo "java -jar runs: $(command -v java) ($(java -version 2>&1 | head -1))"
for state in existing fresh; do
  for how in launcher java; do
    : >"$work/t"
    for i in $(seq "$runs"); do ready_after "$how" "$state" >>"$work/t"; done
    m=$(median <"$work/t")
    printf '%-44s median %6.3f s of %s runs (%s)   %s\n' "serve ready, $how, $state state" "$m" \
      "$runs" "$(sort -n "$work/t" | tr '\n' ' ')" \
      "$([ "$(echo "$m <= 1.5" | bc)" = 1 ] && echo "target <= 1.5 s met" || echo "target <= 1.5 s NOT met")"
  done
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
