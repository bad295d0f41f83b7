#!/usr/bin/env bash
# `kickdrift render` of a generated inventory through the launcher the package installs, whole
# process, with the start-up caches kickdrift-make-cache makes (serve's trained by serve, the other
# commands' by a render) against the one cache it made before stop 40 (serve's, for every command),
# and against the Jinja2 anchor of bench/render-1000.sh. Every row is pairwise (A B A B …, the
# ratio taken pair by pair, its median printed), so a machine whose speed drifts slows both sides
# alike. The output goes to tmpfs (/dev/shm, or $TMPFS) so that the disk does not hide the start-up;
# each run renders into an empty OUT. Results: docs/benchmarks.md.
#
#   bench/launcher-render.sh [pairs] [hosts]   (default 7 pairs, 1000 hosts)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
pairs=${1:-7}
hosts=${2:-1000}
jar=$(realpath "$(kickdrift_jar)")
needs bc bc
python3 -c 'import jinja2, yaml' 2>/dev/null || {
  echo "the anchor needs Jinja2 and PyYAML: apt-get install python3-jinja2 python3-yaml" >&2
  exit 1
}
launcher=$PWD/dist/src/bin/kickdrift
tmpfs=${TMPFS:-/dev/shm}
work=$(mktemp -d "$tmpfs/kd-launcher-render.XXXXXX")
trap 'rm -rf "$work"' EXIT
inv=$work/inventory.yaml
java bench/GenInventory.java "$hosts" "$inv"
java -jar "$jar" init --state "$work/state" >/dev/null

# The caches as kickdrift-make-cache makes them now, and as before: serve's alone, which the short
# commands then used too (here: the same file under the short commands' name).
sh dist/src/bin/kickdrift-make-cache --cache-dir "$work/split" --server-jar "$jar" \
  --agent-jar "$work/no-agent.jar" --inventory kickstart/examples/inventory.yaml \
  --templates templates >/dev/null
mkdir -p "$work/serve-only"
for f in "$work/split"/kickdrift-*-long.*; do
  cp "$f" "$work/serve-only/"
  cp "$f" "$work/serve-only/$(basename "${f/-long./-short.}")"
done
cp -r "$work/split"/kickdrift-*-sqlite "$work/serve-only/"
# "no cache": no class cache, but the extracted SQLite library all the same
mkdir -p "$work/none"
cp -r "$work/split"/kickdrift-*-sqlite "$work/none/"

# Each run renders into an empty OUT; the previous one is removed before the clock starts (row).
render_with() { KICKDRIFT_JAR=$jar KICKDRIFT_CACHE_DIR=$work/$1 sh "$launcher" render --inventory "$inv" --out "$work/o-$1/out" --state "$work/state"; }
split() { render_with split; }
serve_only() { render_with serve-only; }
none() { render_with none; }
anchor() { python3 bench/jinja-kickstarts.py "$inv" "$work/o-anchor"; }

# row LABEL A B: A then B, `pairs` times; both medians and the median of the ratios A/B.
row() {
  local label=$1 a=$2 b=$3 i ta tb
  : >"$work/a" && : >"$work/b" && : >"$work/r"
  rm -rf "$work"/o-*
  "$a" >/dev/null 2>&1 || true
  rm -rf "$work"/o-*
  "$b" >/dev/null 2>&1 || true
  for i in $(seq "$pairs"); do
    rm -rf "$work"/o-*
    ta=$(secs "$a")
    rm -rf "$work"/o-*
    tb=$(secs "$b")
    echo "$ta" >>"$work/a"
    echo "$tb" >>"$work/b"
    echo "scale=4; $ta/$tb" | bc >>"$work/r"
  done
  printf '%-62s %6.3f s against %6.3f s: %.2fx\n' "$label" "$(median <"$work/a")" \
    "$(median <"$work/b")" "$(median <"$work/r")"
}

echo "machine: $(nproc) cores; the launcher's java: $(KICKDRIFT_JAR=$jar KICKDRIFT_LAUNCHER_DEBUG=1 sh "$launcher" --version 2>&1 >/dev/null | sed -n 's/^kickdrift: \([^ ]*\) .*/\1/p' | head -1)"
echo "inventory: $hosts hosts; $(rm -rf "$work"/o-*; split | grep "^rendered")"
echo "caches: $(cd "$work/split" && ls -d kickdrift-* | tr '\n' ' ')"
row "render, the render-trained cache / serve's cache" split serve_only
row "render, the render-trained cache / no cache" split none
row "render, the render-trained cache / Python 3 + Jinja2 (anchor)" split anchor
