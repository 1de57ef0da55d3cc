package dev.ferry.installer.trust;

import dev.ferry.bundle.trust.SignedTrust;
import dev.ferry.bundle.trust.TrustChain;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import dev.ferry.common.files.AtomicWriter;
import dev.ferry.common.files.FileMode;
import dev.ferry.installer.transaction.CrashPoints;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The trust chain pinned on a host (SPEC section 10): {@code <root>/etc/ferry/trust/1.trust.json ... N.trust.json},
 * the envelopes byte for byte as they were carried in. Each version is its own file, written atomically, and a
 * version is only written once the chain accepted it: a crash leaves the host on version N or N+1, never on none and
 * never on a half-written file. Loading checks the whole chain again from version 1, so a file edited on disk is
 * refused rather than believed.
 */
public final class HostTrust {
    private static final Pattern NAME = Pattern.compile("([1-9][0-9]{0,17})\\.trust\\.json");

    private final Path dir;

    public HostTrust(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** The pinned chain, checked from version 1; empty when none is pinned (v1 rules hold). */
    public Optional<TrustChain> load() {
        TreeMap<Long, Path> files = files();
        if (files.isEmpty()) {
            return Optional.empty();
        }
        List<SignedTrust> versions = new ArrayList<>();
        long expected = 1;
        for (var entry : files.entrySet()) {
            if (entry.getKey() != expected) {
                throw FerryException.verification(dir + ": the pinned trust chain has no version " + expected
                        + " (found " + entry.getValue().getFileName() + "): restore it or pin again");
            }
            versions.add(SignedTrust.read(entry.getValue()));
            expected++;
        }
        return Optional.of(TrustChain.replay(versions));
    }

    public boolean isPinned() {
        return !files().isEmpty();
    }

    /** {@code installer trust init}: pins version 1. */
    public TrustChain pin(SignedTrust first) {
        Optional<TrustChain> existing = load();
        if (existing.isPresent()) {
            throw FerryException.usage(dir + ": a trust chain is already pinned (version "
                    + existing.get().version() + "); newer versions go through: installer trust update --file FILE");
        }
        TrustChain chain = TrustChain.pin(first);
        write(first);
        return chain;
    }

    /** {@code installer trust update}: applies each document in order, keeping each as soon as it is accepted. */
    public TrustChain update(List<SignedTrust> documents) {
        TrustChain chain = requirePinned();
        for (SignedTrust next : documents) {
            chain = chain.update(next);
            write(next);
        }
        return chain;
    }

    /**
     * A host with no chain starts from the one a packaged installer embeds ({@code bundler kit --trust-chain}): checked
     * from version 1 and written here. Empty when the host already pins a chain (its own wins) or none is embedded.
     */
    public Optional<TrustChain> adoptEmbedded(Path embeddedChainDir, boolean write) {
        if (embeddedChainDir == null || isPinned()) {
            return Optional.empty();
        }
        Optional<TrustChain> embedded = new HostTrust(embeddedChainDir).load();
        if (embedded.isPresent() && write) {
            embedded.get().versions().forEach(this::write);
        }
        return embedded;
    }

    /** Keeps the versions of {@code grown} that are not on disk yet (a bundle's carried documents, once accepted). */
    public void keep(TrustChain grown) {
        long onDisk = files().isEmpty() ? 0 : files().lastKey();
        for (SignedTrust version : grown.newerThan(onDisk)) {
            write(version);
        }
    }

    public TrustChain requirePinned() {
        return load().orElseThrow(() -> FerryException.usage("no trust chain is pinned on this host (" + dir
                + "): pin version 1 first: installer trust init --file 1.trust.json"));
    }

    private void write(SignedTrust version) {
        Path target = dir.resolve(version.version() + ".trust.json");
        CrashPoints.reached(CrashPoints.TRUST_BEFORE_WRITE);
        try {
            AtomicWriter.write(target, version.bytes(), FileMode.READABLE);
        } catch (IOException e) {
            throw new FerryException(ExitCode.INTERNAL, target + ": cannot write: " + e.getMessage(), e);
        }
        CrashPoints.reached(CrashPoints.TRUST_AFTER_WRITE);
    }

    private TreeMap<Long, Path> files() {
        TreeMap<Long, Path> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                Matcher m = NAME.matcher(entry.getFileName().toString());
                if (m.matches() && Files.isRegularFile(entry)) {
                    files.put(Long.parseLong(m.group(1)), entry);
                }
            }
        } catch (IOException e) {
            throw FerryException.usage(dir + ": cannot read the trust chain: " + e.getMessage());
        }
        return files;
    }
}
