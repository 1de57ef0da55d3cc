package dev.ferry.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code --verbose}, accepted by every command; {@link FerryCli} then prints stack traces of failures. */
public final class VerboseOption {
    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description = "Print details of failures (stack traces) on stderr.")
    boolean verbose;
}
