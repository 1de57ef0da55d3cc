package dev.ferry.installer.transaction;

import java.nio.file.Path;
import java.time.Instant;

/**
 * {@code register --token FILE}. A JWT carries its own window (nbf/exp); an opaque token has none, so the
 * technician must state it with {@code notBefore}/{@code notAfter} (the bundle's old window belongs to the old token).
 */
public record RegisterRequest(
        String name, Path tokenFile, Instant notBefore, Instant notAfter, SelfTestPolicy selfTests) {}
