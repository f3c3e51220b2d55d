package dev.flinkref.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcTest {
    @Test
    void accountsTheCpuOfThisProcess() {
        long pid = ProcessHandle.current().pid();
        double before = Proc.cpuSeconds(pid);
        long end = System.nanoTime() + 300_000_000L;
        long spin = 0;
        while (System.nanoTime() < end) {
            spin++;
        }
        assertThat(spin).isPositive();
        assertThat(Proc.cpuSeconds(pid) - before).isGreaterThanOrEqualTo(0.2);
        assertThat(Proc.peakRssMib(pid)).isGreaterThan(1);
    }

    @Test
    void aProcessThatIsGoneHasNoFigures() {
        assertThat(Proc.cpuSeconds(Long.MAX_VALUE)).isNaN();
        assertThat(Proc.peakRssMib(Long.MAX_VALUE)).isNaN();
    }
}
