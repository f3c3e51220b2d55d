package dev.flinkref.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/** Assembles docs/benchmarks.md and its chart from the sections under docs/benchmarks/. */
final class Report {
    private Report() {}

    static void write(Path out, Path sections, BenchMain.Scale scale) throws IOException {
        if (!Files.isDirectory(sections)) {
            return;
        }
        List<Path> parts;
        try (Stream<Path> files = Files.list(sections)) {
            parts = files.filter(f -> f.toString().endsWith(".md")).sorted().toList();
        }
        List<Section.Bar> bars = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (Path part : parts) {
            body.append(Files.readString(part)).append('\n');
            Path tsv = Path.of(part.toString().replace(".md", ".tsv"));
            if (Files.exists(tsv)) {
                for (String row : Files.readAllLines(tsv)) {
                    String[] f = row.split("\t");
                    if (f.length == 4) {
                        bars.add(new Section.Bar(f[0], f[1], Double.parseDouble(f[2]), f[3]));
                    }
                }
            }
        }
        Files.writeString(out.resolve("benchmarks.svg"), svg(bars));
        String page =
                "# Benchmarks\n\n"
                        + "<!-- Written by scripts/bench (bench/src/main/java/dev/flinkref/bench/Report.java)"
                        + " from docs/benchmarks/*.md: edit those by re-running, not by hand. -->\n\n"
                        + "Figures measured by `scripts/bench` on one machine, in one session, with"
                        + " every process (Kafka broker, jobs, peers, perf tools) on it at once."
                        + " They compare alternatives on the same machine; absolute numbers"
                        + " depend on it.\n\n"
                        + machine()
                        + "\n"
                        + method()
                        + "\n![Main comparisons](benchmarks.svg)\n\n"
                        + body;
        Files.writeString(out.resolve("benchmarks.md"), page);
        BenchEnvironment.progress(
                "wrote %s (%d sections)", out.resolve("benchmarks.md"), parts.size());
    }

    private static String machine() throws IOException {
        Properties versions = new Properties();
        try (InputStream in = Report.class.getResourceAsStream("/bench-versions.properties")) {
            versions.load(in);
        }
        String cpu = "unknown";
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                cpu = line.substring(line.indexOf(':') + 1).trim();
                break;
            }
        }
        long memKb = 0;
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                memKb = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return String.join(
                "\n",
                "## Machine and versions",
                "",
                "| | |",
                "|---|---|",
                "| CPU | " + Runtime.getRuntime().availableProcessors() + " cores, " + cpu + " |",
                "| Memory | " + String.format("%.0f GiB", memKb / 1024.0 / 1024.0) + " |",
                "| OS | "
                        + System.getProperty("os.name")
                        + " "
                        + System.getProperty("os.version")
                        + " |",
                "| Java | "
                        + System.getProperty("java.vm.name")
                        + " "
                        + System.getProperty("java.runtime.version")
                        + " (every JVM: `"
                        + Child.HEAP
                        + "`) |",
                "| Flink | "
                        + versions.getProperty("flink")
                        + ", Kafka connector "
                        + versions.getProperty("flink.connector.kafka")
                        + ", RocksDB state backend, incremental checkpoints |",
                "| Kafka | broker "
                        + versions.getProperty("kafka.broker")
                        + " (KRaft, one node, its own JVM), clients / Kafka Streams / perf tools "
                        + versions.getProperty("kafka.clients")
                        + " |",
                "");
    }

    private static String method() {
        return String.join(
                "\n",
                "## How it measures",
                "",
                "- Input is pre-loaded into the broker before a run, so no producer competes with"
                        + " the job; the job then drains it in `--bounded` mode (the Kafka Streams"
                        + " peer runs until its output is complete).",
                "- Each job runs as its own JVM, as in the official image: the Flink"
                        + " distribution's `lib/` plus the job's shaded jar, the job's real `main`,"
                        + " here in an embedded MiniCluster (2 slots, parallelism 2; checkpoints on the"
                        + " local disk; managed memory, of which RocksDB is made, is the"
                        + " MiniCluster's local default of 128 MiB, except in section 5, which gives"
                        + " it what a prod TaskManager pod has). Recovery and memory use the"
                        + " multi-process local cluster (`docs/local-cluster.md`).",
                "- A run's time is from process start to the moment the last expected output record"
                        + " is visible to a `read_committed` consumer (JVM and MiniCluster start"
                        + " included). CPU is user+system time from `/proc/PID/stat`, of the job's"
                        + " process and, separately, of the broker's. Start-up is a fixed cost of"
                        + " about 7 s per run for the Flink jobs and the Kafka Streams peer alike"
                        + " (the smoke run: 20,000 lines in 7-11 s), so short runs (the pass-through"
                        + " copy: about 10 s) understate steady-state rates most.",
                "- Every run's output is read back and checked exactly (every count, every alert,"
                        + " every copied record) before its figure counts; a run that fails the check"
                        + " fails the benchmark.",
                "- Repeated runs alternate their order (A B, B A, ...); tables give the median and"
                        + " ± half the spread (max − min) of the repeats.",
                "",
                "Reproduce (each suite rewrites its sections, then this page is reassembled):",
                "",
                "```bash",
                "scripts/bench all            # every suite below, about 25 minutes on 2 cores",
                "scripts/bench wordcount      # 1, 2 and 3 (throughput)",
                "scripts/bench latency        # 3 (latency)",
                "scripts/bench statemachine   # 4",
                "scripts/bench checkpoints    # 5",
                "scripts/bench recovery       # 6",
                "scripts/bench memory         # 7",
                "scripts/bench --smoke all    # tiny inputs, to check the harness (writes to .local/bench-smoke)",
                "```",
                "");
    }

    /** Horizontal bars, one panel per comparison, each scaled to its own largest value. */
    static String svg(List<Section.Bar> bars) {
        Map<String, List<Section.Bar>> panels = new LinkedHashMap<>();
        bars.forEach(bar -> panels.computeIfAbsent(bar.panel(), k -> new ArrayList<>()).add(bar));
        int width = 820;
        int labelWidth = 300;
        int barArea = 400;
        int row = 24;
        StringBuilder svg = new StringBuilder();
        int y = 10;
        for (Map.Entry<String, List<Section.Bar>> panel : panels.entrySet()) {
            svg.append(text(10, y + 16, panel.getKey(), "bold"));
            y += 26;
            double max = panel.getValue().stream().mapToDouble(Section.Bar::value).max().orElse(1);
            int index = 0;
            for (Section.Bar bar : panel.getValue()) {
                int length = (int) Math.max(1, bar.value() / max * barArea);
                String colour = index++ % 2 == 0 ? "#4e79a7" : "#f28e2b";
                svg.append(text(10, y + 15, bar.label(), "normal"));
                svg.append(
                        String.format(
                                Locale.ROOT,
                                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"18\" fill=\"%s\"/>%n",
                                labelWidth,
                                y + 2,
                                length,
                                colour));
                svg.append(
                        text(
                                labelWidth + length + 6,
                                y + 15,
                                format(bar.value()) + " " + bar.unit(),
                                "normal"));
                y += row;
            }
            y += 14;
        }
        return String.format(
                        Locale.ROOT,
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                                + " font-family=\"sans-serif\" font-size=\"13\">%n"
                                + "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
                        width,
                        y)
                + svg
                + "</svg>\n";
    }

    private static String format(double value) {
        return value >= 100
                ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String text(int x, int y, String content, String weight) {
        String escaped = content.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" font-weight=\"%s\">%s</text>%n",
                x,
                y,
                weight,
                escaped);
    }
}
