#!/usr/bin/env bash
# Benchmark: `kickdrift fleet scan` of 100 hosts against Ansible running `dpkg --verify` ad hoc on
# the same hosts with the same parallelism, both measured in this run, end to end, with their
# peak RSS. Target (issue #7): kickdrift at least 3x faster. Results: docs/benchmarks.md.
#
#   bench/fleet-ansible.sh [parallel]     (default 10: ansible -f N, kickdrift --parallel N)
#   FLEET_HOSTS=N (default 100) hosts; FLEET_ALL=1 adds a kickdrift --all row.
#
# The hosts are simulated: 127.0.0.1 .. 127.0.0.$FLEET_HOSTS (default 100; all loopback on Linux),
# each reaching ONE OpenSSH sshd that this script starts on a free port with its own host key, so
# every "host" is this machine's root file system, scanned once per host. Needs root (sshd logs
# in as root and the scans read all of /), sshd, and ansible (`apt-get install -y ansible`; not in
# CI). Both tools check host keys strictly against a known_hosts written here.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
parallel=${1:-10}
nhosts=${FLEET_HOSTS:-100}
jar=$(kickdrift_jar)
needs "ansible openssh-server zip" ansible sshd ssh-keygen zip
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "needs root (the hosts are logged into as root)" >&2; exit 1; }

