package dev.ferry.bundle.dsse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * DSSE's Pre-Authentication Encoding, the exact bytes every envelope signature covers (SPEC section 10):
 * {@code "DSSEv1" SP LEN(type) SP type SP LEN(payload) SP payload}, lengths in ASCII decimal bytes. Signing the
 * type with the payload is what stops an envelope of one kind being replayed as another.
 */
public final class Pae {
    private Pae() {}

    public static byte[] encode(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(type.length + payload.length + 32);
        out.writeBytes(ascii("DSSEv1 " + type.length + " "));
        out.writeBytes(type);
        out.writeBytes(ascii(" " + payload.length + " "));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
