#!/usr/bin/env bash
# Entrypoint of the stand-in base image: the official image's commands (jobmanager, standalone-job,
# taskmanager, help, anything else exec'd), started the way Flink's bin/ scripts start them (memory
# flags from BashJavaUtils, the distribution's Java 17 module flags), without the bin/ scripts
# themselves (they ship only in the distribution tarball, not on Maven Central).
# Unlike the official entrypoint it never writes under conf/: FLINK_PROPERTIES,
# JOB_MANAGER_RPC_ADDRESS and TASK_MANAGER_NUMBER_OF_TASK_SLOTS become -D dynamic properties, which
# win over config.yaml exactly as the official image's merged file would. The operator mounts
# conf/ from a ConfigMap, read-only.
set -euo pipefail

FLINK_HOME=${FLINK_HOME:-/opt/flink}
CONF_DIR=${FLINK_CONF_DIR:-$FLINK_HOME/conf}
RESULT_PREFIX=BASH_JAVA_UTILS_EXEC_RESULT:
JAVA_17_OPTIONS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

dynamic=()
if [ -n "${JOB_MANAGER_RPC_ADDRESS:-}" ]; then
  dynamic+=(-D "jobmanager.rpc.address=$JOB_MANAGER_RPC_ADDRESS")
fi
if [ -n "${TASK_MANAGER_NUMBER_OF_TASK_SLOTS:-}" ]; then
  dynamic+=(-D "taskmanager.numberOfTaskSlots=$TASK_MANAGER_NUMBER_OF_TASK_SLOTS")
fi
# FLINK_PROPERTIES: "key: value" a line, values through envsubst, as the official image reads it.
while IFS= read -r line; do
  line=$(sed 's/^[[:space:]]*//;s/[[:space:]]*$//' <<<"$line")
  [ -n "$line" ] || continue
  key=$(sed 's/[[:space:]]*$//' <<<"${line%%:*}")
  value=$(sed 's/^[[:space:]]*//' <<<"${line#*:}" | envsubst)
  dynamic+=(-D "$key=$value")
done <<<"${FLINK_PROPERTIES:-}"

# jemalloc, as the official image preloads it unless DISABLE_JEMALLOC=true.
if [ "${DISABLE_JEMALLOC:-false}" = false ]; then
  jemalloc=$(ls /usr/lib/*-linux-gnu/libjemalloc.so.2 2>/dev/null | head -n 1 || true)
  if [ -n "$jemalloc" ]; then export LD_PRELOAD=${LD_PRELOAD:+$LD_PRELOAD:}$jemalloc; fi
fi

# JVM flags (line 1) and memory dynamic properties (line 2), computed by Flink from the config.
resource_params() {
  local output
  if ! output=$(java -classpath "$FLINK_HOME/lib/*" org.apache.flink.runtime.util.bash.BashJavaUtils \
      "$1" --configDir "$CONF_DIR" "${dynamic[@]}" 2>&1); then
    echo "BashJavaUtils $1 failed:" >&2; echo "$output" >&2; exit 1
  fi
  mapfile -t results < <(grep "^$RESULT_PREFIX" <<<"$output" | sed "s/^$RESULT_PREFIX//")
  [ "${#results[@]}" -ge 2 ] || { echo "unexpected BashJavaUtils output: $output" >&2; exit 1; }
  read -r -a jvm_params <<<"${results[-2]}"
  read -r -a memory_params <<<"${results[-1]}"
}

start() { # role, resource command, main class, arguments...
  local role=$1 resources=$2 main=$3; shift 3
  resource_params "$resources"
  local log4j=$CONF_DIR/log4j-console.properties
  [ -f "$log4j" ] || { echo "no $log4j (the operator's ConfigMap carries one)" >&2; exit 1; }
  echo "Starting $role"
  exec java "${jvm_params[@]}" "${JAVA_17_OPTIONS[@]}" \
    -Dlog.file="$FLINK_HOME/log/flink-$role-${HOSTNAME:-flink}.log" \
    -Dlog4j.configurationFile="file:$log4j" \
    -classpath "$FLINK_HOME/lib/*" "$main" \
    --configDir "$CONF_DIR" "${dynamic[@]}" "${memory_params[@]}" "$@"
}

if [ "$(id -u)" = 0 ]; then
  echo "WARNING: Running as root user is not recommended. Please use a non-root user to run Flink."
fi
command=${1:-help}
[ $# -gt 0 ] && shift
case "$command" in
  help)
    echo "Usage: $(basename "$0") (jobmanager|standalone-job|taskmanager|help) [args]"
    echo "       $(basename "$0") <any command>   (run as it is)" ;;
  jobmanager)
    start jobmanager GET_JM_RESOURCE_PARAMS \
      org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint "$@" ;;
  standalone-job)
    start standalonejob GET_JM_RESOURCE_PARAMS \
      dev.flinkref.testkit.image.StandaloneApplicationEntrypoint "$@" ;;
  taskmanager)
    start taskmanager GET_TM_RESOURCE_PARAMS \
      org.apache.flink.runtime.taskexecutor.TaskManagerRunner "$@" ;;
  *) exec "$command" "$@" ;;
esac
