package dev.ferry.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * The one way a small input file given by the user (a key, a token, a trust file, a profile, a passphrase file) is
 * read: checked to be a regular file before it is opened, so {@code /dev/zero} or a FIFO is refused at once instead
 * of filling memory or blocking forever, and read with a cap, so a huge file is refused after reading only the cap.
 * Every failure is one line naming the file, exit 2 (USAGE).
 */
public final class BoundedInput {
    /** Keys, tokens, trust documents, passphrase files: far below this. */
    public static final int SMALL = 1 << 20;
    /** What {@link #problem} says of a missing file. */
    public static final String NO_SUCH_FILE = "no such file";

    private BoundedInput() {}

    /** @throws FerryException USAGE when {@code file} is missing or not a regular file (a device, FIFO or folder) */
    public static void requireRegularFile(Path file, String what) {
        String problem = problem(file, Long.MAX_VALUE);
        if (problem != null) {
            throw FerryException.usage(shown(file) + ": "
                    + (problem.equals(NO_SUCH_FILE)
                            ? "no such " + what + " file"
                            : problem + ": give the " + what + " file itself"));
        }
    }

    /**
     * What stat says is wrong with {@code file} as an input of at most {@code max} bytes (one stat, nothing opened),
     * for callers with their own message format (a profile names the line that named the file); null when fine.
     */
    public static String problem(Path file, long max) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return NO_SUCH_FILE;
        } catch (IOException e) {
            return "cannot read it: " + e.getMessage();
        }
        if (!attributes.isRegularFile()) {
            return "not a regular file (" + (attributes.isDirectory() ? "a folder" : "a device, FIFO or socket") + ")";
        }
        if (attributes.size() > max) {
            return "larger than " + max + " bytes";
        }
        return null;
    }

    /**
     * The whole of {@code file}, at most {@code max} bytes.
     *
     * @throws FerryException USAGE when it is not a regular file, cannot be read or holds more than {@code max} bytes
     */
    public static byte[] read(Path file, int max, String what) {
        requireRegularFile(file, what);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                Arrays.fill(bytes, (byte) 0);
                throw FerryException.usage(shown(file) + ": larger than " + max + " bytes: not a " + what + " file");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw FerryException.usage(shown(file) + ": no such " + what + " file");
        } catch (IOException e) {
            throw FerryException.usage(shown(file) + ": cannot read the " + what + " file: " + e.getMessage());
        }
    }

    private static String shown(Path file) {
        return Sanitizer.printable(file.toString(), 400);
    }
}
