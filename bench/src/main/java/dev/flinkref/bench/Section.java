package dev.flinkref.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One measurement's part of docs/benchmarks.md: Markdown text and the bars it adds to the chart.
 * Kept as files under docs/benchmarks/ so suites can be run (and re-run) one at a time and the page
 * is assembled from all of them.
 */
final class Section {
    /** A chart bar: panel (one comparison), label, value, and the unit of the panel. */
    record Bar(String panel, String label, double value, String unit) {}

    final String id;
    private final StringBuilder text = new StringBuilder();
    private final List<Bar> bars = new ArrayList<>();

    Section(String id, String title) {
        this.id = id;
        text.append("## ").append(title).append("\n\n");
        text.append("_Measured ")
                .append(
                        java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)
                                .truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
                                .toLocalDateTime())
                .append(" UTC._\n\n");
    }

    Section line(String format, Object... args) {
        text.append(args.length == 0 ? format : String.format(format, args)).append('\n');
        return this;
    }

    Section bar(String panel, String label, double value, String unit) {
        bars.add(new Bar(panel, label, value, unit));
        return this;
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(id + ".md"), text.toString());
        List<String> rows = new ArrayList<>();
        for (Bar bar : bars) {
            rows.add(bar.panel() + "\t" + bar.label() + "\t" + bar.value() + "\t" + bar.unit());
        }
        Files.write(dir.resolve(id + ".tsv"), rows);
        BenchEnvironment.progress("wrote %s", dir.resolve(id + ".md"));
    }
}
