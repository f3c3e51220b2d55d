package dev.flinkref.localcluster;

import dev.flinkref.testkit.kafka.FreePorts;

/** The loopback ports of one stack; chosen free at start and kept in its state file. */
record StackPorts(int kafka, int s3, int jobManagerRpc, int rest, int blob, int metricsFirst) {
    /** One Prometheus reporter port per Flink process: the JobManager and the TaskManagers. */
    static final int METRICS_PORTS = 8;

    static StackPorts pick() {
        return new StackPorts(
                FreePorts.next(),
                FreePorts.next(),
                FreePorts.next(),
                FreePorts.next(),
                FreePorts.next(),
                FreePorts.range(METRICS_PORTS));
    }

    /** The same Kafka and S3 ports, newly picked ones for the Flink processes. */
    StackPorts withNewFlinkPorts() {
        StackPorts fresh = pick();
        return new StackPorts(
                kafka, s3, fresh.jobManagerRpc, fresh.rest, fresh.blob, fresh.metricsFirst);
    }
}
