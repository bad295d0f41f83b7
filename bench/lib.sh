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
