# One image per job: docker build --build-arg JOB=wordcount -t <registry>/flink-wordcount:<tag> .
# (scripts/build-images builds and pushes all of them, after ./mvnw package).
#
# The official Flink image, pinned: the jobs are compiled against Flink 2.2.0 (provided scope),
# so the cluster's Flink must be exactly that. Java 17: the S3 plugin's Hadoop breaks on newer JDKs.
FROM flink:2.2.0-scala_2.12-java17

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

# The image's non-root user (uid 9999); the pod's securityContext enforces non-root as well.
USER flink
