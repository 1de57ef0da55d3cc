package dev.ferry.bundle.trust;

import java.security.PublicKey;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** One role of a trust document (root or release): the keys allowed to sign for it and how many must. */
public record Role(int threshold, Map<String, PublicKey> keys) {
    public Role {
        keys = Collections.unmodifiableMap(new TreeMap<>(keys));
    }
}
