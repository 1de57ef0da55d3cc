package dev.ferry.profiles;

import java.nio.file.Path;

/**
 * Where a value of a profile was written: the file as the user (or an {@code extends}) named it, and the 1-based
 * line. Merging keeps each value's origin, so an error about an inherited value points into the parent file.
 */
record Origin(Path file, int line) {
    @Override
    public String toString() {
        return file + ":" + line;
    }
}
