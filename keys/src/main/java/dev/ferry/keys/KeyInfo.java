package dev.ferry.keys;

import java.nio.file.Path;

/**
 * What {@code bundler keys show} tells about a key file.
 *
 * @param algorithm {@code Ed25519}; null for an encrypted private key read without its passphrase (PKCS#8 hides
 *     the algorithm inside the encrypted part)
 * @param keyIdOrNull the SPEC section 2 key id; null for an encrypted private key read without its passphrase
 */
public record KeyInfo(Path file, String algorithm, boolean isPrivate, boolean encrypted, String keyIdOrNull) {}
