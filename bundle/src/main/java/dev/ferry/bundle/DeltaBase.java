package dev.ferry.bundle;

/**
 * The {@code base} of a delta bundle (SPEC section 11): the release it was built against, named by the base bundle's
 * agent name, version and sequence and the SHA-256 of its exact signed {@code manifest.json} bytes. A host can apply
 * the delta only over a release whose kept manifest has exactly that hash.
 */
public record DeltaBase(String name, String version, long sequence, String manifestSha256) {}
