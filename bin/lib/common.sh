# Shared by the bin/ scripts: where the repository is, which java, and a build on first use.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# module_classpath MODULE [JAR_NAME]: the module's jar and its runtime libraries, building them first if they are
# missing. MODULE is the module's directory; JAR_NAME (default: the directory's name) names target/JAR_NAME.jar.
module_classpath() {
  local module="$1" name="${2:-$1}"
  local jar="$ROOT/$module/target/$name.jar" lib="$ROOT/$module/target/lib"
  if [ ! -f "$jar" ] || [ ! -d "$lib" ]; then
    echo "$module is not built yet: building it now (mvn -DskipTests package, about a minute)..." >&2
    (cd "$ROOT" && mvn -B -q -DskipTests -pl "$module" -am package) >&2 || {
      echo "error: the build failed; run 'mvn -B -DskipTests package' in $ROOT to see why" >&2
      exit 1
    }
  fi
  echo "$jar:$lib/*"
}

kv_classpath() { module_classpath zk-kv-store; }

# run_kv MAIN_CLASS ARGS...: runs one of zk-kv-store's programs.
run_kv() {
  local main="$1"; shift
  local cp; cp="$(kv_classpath)" || exit 1
  exec "$JAVA" ${KV_JAVA_OPTS:-} -Delastickv.log.level="${KV_LOG_LEVEL:-info}" -cp "$cp" "$main" "$@"
}

# run_kv_cli MAIN_CLASS ARGS...: a short-lived client of zk-kv-store (kvctl). It starts in about half the time
# with the JIT's first tier only and an archive of the classes it loads (AppCDS): the archive is written by the
# first run after a build (zk-kv-store/target/kvctl.jsa) and used by every later one. The JVM's own messages
# go to stderr at error level, never to stdout, where kvctl get writes the value.
run_kv_cli() {
  local main="$1"; shift
  local cp; cp="$(kv_classpath)" || exit 1
  local jsa="$ROOT/zk-kv-store/target/kvctl.jsa"
  local opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xlog:disable -Xlog:all=error:stderr
    -Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory
    -Dorg.apache.logging.log4j.simplelog.level="${KV_LOG_LEVEL:-error}" ${KV_JAVA_OPTS:-})
  if [ -f "$jsa" ] && [ -z "$(find "$ROOT/zk-kv-store/target/zk-kv-store.jar" "$ROOT/zk-kv-store/target/lib" -newer "$jsa" -print -quit)" ]; then
    exec "$JAVA" -XX:SharedArchiveFile="$jsa" "${opts[@]}" -cp "$cp" "$main" "$@"
  fi
  local tmp="$jsa.$$" rc=0
  "$JAVA" -XX:ArchiveClassesAtExit="$tmp" "${opts[@]}" -cp "$cp" "$main" "$@" || rc=$?
  [ -f "$tmp" ] && mv -f "$tmp" "$jsa" 2>/dev/null
  rm -f "$tmp"
  exit $rc
}

# run_bridge MAIN_CLASS ARGS...: runs one of hdfs-iscsi-bridge's programs.
run_bridge() {
  local main="$1"; shift
  local cp; cp="$(module_classpath hdfs-iscsi-bridge)" || exit 1
  exec "$JAVA" ${BRIDGE_JAVA_OPTS:-} -Discsi.log.level="${BRIDGE_LOG_LEVEL:-info}" -cp "$cp" "$main" "$@"
}

# run_slots_yarn MAIN_CLASS ARGS...: runs a program of hadoop-slot-scheduler/yarn (Hadoop 3 on its class path).
run_slots_yarn() {
  local main="$1"; shift
  local cp; cp="$(module_classpath hadoop-slot-scheduler/yarn hadoop-slot-scheduler-yarn)" || exit 1
  exec "$JAVA" ${SLOTS_JAVA_OPTS:-} -Dslots.log.level="${SLOTS_LOG_LEVEL:-info}" -cp "$cp" "$main" "$@"
}

# run_slots MAIN_CLASS ARGS...: runs one of hadoop-slot-scheduler's programs.
run_slots() {
  local main="$1"; shift
  local cp; cp="$(module_classpath hadoop-slot-scheduler)" || exit 1
  exec "$JAVA" ${SLOTS_JAVA_OPTS:-} -Dslots.log.level="${SLOTS_LOG_LEVEL:-info}" -cp "$cp" "$main" "$@"
}
