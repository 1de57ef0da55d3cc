package dev.ferry.bundle;

import java.io.IOException;

/**
 * An I/O failure while reading the bundle itself (not while a {@link PayloadSink} writes), so that the verifier
 * can tell a truncated or corrupt bundle (VERIFICATION) from a full disk in the installer's staging folder.
 */
final class BundleReadException extends IOException {
    private static final long serialVersionUID = 1L;

    BundleReadException(IOException cause) {
        super(cause.getMessage(), cause);
    }
}
