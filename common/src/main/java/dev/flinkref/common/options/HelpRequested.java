package dev.flinkref.common.options;

/** {@code --help} was given; carries the usage text to print. Not an error. */
public final class HelpRequested extends RuntimeException {
    public HelpRequested(String usage) {
        super(usage, null, false, false);
    }

    public String usage() {
        return getMessage();
    }
}
