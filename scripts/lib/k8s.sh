# shellcheck shell=bash
# Shared by the operations scripts: the namespace, the jobs, and small kubectl helpers.

NAMESPACE=${FLINK_NAMESPACE:-flink-jobs}
# shellcheck disable=SC2034 # used by the scripts that source this file
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=lib/jobs.sh
. "$ROOT/scripts/lib/jobs.sh"
# Every job of the repository (jobs/<name>/ with a job.main.class): found, never listed.
mapfile -t JOBS < <(job_names)

die() {
  echo "$(basename "$0"): $*" >&2
  exit 2
}

need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is required but not installed"
}

require_job() {
  local job=${1:-}
  [ -n "$job" ] || die "missing <job> (one of: ${JOBS[*]})"
  for known in "${JOBS[@]}"; do
    [ "$job" = "$known" ] && return 0
  done
  die "unknown job '$job' (one of: ${JOBS[*]})"
}

k() {
  kubectl -n "$NAMESPACE" "$@"
}

# deployment_field <job> <jsonpath>: one field of the FlinkDeployment.
deployment_field() {
  k get flinkdeployment "$1" -o "jsonpath=$2"
}

# wait_running <job> [timeout-seconds]: until the operator reports the job RUNNING and STABLE.
wait_running() {
  local job=$1 timeout=${2:-600} waited=0 lifecycle state
  while [ "$waited" -lt "$timeout" ]; do
    lifecycle=$(deployment_field "$job" '{.status.lifecycleState}' 2>/dev/null || true)
    state=$(deployment_field "$job" '{.status.jobStatus.state}' 2>/dev/null || true)
    if [ "$lifecycle" = STABLE ] && [ "$state" = RUNNING ]; then
      echo "$job: RUNNING (lifecycle $lifecycle)"
      return 0
    fi
    if [ "$lifecycle" = FAILED ]; then
      echo "$job: lifecycle FAILED: $(deployment_field "$job" '{.status.error}')" >&2
      return 1
    fi
    sleep 5
    waited=$((waited + 5))
  done
  echo "$job: not RUNNING after ${timeout}s (lifecycle '$lifecycle', job '$state')" >&2
  return 1
}
