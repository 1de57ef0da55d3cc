package dev.ferry.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version} for both programs, from the version Maven stamped into the build. */
public final class VersionProvider implements IVersionProvider {
    public static String version() {
        Properties props = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props.getProperty("version", "unknown");
    }

    public static String line(String program) {
        return program + " (Ferry) " + version();
    }

    @Override
    public String[] getVersion() {
        return new String[] {line("${ROOT-COMMAND-NAME}")};
    }
}