work=$(mktemp -d)
sshd_pid=
agent_copy=
cleanup() {
  # Ansible's ssh ControlPersist masters outlive it by 60 s: close ours.
  for sock in "$work"/cp/*; do
    [ -S "$sock" ] && ssh -o ControlPath="$sock" -O exit x >/dev/null 2>&1 || true
  done
  [ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  # The uniquely stamped agent jar this run copied to the shared ~/.cache/kickdrift, and the
  # class archives its first scan wrote beside it.
  [ -n "$agent_copy" ] && rm -f "$agent_copy" "${agent_copy%.jar}"-*.jsa
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)

# One sshd for every simulated host. 0.0.0.0 because a socket bound there receives packets sent
# to every 127.0.0.N; it is a throwaway process on an unprivileged port, stopped at exit.
# StrictModes no: its key files live under mktemp's directory in the world-writable /tmp, which
# StrictModes refuses.
ssh-keygen -q -t ed25519 -N '' -f "$work/host_ed25519"
ssh-keygen -q -t ed25519 -N '' -f "$work/id_ed25519"
cp "$work/id_ed25519.pub" "$work/authorized_keys"
chmod 600 "$work/authorized_keys"
cat > "$work/sshd_config" <<SSHD
Port $port
ListenAddress 0.0.0.0
HostKey $work/host_ed25519
PidFile $work/sshd.pid
AuthorizedKeysFile $work/authorized_keys
StrictModes no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
MaxStartups 200:30:300
MaxSessions 50
Subsystem sftp internal-sftp
SSHD
mkdir -p /run/sshd
"$(command -v sshd)" -D -e -f "$work/sshd_config" 2>"$work/sshd.log" &
sshd_pid=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

hostkey=$(cut -d' ' -f1,2 "$work/host_ed25519.pub")
inv=$work/inventory.yaml
cat > "$inv" <<YAML
distros:
  - {name: d, family: rocky, version: "9", kernel: k, initrd: i, install-tree: http://192.0.2.1/t}
subnets:
  - {network: 127.0.0.0/8}
profiles:
  - {name: p, distro: d}
hosts:
YAML
printf '[all:vars]\nansible_port=%s\nansible_user=root\nansible_ssh_private_key_file=%s\nansible_python_interpreter=/usr/bin/python3\n[fleet]\n' \
  "$port" "$work/id_ed25519" > "$work/hosts.ini"
: > "$work/known_hosts"
for i in $(seq "$nhosts"); do
  name=$(printf 'h%03d' "$i")
  printf '  - name: %s\n    profile: p\n    interfaces: [{name: eth0, mac: "52:54:00:00:%02x:%02x", ip: 127.0.0.%d}]\n    ssh: {user: root, port: %s}\n' \
    "$name" $((i / 256)) $((i % 256)) "$i" "$port" >> "$inv"
  echo "$name ansible_host=127.0.0.$i" >> "$work/hosts.ini"
  echo "[127.0.0.$i]:$port $hostkey" >> "$work/known_hosts"
done

cat > "$work/ansible.cfg" <<CFG
[defaults]
host_key_checking = True
local_tmp = $work/ansible-local
CFG
export ANSIBLE_CONFIG=$work/ansible.cfg
# Ansible's default ssh arguments (ControlMaster/ControlPersist) plus strict checking against
# our known_hosts; control sockets in the scratch directory, so cleanup can close them.
export ANSIBLE_SSH_ARGS="-C -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=$work/known_hosts -o StrictHostKeyChecking=yes"
export ANSIBLE_SSH_CONTROL_PATH_DIR=$work/cp
export ANSIBLE_NOCOLOR=1
# Both controllers get 60 s to connect and log in (defaults: 10 s each). With 2 shared cores
# under load, a cold JVM took over 10 s for its first key exchanges and 10 hosts failed.
export ANSIBLE_TIMEOUT=60

# The agent jar, stamped so that its SHA-256 is new: the first agent run really copies it. On
# one machine all hosts share root's ~/.cache/kickdrift, so once one host has it the others
# find it there; a fleet of real machines would copy it to every host.
cp "$jar" "$work/agent.jar"
date +%s%N > "$work/bench-stamp"
(cd "$work" && zip -q agent.jar bench-stamp)
agent_copy=$HOME/.cache/kickdrift/agent-$(sha256sum < "$work/agent.jar" | cut -c1-16).jar

# run NAME CMD...: times CMD end to end; records wall seconds, peak RSS MiB and exit code.
declare -A wall rss rc
run() {
  local name=$1 s e code=0
  shift
  s=$(date +%s%N)
  /usr/bin/time -v -o "$work/$name.time" "$@" > "$work/$name.out" 2> "$work/$name.err" || code=$?
  e=$(date +%s%N)
  wall[$name]=$(awk -v ns=$((e - s)) 'BEGIN {printf "%.1f", ns / 1e9}')
  rss[$name]=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$work/$name.time")
  rc[$name]=$code
}
# kickdrift runs as the package runs it: through the launcher, with the JVM options it gives fleet
# (C1, the serial collector, a 160 MiB heap; KICKDRIFT_JAVA_OPTS adds to them).
fleet() {
  run "$1" env KICKDRIFT_JAR="$jar" KICKDRIFT_CACHE_DIR="$work/no-cache" sh dist/src/bin/kickdrift fleet scan --inventory "$inv" --repo "$work/$2" \
    --identity "$work/id_ed25519" --known-hosts "$work/known_hosts" --parallel "$parallel" \
    --connect-timeout 60s --agent-jar "$work/agent.jar" "${@:3}"
}
echo "machine: $(nproc) cores, $(uname -r), $(java -version 2>&1 | head -1), $(dpkg-query -W -f='ansible ${Version}' ansible), $(ansible --version | sed -n 1p)"
echo "the launcher runs: $(KICKDRIFT_JAR=$jar KICKDRIFT_CACHE_DIR=$work/no-cache KICKDRIFT_LAUNCHER_DEBUG=1 sh dist/src/bin/kickdrift fleet --help 2>&1 >/dev/null | grep -o '[^ ]*/java .*-jar' | head -1)"
echo "hosts: $nhosts (127.0.0.1-$nhosts, one sshd on port $port; controller and hosts share this machine), parallelism $parallel"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

run ansible ansible all -i "$work/hosts.ini" -m command -a 'dpkg --verify' -f "$parallel" -o
for sock in "$work"/cp/*; do
  [ -S "$sock" ] && ssh -o ControlPath="$sock" -O exit x >/dev/null 2>&1 || true
done
echo "ansible: exit ${rc[ansible]}; $(grep -c ' | CHANGED | rc=0' "$work/ansible.out" || true) hosts rc=0," \
  "$(grep -c ' | FAILED | rc=' "$work/ansible.out" || true) hosts rc!=0," \
  "$(grep -c 'UNREACHABLE' "$work/ansible.out" || true) unreachable"

if grep -q 'agentless scans are not built yet' server/src/main/java/io/kickdrift/server/fleet/Agentless.java; then
  echo "agentless: not available in this build"
else
  fleet agentless agentless.git --way agentless
  echo "agentless: exit ${rc[agentless]}; $(tail -n 1 "$work/agentless.out")"
  [ "${rc[agentless]}" -le 1 ] || { echo "WARNING: agentless: some hosts failed, its time is not comparable:"; grep -E '^FAILED|Exception|Error' "$work/agentless.err" | head -n 5; }
fi

[ -f "$agent_copy" ] && echo "note: $agent_copy existed before the first agent run"
fleet agent1 agent.git --way agent
fleet agent2 agent.git --way agent
# --all (every file of every package, what dpkg --verify checks) only with FLEET_ALL=1: on two
# shared cores it takes far longer than the default scope.
runs="agent1 agent2"
if [ "${FLEET_ALL:-0}" = 1 ]; then
  fleet agentall agent-all.git --way agent --all
  runs="$runs agentall"
fi
for n in $runs; do
  echo "$n: exit ${rc[$n]}; $(tail -n 1 "$work/$n.out")"
  [ "${rc[$n]}" -le 1 ] || { echo "WARNING: $n: some hosts failed, its time is not comparable:"; grep '^FAILED' "$work/$n.err" | head -n 5; }
done

ratio() { awk -v a="${wall[ansible]}" -v b="$1" 'BEGIN {printf "%.2fx", a / b}'; }
echo
printf '%-52s %9s %13s %18s\n' tool "wall s" "peak RSS MiB" "ansible / tool"
printf '%-52s %9s %13s %18s\n' "ansible -m command -a 'dpkg --verify' (anchor)" "${wall[ansible]}" "${rss[ansible]}" 1.00x
if [ -n "${wall[agentless]:-}" ]; then
  printf '%-52s %9s %13s %18s\n' "kickdrift fleet scan --way agentless" "${wall[agentless]}" "${rss[agentless]}" "$(ratio "${wall[agentless]}")"
else
  printf '%-52s %9s %13s %18s\n' "kickdrift fleet scan --way agentless" - - "not available in this build"
fi
printf '%-52s %9s %13s %18s\n' "kickdrift --way agent, first run (copies the jar)" "${wall[agent1]}" "${rss[agent1]}" "$(ratio "${wall[agent1]}")"
printf '%-52s %9s %13s %18s\n' "kickdrift --way agent, second run (jar in place)" "${wall[agent2]}" "${rss[agent2]}" "$(ratio "${wall[agent2]}")"
[ -z "${wall[agentall]:-}" ] ||
  printf '%-52s %9s %13s %18s\n' "kickdrift --way agent --all (every package file)" "${wall[agentall]}" "${rss[agentall]}" "$(ratio "${wall[agentall]}")"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
