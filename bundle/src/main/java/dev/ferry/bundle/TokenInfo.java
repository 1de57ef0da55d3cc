package dev.ferry.bundle;

import java.time.Instant;

/** The registration token's public facts; the secret itself is the payload file at {@code path}. */
public record TokenInfo(String id, Instant notBefore, Instant notAfter, String path) {}
