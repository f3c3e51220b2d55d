# shellcheck shell=bash
# The jobs of this repository, found rather than listed: a job is a folder jobs/<name>/ whose
# pom.xml declares <job.main.class>. scripts/new-job and scripts/remove-job keep the three lists
# that Maven and kustomize cannot derive themselves (jobs/pom.xml <modules>, k8s/jobs/ and
# k8s/session-jobs/kustomization.yaml) in step with the folders; k8s/ checks that they are.

JOBS_ROOT=${JOBS_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

# job_names: every job, one per line, sorted.
job_names() {
  local pom
  for pom in "$JOBS_ROOT"/jobs/*/pom.xml; do
    [ -f "$pom" ] || continue
    grep -q '<job.main.class>' "$pom" && basename "$(dirname "$pom")"
  done | LC_ALL=C sort
}

# job_main_class <job>: the entry class its pom.xml declares.
job_main_class() {
  sed -n 's:.*<job.main.class>\(.*\)</job.main.class>.*:\1:p' "$JOBS_ROOT/jobs/$1/pom.xml"
}

# sync_job_lists: rewrites jobs/pom.xml's <modules>, and the resources of k8s/jobs/ and
# k8s/session-jobs/kustomization.yaml, from the folders.
sync_job_lists() {
  local pom="$JOBS_ROOT/jobs/pom.xml"
  local modules=""
  for dir in "$JOBS_ROOT"/jobs/*/; do
    [ -f "$dir/pom.xml" ] && modules+="    <module>$(basename "$dir")</module>"$'\n'
  done
  MODULES="$modules" awk '
    /<modules>/ { print; printf "%s", ENVIRON["MODULES"]; skip = 1; next }
    /<\/modules>/ { skip = 0 }
    !skip { print }
  ' "$pom" >"$pom.tmp" && mv "$pom.tmp" "$pom"
  sync_kustomization k8s/jobs FlinkDeployment
  sync_kustomization k8s/session-jobs FlinkSessionJob
}

# sync_kustomization <folder> <kind>: the folder's kustomization.yaml lists its files.
sync_kustomization() {
  local dir="$JOBS_ROOT/$1" manifest
  mkdir -p "$dir"
  {
    echo "# Every job's $2: one file per job in this folder. Written by scripts/new-job"
    echo "# and scripts/remove-job from the folder's files (kustomize has no globs); k8s/ checks it."
    echo "apiVersion: kustomize.config.k8s.io/v1beta1"
    echo "kind: Kustomization"
    echo "resources:"
    for manifest in "$dir"/*.yaml; do
      [ -f "$manifest" ] || continue
      [ "$(basename "$manifest")" = kustomization.yaml ] || echo "  - $(basename "$manifest")"
    done | LC_ALL=C sort
  } >"$dir/kustomization.yaml"
}
