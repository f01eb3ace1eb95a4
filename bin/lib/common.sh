# Shared by the bin/ scripts: where the repository is, which java, and a build on first use.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# kv_classpath: the zk-kv-store jar and its runtime libraries, building them first if they are missing.
kv_classpath() {
  local jar="$ROOT/zk-kv-store/target/zk-kv-store.jar" lib="$ROOT/zk-kv-store/target/lib"
  if [ ! -f "$jar" ] || [ ! -d "$lib" ]; then
    echo "zk-kv-store is not built yet: building it now (mvn -DskipTests package, about a minute)..." >&2
    (cd "$ROOT" && mvn -B -q -DskipTests -pl zk-kv-store -am package) >&2 || {
      echo "error: the build failed; run 'mvn -B -DskipTests package' in $ROOT to see why" >&2
      exit 1
    }
  fi
  echo "$jar:$lib/*"
}

# run_kv MAIN_CLASS ARGS...: runs one of zk-kv-store's programs.
run_kv() {
  local main="$1"; shift
  local cp; cp="$(kv_classpath)" || exit 1
  exec "$JAVA" ${KV_JAVA_OPTS:-} -Delastickv.log.level="${KV_LOG_LEVEL:-info}" -cp "$cp" "$main" "$@"
}
