package dev.flinkref.bench;

import dev.flinkref.localcluster.FlinkRestClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * Samples a running job's source {@code numRecordsOut} and sink writer {@code numRecordsIn} (summed
 * over subtasks, from the REST API, every 0.1 s) to give its rate at steady state: over the middle
 * half of the time records flowed, so neither JVM and job start nor the end of input count.
 */
final class SteadyRateSampler implements AutoCloseable {
    private final List<long[]> samples = new ArrayList<>(); // millis, source out, sink in
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile String problem = "the job never showed up in the REST API";

    /** The source's and the sink's rate over the middle half of the flow, records/s. */
    record SteadyRates(double source, double sink) {}

    SteadyRateSampler(String restUrl) {
        FlinkRestClient rest = new FlinkRestClient(restUrl);
        thread = new Thread(() -> poll(rest), "steady-rate-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void poll(FlinkRestClient rest) {
        String sourcePath = null;
        String sinkPath = null;
        while (running.get()) {
            try {
                if (sourcePath == null) {
                    JsonNode jobs = rest.get("/jobs/overview").path("jobs");
                    if (jobs.size() > 0) {
                        String job = jobs.get(0).path("jid").asText();
                        JsonNode vertices = rest.get("/jobs/" + job).path("vertices");
                        String first = vertices.get(0).path("id").asText();
                        String last = vertices.get(vertices.size() - 1).path("id").asText();
                        String source = metric(rest, job, first, "Source", ".numRecordsOut");
                        String sink = metric(rest, job, last, "Writer", ".numRecordsIn");
                        if (source != null && sink != null) {
                            sourcePath = sumPath(job, first, source);
                            sinkPath = sumPath(job, last, sink);
                        } else {
                            problem =
                                    "no source numRecordsOut or sink writer numRecordsIn among "
                                            + rest.get(
                                                    "/jobs/"
                                                            + job
                                                            + "/vertices/"
                                                            + first
                                                            + "/subtasks/metrics");
                        }
                    }
                }
                if (sourcePath != null) {
                    long out = rest.get(sourcePath).path(0).path("sum").asLong();
                    long in = rest.get(sinkPath).path(0).path("sum").asLong();
                    synchronized (samples) {
                        samples.add(new long[] {System.currentTimeMillis(), out, in});
                    }
                }
            } catch (Exception e) {
                if (sourcePath == null) {
                    problem = e.toString(); // not up yet
                } // else: the job has ended
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The id of the operator metric named {@code *<part>*<suffix>} of a vertex, or null. */
    private static String metric(
            FlinkRestClient rest, String job, String vertex, String part, String suffix)
            throws Exception {
        for (JsonNode metric :
                rest.get("/jobs/" + job + "/vertices/" + vertex + "/subtasks/metrics")) {
            String id = metric.path("id").asText();
            if (id.contains(part) && id.endsWith(suffix)) {
                return id;
            }
        }
        return null;
    }

    private static String sumPath(String job, String vertex, String metric) {
        return "/jobs/"
                + job
                + "/vertices/"
                + vertex
                + "/subtasks/metrics?agg=sum&get="
                + URLEncoder.encode(metric, StandardCharsets.UTF_8);
    }

    /** Why there is no rate, when {@link #rates} is empty. */
    String problem() {
        return problem;
    }

    /** Empty when the counters were never read or records never flowed. */
    java.util.Optional<SteadyRates> rates() {
        List<long[]> points;
        synchronized (samples) {
            points = new ArrayList<>(samples);
        }
        return rates(points);
    }

    static java.util.Optional<SteadyRates> rates(List<long[]> points) {
        int first = -1;
        int last = -1;
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i)[1] != points.get(i - 1)[1]) {
                first = first < 0 ? i - 1 : first;
                last = i;
            }
        }
        if (first < 0) {
            return java.util.Optional.empty();
        }
        long start = points.get(first)[0];
        long span = points.get(last)[0] - start;
        long[] from = at(points, start + span / 4);
        long[] to = at(points, start + span * 3 / 4);
        double seconds = (to[0] - from[0]) / 1000.0;
        if (seconds <= 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(
                new SteadyRates((to[1] - from[1]) / seconds, (to[2] - from[2]) / seconds));
    }

    /** The first sample at or after {@code millis}. */
    private static long[] at(List<long[]> points, long millis) {
        for (long[] point : points) {
            if (point[0] >= millis) {
                return point;
            }
        }
        return points.get(points.size() - 1);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5000);
    }
}
