# One image per job: docker build --build-arg JOB=wordcount -t <registry>/flink-wordcount:<tag> .
# (scripts/build-images builds and pushes all of them, after ./mvnw package).
#
# The official Flink image, pinned: the jobs are compiled against Flink 2.2.0 (provided scope),
# so the cluster's Flink must be exactly that. Java 17: the S3 plugin's Hadoop breaks on newer JDKs.
# BASE_IMAGE exists only for machines that cannot pull it (the container tests build a stand-in
# with the same layout, testkit/flink-image); deployments keep the default.
ARG BASE_IMAGE=flink:2.2.0-scala_2.12-java17
FROM ${BASE_IMAGE}

ARG JOB

# Filesystem plugins load from plugins/<name>/ in their own classloader; in lib/ the plugin's
# Hadoop and AWS SDK would clash with the job's classpath. The image ships the jar in opt/.
# The Prometheus reporter already ships as a plugin (plugins/metrics-prometheus/): fail the build
# if a future base image stops doing so, rather than deploying a job without metrics.
RUN set -eux; \
    mkdir -p /opt/flink/plugins/s3-fs-hadoop; \
    cp /opt/flink/opt/flink-s3-fs-hadoop-*.jar /opt/flink/plugins/s3-fs-hadoop/; \
    ls /opt/flink/plugins/metrics-prometheus/flink-metrics-prometheus-*.jar; \
    chown -R flink:flink /opt/flink/plugins/s3-fs-hadoop

# Exactly one job jar in usrlib/: in application mode Flink puts every jar there on the user
# classpath, and the FlinkDeployment's jarURI (local:///opt/flink/usrlib/<job>.jar) points at it.
# The shaded jar carries the Kafka connector and clients; Flink itself comes from the image.
COPY --chown=flink:flink jobs/${JOB}/target/${JOB}.jar /opt/flink/usrlib/${JOB}.jar

# OCI labels: which commit and which tag an image (and so a deployment) runs. Last, so that a new
# tag of the same jar reuses every layer above.
ARG REVISION=unknown
ARG VERSION=unknown
LABEL org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.title="flink-${JOB}"

# The image's non-root user (uid 9999); the pod's securityContext enforces non-root as well.
USER flink
