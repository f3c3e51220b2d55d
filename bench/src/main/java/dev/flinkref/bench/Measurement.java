package dev.flinkref.bench;

/**
 * One verified run: {@code records} input records drained in {@code seconds} (process start to the
 * last output record visible to a read_committed consumer), with the CPU seconds of the job's
 * process and of the broker's over the same interval.
 */
record Measurement(
        String label, long records, double seconds, double jobCpuSeconds, double brokerCpuSeconds) {
    double recordsPerSecond() {
        return records / seconds;
    }

    double recordsPerJobCpuSecond() {
        return records / jobCpuSeconds;
    }

    @Override
    public String toString() {
        return String.format(
                "%s: %,d records in %.1f s = %,.0f/s; job %.1f CPU-s (%,.0f records/CPU-s),"
                        + " broker %.1f CPU-s",
                label,
                records,
                seconds,
                recordsPerSecond(),
                jobCpuSeconds,
                recordsPerJobCpuSecond(),
                brokerCpuSeconds);
    }
}
