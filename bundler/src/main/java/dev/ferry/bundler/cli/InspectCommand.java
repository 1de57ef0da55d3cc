package dev.ferry.bundler.cli;

import dev.ferry.bundle.BundleReader;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.ManifestView;
import dev.ferry.bundle.TokenInfo;
import dev.ferry.bundler.sbom.CycloneDxSbom;
import dev.ferry.cli.Json;
import dev.ferry.common.FerryException;
import dev.ferry.common.Sanitizer;
import dev.ferry.keys.TrustedKeys;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bundler inspect BUNDLE [--json] [--trust PUB ...]}: the manifest summary, reading only the head of the
 * bundle. It does not verify the payload ({@code bundler verify} does); with {@code --trust} it says which signers
 * are trusted and whether their signatures match. The token's facts are shown, never the token.
 */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description =
                "Summarise a bundle's manifest without extracting it: name, version, sequence, dates, token window, files, signers.")
public final class InspectCommand implements Callable<Integer> {
    static final int HUMAN_FILE_LIMIT = 50;

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "The bundle file (NAME-VERSION.bundle.tar.zst).")
    Path bundle;

    @Option(names = "--json", description = "Print one JSON document on stdout and nothing else.")
    boolean json;

    @Option(
            names = "--sbom",
            description = "Print the bundle's SBOM (payload/sbom/bom.cdx.json, CycloneDX JSON) instead of the summary.")
    boolean sbom;

    @Option(
            names = "--trust",
            paramLabel = "PUB",
            description = "A trusted public key (PEM); repeatable. Marks which signers are trusted.")
    List<Path> trust = new ArrayList<>();

    @Spec
    CommandSpec spec;

    private final Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        if (sbom) {
            return printSbom();
        }
        TrustedKeys trusted = trust.isEmpty() ? null : TrustedKeys.load(trust, List.of());
        ManifestView view = BundleReader.readManifest(bundle);
        Map<String, String> signers = signerStatus(view, trusted);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, document(view.manifest(), signers));
        } else {
            printHuman(out, view.manifest(), signers);
        }
        return 0;
    }

    /** The SBOM, indented, on stdout: it is a JSON document already, with or without --json. */
    private Integer printSbom() {
        byte[] bom = BundleReader.readPayloadFile(bundle, CycloneDxSbom.PATH, CycloneDxSbom.MAX_BYTES)
                .orElseThrow(
                        () -> FerryException.usage(
                                bundle + ": carries no " + CycloneDxSbom.PATH
                                        + " (made before Ferry wrote SBOMs, or a delta bundle whose SBOM did not change: see its base)"));
        PrintWriter out = spec.commandLine().getOut();
        out.println(CycloneDxSbom.indent(bom));
        out.flush();
        return 0;
    }

    /** Key id to "trusted", "untrusted", "invalid" (trusted key, signature does not match) or "unchecked". */
    private static Map<String, String> signerStatus(ManifestView view, TrustedKeys trusted) {
        Map<String, String> status = new LinkedHashMap<>();
        List<String> verified = trusted == null ? List.of() : view.verifiedBy(trusted);
        for (String keyId : view.signatureKeyIds()) {
            if (trusted == null) {
                status.put(keyId, "unchecked");
            } else if (verified.contains(keyId)) {
                status.put(keyId, "trusted");
            } else {
                status.put(keyId, trusted.get(keyId).isPresent() ? "invalid" : "untrusted");
            }
        }
        return status;
    }

    private Map<String, Object> document(Manifest m, Map<String, String> signers) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("bundle", bundle.toString());
        doc.put("format", m.format());
        doc.put("name", m.name());
        doc.put("version", m.version());
        doc.put("sequence", m.sequence());
        doc.put("createdAt", m.createdAt().toString());
        doc.put("expiresAt", m.expiresAt().toString());
        doc.put("expired", !clock.instant().isBefore(m.expiresAt()));
        TokenInfo token = m.token();
        if (token == null) {
            doc.put("token", null);
        } else {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", Sanitizer.printable(token.id()));
            t.put("notBefore", token.notBefore().toString());
            t.put("notAfter", token.notAfter().toString());
            t.put("path", token.path());
            doc.put("token", t);
        }
        doc.put("fileCount", m.files().size());
        doc.put("totalSize", totalSize(m));
        doc.put("delta", delta(m));
        List<Map<String, Object>> files = new ArrayList<>();
        for (FileEntry f : m.files()) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("path", Sanitizer.printable(f.path(), Integer.MAX_VALUE));
            if (f.isSecret()) {
                // Neither size nor a digest of a secret (SPEC section 2): only how it is bound.
                file.put("mode", f.mode());
                Map<String, Object> secret = new LinkedHashMap<>();
                secret.put("kdf", Sanitizer.printable(f.secret().kdf()));
                if (f.secret().isSlow()) {
                    secret.put("iterations", f.secret().iterations());
                }
                file.put("secret", secret);
            } else {
                file.put("size", f.size());
                file.put("mode", f.mode());
                file.put("sha256", f.sha256());
            }
            if (f.fromBase()) {
                file.put("from", "base");
            }
            files.add(file);
        }
        doc.put("files", files);
        List<Map<String, Object>> signerList = new ArrayList<>();
        signers.forEach((id, status) -> signerList.add(Map.of("keyId", id, "status", status)));
        doc.put("signers", signerList);
        return doc;
    }

    private void printHuman(PrintWriter out, Manifest m, Map<String, String> signers) {
        out.printf("bundle     %s%n", bundle);
        out.printf("name       %s%n", m.name());
        out.printf("version    %s%n", m.version());
        out.printf("sequence   %d%n", m.sequence());
        out.printf("created    %s%n", m.createdAt());
        out.printf("expires    %s (%s)%n", m.expiresAt(), relative(m.expiresAt()));
        TokenInfo token = m.token();
        out.printf(
                "token      %s%n",
                token == null
                        ? "none"
                        : Sanitizer.printable(token.id()) + ", valid " + token.notBefore() + " .. " + token.notAfter());
        long total = totalSize(m);
        out.printf("files      %d files, %s (%d bytes)%n", m.files().size(), humanSize(total), total);
        if (m.isDelta()) {
            long reused = reusedBytes(m);
            long reusedFiles = m.files().stream().filter(FileEntry::fromBase).count();
            out.printf(
                    "delta      of %s %s (sequence %d, manifest sha256 %s)%n",
                    m.base().name(),
                    m.base().version(),
                    m.base().sequence(),
                    m.base().manifestSha256());
            out.printf(
                    "           carries %d files, %s (%d bytes); reuses %d files, %s (%d bytes) from the base release%n",
                    m.files().size() - reusedFiles,
                    humanSize(total - reused),
                    total - reused,
                    reusedFiles,
                    humanSize(reused),
                    reused);
        }
        int shown = 0;
        for (FileEntry f : m.files()) {
            if (shown++ == HUMAN_FILE_LIMIT) {
                out.printf(
                        "  ... %d more files (--json lists them all)%n",
                        m.files().size() - HUMAN_FILE_LIMIT);
                break;
            }
            out.printf(
                    "  %s %10s  %-64s  %s%s%n",
                    f.mode(),
                    f.isSecret() ? "secret" : humanSize(f.size()),
                    digest(f),
                    Sanitizer.printable(f.path(), Integer.MAX_VALUE),
                    f.fromBase() ? "  (from base)" : "");
        }
        if (signers.isEmpty()) {
            out.printf("signers    none%n");
        }
        boolean first = true;
        for (Map.Entry<String, String> signer : signers.entrySet()) {
            out.printf("%s%s (%s)%n", first ? "signers    " : "           ", signer.getKey(), signer.getValue());
            first = false;
        }
        out.flush();
    }

    /** A file's SHA-256; for a secret, only how the manifest binds it (no digest: SPEC section 2). */
    private static String digest(FileEntry f) {
        return f.isSecret() ? Sanitizer.printable(f.secret().describe()) : f.sha256();
    }

    private String relative(Instant expiresAt) {
        Duration left = Duration.between(clock.instant(), expiresAt);
        if (left.isNegative() || left.isZero()) {
            return "expired " + left.negated().toDays() + " days ago";
        }
        return "in " + left.toDays() + " days";
    }

    /** For a delta bundle: its base and the bytes it carries and reuses; null for a full bundle. */
    private static Map<String, Object> delta(Manifest m) {
        if (!m.isDelta()) {
            return null;
        }
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("name", m.base().name());
        base.put("version", m.base().version());
        base.put("sequence", m.base().sequence());
        base.put("manifestSha256", m.base().manifestSha256());
        long reusedFiles = m.files().stream().filter(FileEntry::fromBase).count();
        Map<String, Object> delta = new LinkedHashMap<>();
        delta.put("base", base);
        delta.put("carriedFiles", m.files().size() - reusedFiles);
        delta.put("carriedBytes", totalSize(m) - reusedBytes(m));
        delta.put("reusedFiles", reusedFiles);
        delta.put("reusedBytes", reusedBytes(m));
        return delta;
    }

    private static long reusedBytes(Manifest m) {
        return m.files().stream()
                .filter(FileEntry::fromBase)
                .mapToLong(FileEntry::publishedSize)
                .sum();
    }

    private static long totalSize(Manifest m) {
        return m.files().stream().mapToLong(FileEntry::publishedSize).sum();
    }

    static String humanSize(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
