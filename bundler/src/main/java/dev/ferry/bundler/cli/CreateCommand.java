package dev.ferry.bundler.cli;

import dev.ferry.bundle.BundleHeads;
import dev.ferry.bundle.BundleSplitter;
import dev.ferry.bundle.CarriedTrust;
import dev.ferry.bundle.WrittenBundle;
import dev.ferry.bundler.create.BundleCreator;
import dev.ferry.cli.Json;
import dev.ferry.cli.JsonOption;
import dev.ferry.cli.ProgressDisplay;
import dev.ferry.cli.Terminal;
import dev.ferry.common.FerryException;
import dev.ferry.keys.Signer;
import dev.ferry.profiles.Profile;
import dev.ferry.profiles.ProfileLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = "Build a signed, reproducible bundle from a profile. Prints its path, size, sha256 and key ids."
                + " SOURCE_DATE_EPOCH fixes createdAt for reproducible builds.")
public final class CreateCommand implements Callable<Integer> {
    @Option(names = "--profile", required = true, paramLabel = "FILE", description = "The profile (YAML).")
    Path profile;

    @Option(
            names = "--token",
            paramLabel = "FILE",
            description = "The registration token (default: token.file of the profile).")
    Path token;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = ".",
            description = "Where to write the bundle. Default: the current folder.")
    Path out;

    @Option(
            names = "--sequence",
            paramLabel = "N",
            description = "Override the bundle sequence (default: bundle.sequence, else createdAt in seconds).")
    Long sequence;

    @Option(names = "--level", paramLabel = "N", defaultValue = "3", description = "zstd level, 1-19. Default: 3.")
    int level;

    @Option(
            names = "--base",
            paramLabel = "OLD",
            description = "Build a delta against OLD, the bundle (whole, index or first part) the hosts run now: files"
                    + " OLD holds byte for byte stay behind (from: base); the manifest still lists every file.")
    Path base;

    @Option(
            names = "--trust-chain",
            paramLabel = "FILE",
            description =
                    "Carry this trust document in the bundle (repeatable, oldest first); hosts apply it before verifying.")
    List<Path> trustChain = new ArrayList<>();

    @Option(
            names = "--split-size",
            paramLabel = "SIZE",
            description = "Write the bundle as parts of at most SIZE (700M, 4000M, 4G) and a .parts index, for media"
                    + " that hold less than the bundle; see bundler split.")
    String splitSize;

    @Mixin
    JsonOption json;

    @Mixin
    SignerOptions signing;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (level < 1 || level > 19) {
            throw FerryException.usage("--level: expected 1 to 19, got " + level);
        }
        List<CarriedTrust> carried = TrustChainFiles.read(trustChain);
        Long partSize = splitSize == null ? null : BundleSplitter.parseSize(splitSize);
        Profile loaded = ProfileLoader.load(profile);
        List<Signer> signers = signing.resolve(false);
        BundleCreator creator = new BundleCreator(
                Clock.systemUTC(), System.getenv(), Runtime.getRuntime().availableProcessors());
        BundleCreator.Result result;
        try (ProgressDisplay progress = ProgressDisplay.of("create", !json.enabled())) {
            result = creator.create(
                    new BundleCreator.Request(profile, loaded, signers, token, out, sequence, level, progress, base));
        }

        WrittenBundle bundle = result.bundle();
        if (!carried.isEmpty()) {
            BundleHeads.Head head = BundleHeads.carry(bundle.path(), carried);
            bundle = new WrittenBundle(bundle.path(), head.size(), head.sha256(), bundle.manifest(), bundle.keyIds());
        }
        PrintWriter err = spec.commandLine().getErr();
        result.warnings().forEach(w -> err.println(Terminal.warn("warning: " + w)));
        PrintWriter stdout = spec.commandLine().getOut();
        if (partSize != null) {
            BundleSplitter.Split split = BundleSplitter.split(
                    bundle.path(), partSize, bundle.path().toAbsolutePath().getParent());
            deleteWhole(bundle.path());
            if (!json.enabled()) {
                stdout.println("key ids:  " + String.join(", ", bundle.keyIds()));
            }
            SplitCommand.print(stdout, split, json.enabled());
            return 0;
        }
        if (json.enabled()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("path", bundle.path().toString());
            doc.put("size", bundle.size());
            doc.put("sha256", bundle.sha256());
            doc.put("keyIds", bundle.keyIds());
            doc.put("mode", "0600");
            doc.put("name", bundle.manifest().name());
            doc.put("version", bundle.manifest().version());
            doc.put("sequence", bundle.manifest().sequence());
            doc.put("warnings", result.warnings());
            Json.print(stdout, doc);
        } else {
            stdout.println("bundle:   " + bundle.path());
            stdout.println("size:     " + bundle.size() + " bytes");
            stdout.println("sha256:   " + bundle.sha256());
            stdout.println("key ids:  " + String.join(", ", bundle.keyIds()));
            stdout.println("mode:     0600 (it holds the token and the proxy password)");
            stdout.flush();
        }
        return 0;
    }

    /** The parts replace the whole bundle: it would not fit the medium, and two copies would confuse. */
    private static void deleteWhole(Path whole) {
        try {
            Files.delete(whole);
        } catch (IOException e) {
            throw FerryException.usage(
                    whole + ": the parts are written, but the whole bundle cannot be removed: " + e.getMessage());
        }
    }
}
