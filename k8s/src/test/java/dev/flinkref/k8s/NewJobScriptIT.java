package dev.flinkref.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code scripts/new-job} refuses, before it writes anything, a name that is taken or that is not a
 * valid Kubernetes, Maven and Java name: one line, exit code 2. (A good name: {@link ForkIT}.)
 */
class NewJobScriptIT {
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Orders | 'Orders' is not a valid job name",
                "9lives | '9lives' is not a valid job name",
                "sales- | 'sales-' is not a valid job name",
                "order_lines | 'order_lines' is not a valid job name",
                "common | 'common' is already a module of this build (common/pom.xml)",
                "class | 'class' makes the Java package dev.flinkref.class",
                "this-name-is-far-too-long-for-a-flink-cluster-id | longer than 45 characters",
                "--bounded | unknown option --bounded"
            })
    void refusesWithOneLineAndExitCode2(String name, String message) throws Exception {
        Commands.Result result =
                Commands.run(RepoPaths.root(), List.of("scripts/new-job", name.trim()));

        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.output().strip().lines()).singleElement().asString().contains(message);
    }

    static List<String> jobs() {
        return Job.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void refusesAJobThatExists(String existing) throws Exception {
        Commands.Result result =
                Commands.run(RepoPaths.root(), List.of("scripts/new-job", existing));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output().strip())
                .isEqualTo("new-job: jobs/" + existing + " already exists");
    }
}
