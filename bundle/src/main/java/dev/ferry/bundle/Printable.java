package dev.ferry.bundle;

import dev.ferry.common.Sanitizer;

/**
 * Names from a bundle are untrusted: before they go into a one-line message they lose control characters and
 * excessive length, so a hostile entry name cannot forge or flood the technician's terminal. The bundle package's
 * short name for the one sanitiser, {@link Sanitizer}.
 */
final class Printable {
    private Printable() {}

    static String quote(String text) {
        return Sanitizer.quote(text);
    }
}
