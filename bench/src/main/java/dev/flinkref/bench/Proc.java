package dev.flinkref.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux accounts to a process: CPU time of all its threads, peak resident memory. */
final class Proc {
    /** USER_HZ: the unit of utime and stime in /proc/PID/stat, 100 on every Linux ABI in use. */
    private static final double TICKS_PER_SECOND = 100.0;

    private Proc() {}

    /** User + system CPU seconds of {@code pid} so far, or the last value if it has exited. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may contain spaces: count fields after its ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(fields[11]);
            long stime = Long.parseLong(fields[12]);
            return (utime + stime) / TICKS_PER_SECOND;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /** Peak resident set size (VmHWM) in MiB, or NaN once the process is gone. */
    static double peakRssMib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            // gone
        }
        return Double.NaN;
    }
}
