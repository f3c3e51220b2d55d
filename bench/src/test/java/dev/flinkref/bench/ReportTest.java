package dev.flinkref.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    @Test
    void assemblesThePageAndTheChartFromSections(@TempDir Path docs) throws Exception {
        Path sections = docs.resolve("benchmarks");
        new Section("2-b", "Second")
                .line("text of %s", "two")
                .bar("Panel", "b", 50, "x")
                .write(sections);
        new Section("1-a", "First").line("text of one").bar("Panel", "a", 100, "x").write(sections);

        Report.write(docs, sections, BenchMain.Scale.SMOKE);

        String page = Files.readString(docs.resolve("benchmarks.md"));
        assertThat(page)
                .contains(
                        "## Machine and versions",
                        "| Flink | 2.2.0",
                        "![Main comparisons](benchmarks.svg)");
        assertThat(page.indexOf("## First")).isLessThan(page.indexOf("## Second"));
        assertThat(page).contains("text of one", "text of two");
        String svg = Files.readString(docs.resolve("benchmarks.svg"));
        // One panel, the larger value gets the full bar length.
        assertThat(svg).contains(">Panel<", "width=\"400\"", "width=\"200\"", "100 x", "50.00 x");
    }
}
