package dev.flinkref.testkit.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobModuleTest {
    @TempDir Path repo;

    @Test
    void aJobIsAFolderUnderJobsWhosePomDeclaresAMainClass() throws Exception {
        module("orders", "<job.main.class>dev.flinkref.orders.OrdersJob</job.main.class>");
        module("fraud-alerts", "<job.main.class> a.b.FraudAlertsJob </job.main.class>");
        module("shared-lib", "<artifactId>shared-lib</artifactId>");
        Files.createDirectories(repo.resolve("jobs/empty"));

        assertThat(JobModule.discover(repo))
                .containsExactly(
                        new JobModule(
                                "fraud-alerts",
                                repo.resolve("jobs/fraud-alerts"),
                                "a.b.FraudAlertsJob"),
                        new JobModule(
                                "orders",
                                repo.resolve("jobs/orders"),
                                "dev.flinkref.orders.OrdersJob"));
        JobModule orders = JobModule.named(repo, "orders");
        assertThat(orders.shadedJar()).isEqualTo(repo.resolve("jobs/orders/target/orders.jar"));
        assertThat(orders.defaultTopics())
                .containsExactly("orders-input", "orders-output", "orders-dlq");
    }

    @Test
    void anUnknownNameIsRefusedWithTheJobsThereAre() throws Exception {
        module("orders", "<job.main.class>x.OrdersJob</job.main.class>");

        assertThatThrownBy(() -> JobModule.named(repo, "wordcount"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown job 'wordcount' (jobs here: orders)");
    }

    private void module(String name, String content) throws Exception {
        Path dir = Files.createDirectories(repo.resolve("jobs").resolve(name));
        Files.writeString(dir.resolve("pom.xml"), "<project>" + content + "</project>");
    }
}
