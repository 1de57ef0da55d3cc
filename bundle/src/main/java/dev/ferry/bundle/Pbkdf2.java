package dev.ferry.bundle;

import java.security.MessageDigest;

/**
 * PBKDF2-HMAC-SHA256 (RFC 8018) for one 32-byte block, the only size {@link SecretDigest} uses. The JDK has it
 * ({@code SecretKeyFactory "PBKDF2WithHmacSHA256"}), but its HMAC hashes the key's two pads again at every one of the
 * 600,000 iterations: four SHA-256 compressions each where two suffice. Here the digest states after each pad are
 * computed once and copied, which halves the work and, in a short-lived command where most of it runs before the
 * JIT has compiled it, took the CPU of verifying two secrets from 1.3 s to 0.55 s on this machine. Tested equal to
 * the JDK's and to {@code openssl kdf ... PBKDF2} (SecretDigestTest).
 */
final class Pbkdf2 {
    private static final int BLOCK = 64;
    private static final int LENGTH = 32;
    /** Iterations per call of {@link #iterate}. */
    static final int STRIDE = 4096;

    private Pbkdf2() {}

    /** {@code password} at most 64 bytes (a hex SHA-256 is exactly 64): longer keys would be hashed first. */
    static byte[] hmacSha256(byte[] password, byte[] salt, int iterations) {
        if (password.length > BLOCK) {
            throw new IllegalArgumentException("password longer than one SHA-256 block");
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive: " + iterations);
        }
        byte[] innerPad = new byte[BLOCK];
        byte[] outerPad = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < password.length ? password[i] : 0;
            innerPad[i] = (byte) (k ^ 0x36);
            outerPad[i] = (byte) (k ^ 0x5c);
        }
        MessageDigest inner = Sha256.digest();
        MessageDigest outer = Sha256.digest();
        inner.update(innerPad);
        outer.update(outerPad);
        // U1 = HMAC(password, salt || INT(1)); Ui = HMAC(password, Ui-1); the result is U1 ^ U2 ^ ... ^ Uc.
        byte[] u = mac(inner, outer, salt, new byte[] {0, 0, 0, 1});
        byte[] result = u.clone();
        for (int done = 1; done < iterations; done += STRIDE) {
            u = iterate(inner, outer, u, result, Math.min(STRIDE, iterations - done));
        }
        return result;
    }

    /**
     * {@code count} further iterations, XORed into {@code result}; returns the last U. The iterations run in strides
     * of their own method on purpose: as one long loop, the JIT compiled that loop in place (on-stack replacement)
     * and threw the compiled code away at its first exit, which a warm-up run always reaches, so the real run
     * compiled it again (0.3 s of a compiler thread, measured with -XX:+LogCompilation). A loop that exits at every
     * stride is compiled once, with its exit in the profile, and the warm-up's code serves the real run.
     */
    private static byte[] iterate(MessageDigest inner, MessageDigest outer, byte[] u, byte[] result, int count) {
        byte[] last = u;
        for (int i = 0; i < count; i++) {
            last = mac(inner, outer, last, null);
            for (int j = 0; j < LENGTH; j++) {
                result[j] ^= last[j];
            }
        }
        return last;
    }

    private static byte[] mac(MessageDigest inner, MessageDigest outer, byte[] message, byte[] more) {
        MessageDigest in = copy(inner);
        in.update(message);
        if (more != null) {
            in.update(more);
        }
        MessageDigest out = copy(outer);
        out.update(in.digest());
        return out.digest();
    }

    private static MessageDigest copy(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }
}
