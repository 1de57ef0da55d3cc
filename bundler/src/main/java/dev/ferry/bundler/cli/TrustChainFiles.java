package dev.ferry.bundler.cli;

import dev.ferry.bundle.CarriedTrust;
import dev.ferry.bundle.trust.SignedTrust;
import dev.ferry.bundle.trust.TrustChain;
import dev.ferry.common.FerryException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --trust-chain FILE...} of {@code create} and {@code kit}: consecutive versions, oldest first. A chain that
 * starts at version 1 is checked whole, as a host would, so a bundle never carries a chain a host refuses.
 */
final class TrustChainFiles {
    private TrustChainFiles() {}

    static List<SignedTrust> readChain(List<Path> files) {
        List<SignedTrust> docs = files.stream().map(SignedTrust::read).toList();
        for (int i = 1; i < docs.size(); i++) {
            if (docs.get(i).version() != docs.get(i - 1).version() + 1) {
                throw FerryException.usage("--trust-chain: " + files.get(i) + " is version "
                        + docs.get(i).version() + " after version "
                        + docs.get(i - 1).version() + ": give consecutive versions, oldest first");
            }
        }
        if (!docs.isEmpty() && docs.get(0).version() == 1) {
            TrustChain.replay(docs);
        }
        return docs;
    }

    static List<CarriedTrust> read(List<Path> files) {
        return readChain(files).stream()
                .map(d -> new CarriedTrust(d.version(), d.bytes()))
                .toList();
    }
}
