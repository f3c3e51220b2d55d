package dev.flinkref.testkit.image;

import java.io.File;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.client.deployment.application.ApplicationClusterEntryPoint;
import org.apache.flink.client.program.DefaultPackagedProgramRetriever;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.entrypoint.ClusterEntrypoint;
import org.apache.flink.runtime.entrypoint.ClusterEntrypointUtils;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.resourcemanager.StandaloneResourceManagerFactory;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.runtime.util.JvmShutdownSafeguard;
import org.apache.flink.runtime.util.SignalHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JobManager in application mode running the one job jar in {@code usrlib/}: what the official
 * image's {@code standalone-job} command starts ({@code StandaloneApplicationClusterEntryPoint} of
 * flink-container, which Maven Central does not serve for 2.2.0). Same command line: {@code
 * --configDir DIR [--job-classname C] [--fromSavepoint P] [--allowNonRestoredState] [-D k=v]...
 * [program arguments]}; the first argument it does not know starts the program's arguments. With
 * {@code pipeline.jars} set (as the operator sets it from {@code jarURI}) it runs exactly that jar.
 */
public final class StandaloneApplicationEntrypoint extends ApplicationClusterEntryPoint {
    private static final Logger LOG =
            LoggerFactory.getLogger(StandaloneApplicationEntrypoint.class);

    private StandaloneApplicationEntrypoint(Configuration configuration, PackagedProgram program) {
        super(configuration, program, StandaloneResourceManagerFactory.getInstance());
    }

    public static void main(String[] args) {
        EnvironmentInformation.logEnvironmentInfo(LOG, "StandaloneApplicationEntrypoint", args);
        SignalHandler.register(LOG);
        JvmShutdownSafeguard.installAsShutdownHook(LOG);
        try {
            Arguments parsed = Arguments.parse(args);
            Configuration configuration =
                    GlobalConfiguration.loadConfiguration(parsed.configDir, parsed.dynamic);
            if (parsed.savepoint != null) {
                SavepointRestoreSettings.toConfiguration(
                        SavepointRestoreSettings.forPath(
                                parsed.savepoint, parsed.allowNonRestoredState),
                        configuration);
            }
            File usrlib =
                    ClusterEntrypointUtils.tryFindUserLibDirectory()
                            .orElseThrow(() -> new IllegalStateException("no usrlib/ directory"));
            PackagedProgram program =
                    DefaultPackagedProgramRetriever.create(
                                    usrlib,
                                    jobJar(configuration),
                                    parsed.jobClassName,
                                    parsed.programArgs.toArray(String[]::new),
                                    configuration)
                            .getPackagedProgram();
            configureExecution(configuration, program);
            ClusterEntrypoint.runClusterEntrypoint(
                    new StandaloneApplicationEntrypoint(configuration, program));
        } catch (Exception e) {
            LOG.error("Could not start the application cluster", e);
            System.exit(STARTUP_FAILURE_RETURN_CODE);
        }
    }

    /**
     * The job jar named by {@code pipeline.jars}, as the operator sets it from the
     * FlinkDeployment's {@code jarURI} in native mode ({@code local://} is a path inside the
     * image). A jar that is not there fails the start here, as it fails the operator's JobManager
     * pod; without the key, null: Flink then searches {@code usrlib/} as the official {@code
     * standalone-job} does.
     */
    private static File jobJar(Configuration configuration) {
        List<String> jars = configuration.get(PipelineOptions.JARS);
        if (jars == null || jars.isEmpty()) {
            return null;
        }
        if (jars.size() != 1) {
            throw new IllegalArgumentException(
                    "pipeline.jars must name exactly one job jar in application mode, not " + jars);
        }
        URI uri = URI.create(jars.get(0));
        if (!"local".equals(uri.getScheme())) {
            throw new IllegalArgumentException(
                    "pipeline.jars: only local:// (a path inside the image), not " + uri);
        }
        File jar = new File(uri.getPath());
        if (!jar.isFile()) {
            throw new IllegalArgumentException(
                    "the job jar " + jar + " (pipeline.jars " + uri + ") is not in the image");
        }
        return jar;
    }

    /** The command line of the official {@code standalone-job}. */
    private static final class Arguments {
        String configDir;
        String jobClassName;
        String savepoint;
        boolean allowNonRestoredState;
        final Configuration dynamic = new Configuration();
        final List<String> programArgs = new ArrayList<>();

        static Arguments parse(String[] args) {
            Arguments parsed = new Arguments();
            int i = 0;
            for (; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--configDir") || arg.equals("-c")) {
                    parsed.configDir = args[++i];
                } else if (arg.equals("--job-classname") || arg.equals("-j")) {
                    parsed.jobClassName = args[++i];
                } else if (arg.equals("--fromSavepoint") || arg.equals("-s")) {
                    parsed.savepoint = args[++i];
                } else if (arg.equals("--allowNonRestoredState") || arg.equals("-n")) {
                    parsed.allowNonRestoredState = true;
                } else if (arg.equals("-D")) {
                    parsed.setDynamic(args[++i]);
                } else if (arg.startsWith("-D") && arg.contains("=")) {
                    parsed.setDynamic(arg.substring(2));
                } else {
                    break;
                }
            }
            for (; i < args.length; i++) {
                parsed.programArgs.add(args[i]);
            }
            if (parsed.configDir == null) {
                throw new IllegalArgumentException("--configDir is required");
            }
            return parsed;
        }

        private void setDynamic(String keyValue) {
            int eq = keyValue.indexOf('=');
            dynamic.setString(keyValue.substring(0, eq), keyValue.substring(eq + 1));
        }
    }
}
