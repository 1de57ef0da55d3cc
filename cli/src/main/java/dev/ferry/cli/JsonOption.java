package dev.ferry.cli;

import picocli.CommandLine.Option;

/** {@code --json} for the commands whose one document needs no more words than this. */
public final class JsonOption {
    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    public boolean enabled() {
        return json;
    }
}
