package dev.ferry.bundler.kit;

import dev.ferry.common.FerryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The kit's {@code sh} header (resource {@code kit.sh}) with the kit's facts filled in. The payload starts right
 * after it, at a byte offset the header itself records, so the script finds its payload with {@code tail -c +N}
 * and never treats binary data as lines.
 */
final class KitScript {
    private static final String TEMPLATE = load();

    private KitScript() {}

    static byte[] render(KitSubject subject, String bundleFile, KitPayload.Written payload) {
        String filled = TEMPLATE;
        for (Map.Entry<String, String> field : Map.of(
                        "@NAME@", shellSafe(subject.name()),
                        "@VERSION@", shellSafe(subject.version()),
                        "@BUNDLE_FILE@", shellSafe(bundleFile),
                        "@PAYLOAD_SHA256@", payload.sha256(),
                        "@PAYLOAD_SIZE@", Long.toString(payload.size()))
                .entrySet()) {
            filled = filled.replace(field.getKey(), field.getValue());
        }
        // The offset is the header's own length, which depends on how many digits the offset has: settle it.
        long offset = filled.length();
        while (true) {
            byte[] header =
                    filled.replace("@PAYLOAD_OFFSET@", Long.toString(offset)).getBytes(StandardCharsets.UTF_8);
            if (header.length == offset) {
                return header;
            }
            offset = header.length;
        }
    }

    /** Names go between single quotes in the script: refuse anything that could end them or run a command. */
    private static String shellSafe(String value) {
        if (!value.matches("[A-Za-z0-9._+-]+")) {
            throw FerryException.verification("'" + value + "' cannot name a kit: only letters, digits and . _ + -");
        }
        return value;
    }

    private static String load() {
        try (InputStream in = KitScript.class.getResourceAsStream("kit.sh")) {
            if (in == null) {
                throw new IllegalStateException("kit.sh template missing from the bundler jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
