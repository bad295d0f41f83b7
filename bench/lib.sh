# Sourced by the bench scripts after `cd` to the project root: one way to get the jar under test
# and to refuse, with the package to install, when a tool a run needs is missing.

# The kickdrift jar ($KICKDRIFT_JAR, else the build's), built first when it is not there.
kickdrift_jar() {
  local jar=${KICKDRIFT_JAR:-server/target/kickdrift.jar}
  [ -f "$jar" ] || mvn -q -B -ntp -o -pl agent,server package -DskipTests >&2
  echo "$jar"
}

# needs "PACKAGES" TOOL...: exit 1 naming the first missing tool and the apt-get line that brings it.
needs() {
  local packages=$1 tool
  shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "needs $tool: apt-get install -y $packages" >&2; exit 1; }
  done
}

# rocky9_distro ADDRESS: the inventory's `distros:` block the DHCP and boot benches share, a Rocky
# 9 tree served from ADDRESS (never fetched: the clients stop at the kickstart).
rocky9_distro() {
  cat <<YAML
distros:
  - name: rocky9
    family: rocky
    version: "9.5"
    kernel: http://$1/trees/rocky9/images/pxeboot/vmlinuz
    initrd: http://$1/trees/rocky9/images/pxeboot/initrd.img
    install-tree: http://$1/trees/rocky9
YAML
}

# nginx_conf DIR LISTEN DIRECTIVES: writes DIR/nginx.conf for the anchors: in the foreground, one
# worker per core, no access log, its pid and error log in DIR, one server on LISTEN with
# DIRECTIVES (a root or locations).
nginx_conf() {
  cat >"$1/nginx.conf" <<NGINX
daemon off;
worker_processes $(nproc);
pid $1/nginx.pid;
error_log $1/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  default_type text/plain;
  server {
    listen $2;
    $3
  }
}
NGINX
}

# secs COMMAND...: wall seconds (3 decimals) of one run of COMMAND, its output discarded and its
# exit status ignored.
secs() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo "scale=3; ($e-$s)/1000000000" | bc; }

# median: the median of the numbers on stdin, one a line (the lower middle one of an even count).
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
