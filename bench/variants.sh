#!/usr/bin/env bash
# Issue 21's target: `kickdrift drift variants` over a repository of 1,000 hosts x 300 files in
# under 5 s, reading Git objects directly (JGit), not checkouts. The repository is made by
# bench/VariantsRepo.java (one commit, packed by `git gc` as a served repository is) with its
# inventory. The anchor, measured in the same run: git itself reading every object of the
# repository once (`git cat-file --batch-all-objects --batch`), the least any reader of all those
# files must do. Each is timed 5 times after a warm-up; medians and the ratio are printed.
#
#   bench/variants.sh [hosts] [files] [jar]   (default 1000 300 server/target/kickdrift.jar)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
hosts=${1:-1000}
files=${2:-300}
jar=$(realpath "${3:-$(kickdrift_jar)}")
needs git git
needs time time
needs bc bc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
java -cp "$jar" bench/VariantsRepo.java "$hosts" "$files" "$work/repo.git" "$work/inventory.yaml"
git -C "$work/repo.git" gc -q
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $hosts hosts x $files files;" \
  "repository $(du -sh "$work/repo.git" | cut -f1)"

# seconds ... : wall seconds of each of 5 runs after one warm-up
seconds() {
  local i
  for i in 0 1 2 3 4 5; do
    /usr/bin/time -f %e -o "$work/t" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    [ "$i" -gt 0 ] && cat "$work/t"
  done
}
# through the launcher, as users run it: a short command's JVM options (C1 only, the serial GC);
# no class-data cache (an empty cache directory), so start-up is not flattered
kd=(env KICKDRIFT_JAR="$jar" KICKDRIFT_CACHE_DIR="$work/cache" dist/src/bin/kickdrift)
ours=$(seconds "${kd[@]}" drift variants --repo "$work/repo.git" --inventory "$work/inventory.yaml" \
  --json | median)
anchor=$(seconds git -C "$work/repo.git" cat-file --batch-all-objects --batch | median)
"${kd[@]}" drift variants --repo "$work/repo.git" --inventory "$work/inventory.yaml" | sed -n '1p'
echo "drift variants: median $ours s (target < 5 s: $(echo "scale=2; $ours / 5" | bc) of it)"
echo "anchor, git reading every object once: median $anchor s; variants/anchor:" \
  "$(echo "scale=2; $ours / $anchor" | bc)x"
