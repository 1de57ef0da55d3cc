package dev.ferry.profiles;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.ferry.common.FerryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Profile files on an in-memory file system whose working folder is /work. */
final class ProfileFiles implements AutoCloseable {
    /** The smallest valid profile body, one field per line so that tests can count lines. */
    static final String MINIMAL = """
            name: demo
            agent:
              name: bot
              version: 1.0.0
              runtime: runtime
              exec: [/usr/bin/run]
            service:
              name: bot
            platform:
              endpoint: https://api.example.com
            """;

    final FileSystem fs = Jimfs.newFileSystem(
            Configuration.unix().toBuilder().setWorkingDirectory("/work").build());

    ProfileFiles() {
        folder("runtime");
    }

    Path write(String name, String yaml) {
        try {
            Path file = fs.getPath(name);
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            return Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path folder(String name) {
        try {
            return Files.createDirectories(fs.getPath(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Profile load(String name) {
        return new ProfileLoader().resolve(fs.getPath(name));
    }

    /** Asserts that loading fails with exit 2 and exactly {@code message}. */
    void assertError(String name, String message) {
        assertFails(() -> load(name), message);
    }

    static void assertFails(ThrowingCallable load, String message) {
        assertThatThrownBy(load)
                .isInstanceOf(FerryException.class)
                .hasMessage(message)
                .satisfies(e -> Assertions.assertThat(
                                ((FerryException) e).exitCode().code())
                        .isEqualTo(2));
    }

    @Override
    public void close() throws IOException {
        fs.close();
    }
}
