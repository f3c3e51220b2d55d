package dev.flinkref.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the operator (1.15, and the jarURI policy of 1.16) refuses in a FlinkSessionJob, checked
 * without a cluster: its session cluster (spec.deploymentName) must be a FlinkDeployment of the
 * same rendering without a job section; the jar must be fetchable by the operator (an https jarURI
 * on a public host: the operator, not the session cluster, downloads it); the job must start
 * running; its upgrade mode needs the snapshot directories of the configuration it runs with (the
 * cluster's, its own on top); and its own flinkConfiguration may hold only what applies to one job,
 * never a setting of the running cluster.
 */
final class SessionJobRules {
    /**
     * The schemes the operator fetches a session job's jar from by default ({@code
     * kubernetes.operator.user.artifacts.allowed-schemes}, an operator-wide setting a manifest
     * cannot change). Flink filesystems (s3, ...) work only where an operator admin extends it.
     */
    static final Set<String> FETCHABLE_SCHEMES = Set.of("https");

    /**
     * Key prefixes the session cluster reads at its start and a job cannot change: memory, slots,
     * HA, ports, reporters, filesystems, heartbeats, the Kubernetes integration. Set them on the
     * session cluster's FlinkDeployment.
     */
    private static final List<String> CLUSTER_PREFIXES =
            List.of(
                    "taskmanager.",
                    "jobmanager.",
                    "high-availability.",
                    "metrics.",
                    "rest.",
                    "blob.",
                    "heartbeat.",
                    "pekko.",
                    "s3.",
                    "fs.",
                    "env.",
                    "security.",
                    "slotmanager.",
                    "resourcemanager.",
                    "cluster.",
                    "web.",
                    "process.",
                    "io.tmp.dirs",
                    "kubernetes.");

    private SessionJobRules() {}

    static List<String> check(JsonNode sessionJob, List<JsonNode> documents, FlinkConfigKeys keys) {
        List<String> problems = new ArrayList<>();
        JsonNode spec = sessionJob.path("spec");
        JsonNode job = spec.path("job");

        String deploymentName = spec.path("deploymentName").asText("");
        JsonNode cluster = null;
        if (!ManifestChecker.NAME.matcher(deploymentName).matches()) {
            problems.add(
                    "spec.deploymentName: '"
                            + deploymentName
                            + "' is not a FlinkDeployment name (must match "
                            + ManifestChecker.NAME
                            + ")");
        } else {
            List<JsonNode> named =
                    documents.stream()
                            .filter(d -> "FlinkDeployment".equals(d.path("kind").asText()))
                            .filter(d -> deploymentName.equals(d.at("/metadata/name").asText()))
                            .toList();
            if (named.isEmpty()) {
                problems.add(
                        "spec.deploymentName: no FlinkDeployment '"
                                + deploymentName
                                + "' rendered with it (the operator waits for that session"
                                + " cluster)");
            } else if (!named.get(0).at("/spec/job").isMissingNode()) {
                problems.add(
                        "spec.deploymentName: '"
                                + deploymentName
                                + "' is an application cluster (it has a job section); the"
                                + " operator submits session jobs only to session clusters");
            } else {
                cluster = named.get(0);
            }
        }

        if (job.isMissingNode()) {
            problems.add("spec.job: missing (the operator refuses a session job without one)");
            return problems;
        }
        problems.addAll(jarUri(job.path("jarURI").asText("")));
        if (job.path("parallelism").asInt(0) < 1) {
            problems.add("spec.job.parallelism: must be at least 1");
        }
        // The CRD allows running and suspended; a new resource must start running (a suspended
        // job in the repository would never start), and there is no cancelled state: deleting
        // the FlinkSessionJob is how a job ends.
        String state = job.path("state").asText("running");
        if (!"running".equals(state)) {
            problems.add(
                    "spec.job.state: '"
                            + state
                            + "': a job must start running (delete the FlinkSessionJob to end it)");
        }

        JsonNode ownConfig = spec.path("flinkConfiguration");
        problems.addAll(ManifestChecker.configurationKeys(ownConfig, keys));
        Iterator<String> own = ownConfig.fieldNames();
        while (own.hasNext()) {
            String key = own.next();
            boolean operatorKey =
                    key.startsWith("kubernetes.operator.") || key.startsWith("job.autoscaler.");
            if (!operatorKey && CLUSTER_PREFIXES.stream().anyMatch(key::startsWith)) {
                problems.add(
                        "spec.flinkConfiguration."
                                + key
                                + ": a setting of the session cluster, which a job cannot change;"
                                + " set it on the FlinkDeployment '"
                                + deploymentName
                                + "'");
            }
        }
        if (cluster != null) {
            JsonNode clusterConfig = cluster.path("spec").path("flinkConfiguration");
            ObjectNode effective =
                    clusterConfig.isObject()
                            ? ((ObjectNode) clusterConfig).deepCopy()
                            : Yaml.MAPPER.createObjectNode();
            if (ownConfig.isObject()) {
                effective.setAll((ObjectNode) ownConfig);
            }
            problems.addAll(ManifestChecker.snapshotDirectories(job, effective));
        }
        return problems;
    }

    /** Problems of a jarURI the operator would have to fetch. */
    static List<String> jarUri(String jarUri) {
        List<String> problems = new ArrayList<>();
        URI uri;
        try {
            uri = new URI(jarUri);
        } catch (URISyntaxException e) {
            problems.add("spec.job.jarURI: '" + jarUri + "' is not a URI: " + e.getMessage());
            return problems;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ("local".equals(scheme)) {
            problems.add(
                    "spec.job.jarURI: local: names a file in the image of an application cluster;"
                            + " the operator fetches a session job's jar itself (use https)");
        } else if (!FETCHABLE_SCHEMES.contains(scheme)) {
            problems.add(
                    "spec.job.jarURI: scheme '"
                            + scheme
                            + "' is not one the operator fetches by default "
                            + FETCHABLE_SCHEMES
                            + " (kubernetes.operator.user.artifacts.allowed-schemes)");
        } else {
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            if (host.isEmpty()) {
                problems.add("spec.job.jarURI: no host");
            } else if (internalHost(host)) {
                problems.add(
                        "spec.job.jarURI: host '"
                                + host
                                + "' is internal (loopback, private, link-local or a cluster"
                                + " Service); the operator refuses to fetch from it by default");
            }
        }
        if (uri.getPath() == null || !uri.getPath().endsWith(".jar")) {
            problems.add(
                    "spec.job.jarURI: must end in .jar (the operator keeps the file name, and the"
                            + " JobManager accepts only .jar uploads)");
        }
        return problems;
    }

    /**
     * Hosts that resolve to internal addresses: in-cluster Service names, localhost, and literal
     * loopback, private, link-local or wildcard addresses. A name is not resolved here (offline).
     */
    private static boolean internalHost(String host) {
        if (host.equals("localhost")
                || host.endsWith(".localhost")
                || host.endsWith(".svc")
                || host.endsWith(".cluster.local")
                || host.endsWith(".internal")
                || !host.contains(".")) {
            return true;
        }
        if (host.matches("[0-9.]+") || host.startsWith("[")) {
            try {
                InetAddress address = InetAddress.getByName(host.replace("[", "").replace("]", ""));
                return address.isLoopbackAddress()
                        || address.isSiteLocalAddress()
                        || address.isLinkLocalAddress()
                        || address.isAnyLocalAddress()
                        || address.isMulticastAddress();
            } catch (UnknownHostException e) {
                return true;
            }
        }
        return false;
    }
}
