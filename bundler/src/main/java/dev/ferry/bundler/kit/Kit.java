package dev.ferry.bundler.kit;

import java.nio.file.Path;

/**
 * A written kit.
 *
 * @param file {@code NAME-VERSION-linux-x64.kit.run}
 * @param checksumFile {@code file + ".sha256"}, in {@code sha256sum} format
 * @param sha256 of the whole kit file
 * @param payloadSha256 of the appended tar.gz, as recorded in the script header
 */
public record Kit(
        Path file, Path checksumFile, String name, String version, long size, String sha256, String payloadSha256) {}
