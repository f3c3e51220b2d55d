package dev.flinkref.localcluster;

import java.nio.file.Path;

/** The JVM the stack's processes run on: the one running this code (JDK 17). */
public final class Java {
    private Java() {}

    public static String executable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
