package dev.ferry.bundler.kit;

import dev.ferry.keys.TrustedKeys;
import java.nio.file.Path;
import java.time.Instant;

/** What a kit is named after and stamped with: the verified bundle's name, version and creation time. */
public record KitSubject(String name, String version, Instant createdAt) {
    /** Checks a bundle against the keys the kit will embed; throws {@code FerryException} when it does not verify. */
    @FunctionalInterface
    public interface Check {
        KitSubject verify(Path bundle, TrustedKeys keys);
    }
}
