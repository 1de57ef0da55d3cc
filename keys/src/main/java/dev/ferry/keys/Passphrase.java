package dev.ferry.keys;

import dev.ferry.common.BoundedInput;
import dev.ferry.common.FerryException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Where the private-key passphrase comes from (SPEC section 1): {@code --passphrase-file F} (its first line), else the
 * environment variable {@value #ENV_VAR}, else nothing, unless {@code --no-passphrase} says "no passphrase" on purpose.
 * Having no source is not an error by itself: an unencrypted key needs none. It becomes one where a passphrase is
 * needed ({@link #forNewKey()}, {@link #forDecrypting(Path)}). The characters are wiped by {@link #close()}; they
 * never appear in {@link #toString()} or in any message.
 */
public final class Passphrase implements AutoCloseable {
    public static final String ENV_VAR = "FERRY_KEY_PASSPHRASE";
    static final String NO_SOURCE =
            "no passphrase: give --passphrase-file F, set " + ENV_VAR + ", or --no-passphrase for an unencrypted key";
    /** A passphrase is one line; anything longer than this is not a passphrase file. */
    private static final int MAX_CHARS = 4096;

    private enum Kind {
        NONE,
        UNSET,
        GIVEN
    }

    private final Kind kind;
    private final char[] chars;
    private final String source;

    private Passphrase(Kind kind, char[] chars, String source) {
        this.kind = kind;
        this.chars = chars;
        this.source = source;
    }

    /** {@code --no-passphrase}: deliberately no passphrase; new keys are written unencrypted. */
    public static Passphrase none() {
        return new Passphrase(Kind.NONE, null, "--no-passphrase");
    }

    /** No source was given; fine for unencrypted keys, refused where a passphrase is needed. */
    public static Passphrase unset() {
        return new Passphrase(Kind.UNSET, null, "no passphrase source");
    }

    /**
     * @param chars taken over (not copied): {@link #close()} wipes them
     * @param source how a technician would name it in a message, e.g. {@code --passphrase-file /x/pass}
     */
    public static Passphrase of(char[] chars, String source) {
        if (chars.length == 0) {
            throw FerryException.usage(source + ": the passphrase is empty; an empty passphrase is refused");
        }
        return new Passphrase(Kind.GIVEN, chars, source);
    }

    /**
     * The command-line rules: an explicit flag beats the environment; both flags at once is a usage error.
     *
     * @param passphraseFileOrNull {@code --passphrase-file}
     * @param noPassphrase {@code --no-passphrase}
     * @param env the process environment (a plain map, so tests can give their own)
     */
    public static Passphrase resolve(Path passphraseFileOrNull, boolean noPassphrase, Map<String, String> env) {
        if (passphraseFileOrNull != null && noPassphrase) {
            throw FerryException.usage("give either --passphrase-file or --no-passphrase, not both");
        }
        if (noPassphrase) {
            return none();
        }
        if (passphraseFileOrNull != null) {
            return fromFile(passphraseFileOrNull);
        }
        String fromEnv = env.get(ENV_VAR);
        if (fromEnv != null) {
            return of(fromEnv.toCharArray(), ENV_VAR);
        }
        return unset();
    }

    /** The first line of the file, without its line ending. */
    public static Passphrase fromFile(Path file) {
        char[] line = new char[64];
        int length = 0;
        BoundedInput.requireRegularFile(file, "passphrase");
        try (Reader reader = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
            for (int c = reader.read(); c != -1 && c != '\n'; c = reader.read()) {
                if (length == MAX_CHARS) {
                    throw FerryException.usage(file + ": not a passphrase file (its first line is longer than "
                            + MAX_CHARS + " characters)");
                }
                if (length == line.length) {
                    char[] bigger = Arrays.copyOf(line, line.length * 2);
                    Arrays.fill(line, '\0');
                    line = bigger;
                }
                line[length++] = (char) c;
            }
            if (length > 0 && line[length - 1] == '\r') {
                length--;
            }
            if (length == 0) {
                throw FerryException.usage(
                        file + ": the passphrase (first line) is empty; an empty passphrase is refused");
            }
            return of(Arrays.copyOf(line, length), "--passphrase-file " + file);
        } catch (NoSuchFileException e) {
            throw FerryException.usage(file + ": no such passphrase file");
        } catch (IOException e) {
            throw FerryException.usage(file + ": cannot read the passphrase file: " + e.getMessage());
        } finally {
            Arrays.fill(line, '\0');
        }
    }

    public boolean isGiven() {
        return kind == Kind.GIVEN;
    }

    public boolean isNone() {
        return kind == Kind.NONE;
    }

    /** How to name the source in a message (never the passphrase itself). */
    public String source() {
        return source;
    }

    /**
     * The passphrase to encrypt a new key with: a copy the caller wipes, or null for {@code --no-passphrase}.
     *
     * @throws FerryException (usage) when no source was given
     */
    public char[] forNewKey() {
        return switch (kind) {
            case NONE -> null;
            case UNSET -> throw FerryException.usage(NO_SOURCE);
            case GIVEN -> chars.clone();
        };
    }

    /**
     * The passphrase to decrypt {@code keyFile} with: a copy the caller wipes.
     *
     * @throws FerryException (usage) naming the file when there is no passphrase to use
     */
    public char[] forDecrypting(Path keyFile) {
        return switch (kind) {
            case NONE ->
                throw FerryException.usage(keyFile + ": the private key is encrypted, but --no-passphrase"
                        + " was given: give --passphrase-file F or set " + ENV_VAR);
            case UNSET ->
                throw FerryException.usage(keyFile + ": the private key is encrypted and there is no"
                        + " passphrase: give --passphrase-file F or set " + ENV_VAR);
            case GIVEN -> chars.clone();
        };
    }

    @Override
    public void close() {
        if (chars != null) {
            Arrays.fill(chars, '\0');
        }
    }

    @Override
    public String toString() {
        return "Passphrase[" + source + "]";
    }
}
