package dev.ferry.bundler.cli;

import dev.ferry.cli.FerryCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code bundler} in-process the way {@code main} does, with a given environment, and the stock
 * {@code openssl} as a process: the two sides the {@code keys} tests compare.
 */
final class KeysTestCli {
    record Run(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private KeysTestCli() {}

    static Run bundler(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PassphraseOptions.useEnvironment(env);
        try {
            int code = FerryCli.build(new BundlerMain(), new PrintWriter(out, true), new PrintWriter(err, true))
                    .execute(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            PassphraseOptions.useProcessEnvironment();
        }
    }

    static Run bundler(String... args) {
        return bundler(Map.of(), args);
    }

    static Run process(String... command) throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.waitFor(), output, "");
    }

    /** Runs and requires success; returns what it printed. */
    static String ok(String... command) throws IOException, InterruptedException {
        Run run = process(command);
        if (run.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + run.exitCode() + "): " + run.out());
        }
        return run.out();
    }

    /** The SPEC section 2 recipe for the key id of a public-key file. */
    static String opensslKeyId(Path publicPem) throws IOException, InterruptedException {
        return ok(
                        "sh",
                        "-c",
                        "openssl pkey -pubin -in '" + publicPem
                                + "' -outform DER | tail -c 32 | sha256sum | cut -c1-16")
                .strip();
    }
}
