package dev.ferry.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs the stock {@code openssl} (or a shell pipeline around it) and captures what it prints. */
final class Openssl {
    record Result(int exitCode, String output) {}

    private Openssl() {}

    static Result run(String... command) throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), output);
    }

    /** Runs and requires success; returns the output. */
    static String ok(String... command) throws IOException, InterruptedException {
        Result result = run(command);
        if (result.exitCode() != 0) {
            throw new AssertionError(
                    String.join(" ", command) + " failed (" + result.exitCode() + "): " + result.output());
        }
        return result.output();
    }

    /** The SPEC section 2 recipe for the key id of a public-key file. */
    static String keyIdOf(Path publicPem) throws IOException, InterruptedException {
        return ok(
                        "sh",
                        "-c",
                        "openssl pkey -pubin -in '" + publicPem
                                + "' -outform DER | tail -c 32 | sha256sum | cut -c1-16")
                .strip();
    }
}
