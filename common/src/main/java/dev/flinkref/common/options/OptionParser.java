package dev.flinkref.common.options;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code --name value}, {@code --name=value} and flags against a fixed set of options.
 *
 * <p>Precedence: command line, then the option's environment variable, then its default. Every
 * problem becomes a one-line {@link UsageException}; {@code --help} becomes {@link HelpRequested}.
 */
public final class OptionParser {
    private final String program;
    private final String summary;
    private final Map<String, Option<?>> options = new LinkedHashMap<>();

    public OptionParser(String program, String summary, List<Option<?>> options) {
        this.program = program;
        this.summary = summary;
        for (Option<?> option : options) {
            if (this.options.put(option.name(), option) != null) {
                throw new IllegalStateException("option declared twice: --" + option.name());
            }
        }
    }

    public ParsedOptions parse(String[] args) {
        return parse(args, System.getenv());
    }

    ParsedOptions parse(String[] args, Map<String, String> environment) {
        Map<Option<?>, Object> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new HelpRequested(usage());
            }
            if (!arg.startsWith("--")) {
                throw new UsageException(
                        program + ": unexpected argument '" + arg + "' (see --help)");
            }
            String name = arg.substring(2);
            String inlineValue = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                inlineValue = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            Option<?> option = options.get(name);
            if (option == null) {
                throw new UsageException(program + ": unknown option --" + name + " (see --help)");
            }
            String raw;
            if (option.isFlag()) {
                raw = inlineValue == null ? "true" : inlineValue;
            } else if (inlineValue != null) {
                raw = inlineValue;
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                raw = args[++i];
            } else {
                throw new UsageException(program + ": option --" + name + " needs a value");
            }
            if (values.put(option, convert(option, raw, "--" + name)) != null) {
                throw new UsageException(program + ": option --" + name + " given twice");
            }
        }
        for (Option<?> option : options.values()) {
            if (values.containsKey(option)) {
                continue;
            }
            String fromEnv =
                    option.envVariable() == null ? null : environment.get(option.envVariable());
            if (fromEnv != null && !fromEnv.isBlank()) {
                values.put(option, convert(option, fromEnv, "$" + option.envVariable()));
            } else if (option.isRequired()) {
                throw new UsageException(
                        program
                                + ": missing required option --"
                                + option.name()
                                + (option.envVariable() == null
                                        ? ""
                                        : " (or environment variable "
                                                + option.envVariable()
                                                + ")"));
            } else if (option.defaultValue() != null) {
                values.put(option, option.defaultValue());
            }
        }
        return new ParsedOptions(values);
    }

    public String usage() {
        List<String> lines = new ArrayList<>();
        lines.add("Usage: " + program + " [options]");
        lines.add("");
        lines.add(summary);
        lines.add("");
        lines.add("Options:");
        for (Option<?> option : options.values()) {
            lines.add(option.usageLine());
        }
        lines.add("  --help");
        lines.add("      Print this help and exit.");
        return String.join(System.lineSeparator(), lines);
    }

    private Object convert(Option<?> option, String raw, String source) {
        try {
            return option.parse(raw);
        } catch (RuntimeException e) {
            throw new UsageException(
                    program
                            + ": invalid value '"
                            + raw
                            + "' for "
                            + source
                            + ": "
                            + e.getMessage());
        }
    }
}
