package dev.ferry.bundle.hostile;

import static dev.ferry.common.ExitCode.OK;
import static dev.ferry.common.ExitCode.PREFLIGHT;
import static dev.ferry.common.ExitCode.VALIDITY;
import static dev.ferry.common.ExitCode.VERIFICATION;
import static dev.ferry.common.Reason.BUNDLE_EXPIRED;
import static dev.ferry.common.Reason.BUNDLE_NOT_YET_VALID;
import static dev.ferry.common.Reason.DELTA_MISMATCH;
import static dev.ferry.common.Reason.DUPLICATE_ENTRY;
import static dev.ferry.common.Reason.ENTRY_OUT_OF_ORDER;
import static dev.ferry.common.Reason.HASH_MISMATCH;
import static dev.ferry.common.Reason.MALFORMED_ARCHIVE;
import static dev.ferry.common.Reason.MALFORMED_MANIFEST;
import static dev.ferry.common.Reason.MALFORMED_SIGNATURE;
import static dev.ferry.common.Reason.MISSING_ENTRY;
import static dev.ferry.common.Reason.PREFLIGHT_FAILED;
import static dev.ferry.common.Reason.SECRET_MISMATCH;
import static dev.ferry.common.Reason.SEQUENCE_ROLLBACK;
import static dev.ferry.common.Reason.SIGNATURE_INVALID;
import static dev.ferry.common.Reason.SIGNATURE_MISSING;
import static dev.ferry.common.Reason.SIGNATURE_UNTRUSTED;
import static dev.ferry.common.Reason.SIZE_MISMATCH;
import static dev.ferry.common.Reason.TOKEN_EXPIRED;
import static dev.ferry.common.Reason.TOKEN_NOT_YET_VALID;
import static dev.ferry.common.Reason.TRUNCATED;
import static dev.ferry.common.Reason.UNDECLARED_ENTRY;
import static dev.ferry.common.Reason.UNSAFE_ENTRY;
import static dev.ferry.common.Reason.UNSAFE_FIELD;
import static dev.ferry.common.Reason.UNSAFE_MODE;
import static dev.ferry.common.Reason.UNSAFE_PATH;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.bundle.BundleLayout;
import dev.ferry.bundle.DeltaBase;
import dev.ferry.bundle.FileEntry;
import dev.ferry.bundle.Manifest;
import dev.ferry.bundle.ManifestCodec;
import dev.ferry.bundle.PayloadPaths;
import dev.ferry.bundle.SecretDigest;
import dev.ferry.bundle.TokenInfo;
import dev.ferry.bundle.hostile.GenuineBundle.Entry;
import dev.ferry.bundle.testing.RawBundleWriter;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.common.ExitCode;
import dev.ferry.common.Reason;
import dev.ferry.keys.SigningKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The hostile-bundle corpus: every case is built from one genuine bundle and, unless it is about signatures, signed
 * by the TRUSTED key, so only the content checks can stop it. Cases are code, not blobs: each is a named scenario
 * with the exit code and the stable reason it must get (never words of a message). Links and traversals aim at {@code outside},
 * a folder the caller watches: nothing may ever appear there.
 *
 * <p>Requirements on the genuine bundle: at least two payload files, the first one in a folder below
 * {@code payload/} (as {@code payload/runtime/...}), a token, a sequence above {@code installedSequence}.
 */
public final class HostileCorpus {
    /**
     * @param genuine the genuine bundle, signed by {@code genuine.trusted()}
     * @param stranger a key that the host does not trust
     * @param outside a folder outside the install root that links and traversals aim at (it must stay unchanged)
     * @param now the host's clock, for the window cases
     * @param installedSequence the sequence already installed on the host, for the rollback case
     */
    public record Setting(
            GenuineBundle genuine, SigningKey stranger, Path outside, Instant now, long installedSequence) {}

    private static final byte[] EVIL = "evil payload: must never land anywhere\n".getBytes(StandardCharsets.UTF_8);
    /** 1 MiB of zstd that decodes to 32 GiB of zeros. */
    private static final int BOMB_BLOCKS = 256 * 1024;

    private final Setting s;
    private final GenuineBundle g;
    private final Path dir;
    private final List<HostileCase> cases = new ArrayList<>();
    private String trick;

    private HostileCorpus(Setting setting, Path dir) {
        this.s = setting;
        this.g = setting.genuine();
        this.dir = dir;
    }

    /** Writes every case's bundle under {@code dir} (one file each) and returns the cases in a stable order. */
    public static List<HostileCase> write(Setting setting, Path dir) {
        HostileCorpus corpus = new HostileCorpus(setting, dir);
        corpus.paths();
        corpus.links();
        corpus.specialFiles();
        corpus.modes();
        corpus.entries();
        corpus.aliases();
        corpus.sizesAndHashes();
        corpus.manifests();
        corpus.signatures();
        corpus.archives();
        corpus.windows();
        corpus.deltas();
        corpus.hostFields();
        corpus.secrets();
        return List.copyOf(corpus.cases);
    }

    // ---- the cases, by family ----

    private void paths() {
        trick = "paths";
        String escape = "payload/" + "../".repeat(40) + outsideRelative() + "/evil";
        refused(
                "path-traversal-entry",
                UNSAFE_PATH,
                () -> g.payload(first(g.head(), r -> r.file(escape, EVIL, 0644)))
                        .endOfArchive());
        refused("path-traversal-declared", UNSAFE_PATH, () -> declaredExtra(escape, EVIL, "0644"));
        String absolute = s.outside().toAbsolutePath() + "/evil";
        refused(
                "absolute-path-entry",
                UNSAFE_PATH,
                () -> g.payload(first(g.head(), r -> r.file(absolute, EVIL, 0644)))
                        .endOfArchive());
        refused("absolute-path-declared", UNSAFE_PATH, () -> declaredExtra(absolute, EVIL, "0644"));
        refused("path-outside-payload-declared", UNSAFE_PATH, () -> declaredExtra("etc/cron.d/evil", EVIL, "0644"));
        refused(
                "backslash-traversal-entry",
                UNSAFE_PATH,
                () -> g.payload(first(g.head(), r -> r.file("payload/..\\..\\..\\..\\evil", EVIL, 0644)))
                        .endOfArchive());
        refused(
                "pax-path-traversal",
                UNSAFE_PATH,
                () -> g.payload(first(
                                g.head(),
                                r -> r.paxFile("payload/../../../../" + outsideRelative() + "/evil", EVIL, 0644)))
                        .endOfArchive());
    }

    private void links() {
        trick = "links";
        String folder = parentOf(g.entry(0).path());
        // The classic: a link to a folder outside, then a file written "into" the link.
        String link = folder + "/lib";
        FileEntry through = RawBundleWriter.entryFor(link + "/evil", EVIL, "0644");
        refusedExtra(
                "symlink-then-file-through-it",
                UNSAFE_ENTRY,
                through,
                r -> r.symlink(link, s.outside().toAbsolutePath().toString()).file(through.path(), EVIL, 0644));
        String up = folder + "/up";
        FileEntry throughUp = RawBundleWriter.entryFor(up + "/evil", EVIL, "0644");
        refusedExtra(
                "symlink-relative-escape-then-file",
                UNSAFE_ENTRY,
                throughUp,
                r -> r.symlink(up, "../".repeat(40) + outsideRelative()).file(throughUp.path(), EVIL, 0644));
        Entry e0 = g.entry(0);
        refused(
                "symlink-in-place-of-declared-file",
                UNSAFE_ENTRY,
                () -> g.payload(g.head(), Map.of(e0.path(), r -> r.symlink(e0.path(), victim().toString())))
                        .endOfArchive());
        refused(
                "hardlink-to-outside-then-overwrite",
                UNSAFE_ENTRY,
                () -> g.payload(
                                g.head(),
                                Map.of(
                                        e0.path(),
                                        r -> r.hardlink(e0.path(), victim().toString())
                                                .file(e0.path(), EVIL, e0.mode())))
                        .endOfArchive());
        Entry e1 = g.entry(1);
        refused(
                "hardlink-to-payload-file",
                UNSAFE_ENTRY,
                () -> g.payload(g.head(), Map.of(e1.path(), r -> r.hardlink(e1.path(), e0.path())))
                        .endOfArchive());
        refused(
                "pax-linkpath-on-regular-file",
                UNSAFE_ENTRY,
                () -> g.payload(
                                g.head(),
                                Map.of(
                                        e0.path(),
                                        r -> r.pax(Map.of("linkpath", victim().toString()))
                                                .file(e0.path(), e0.content(), e0.mode())))
                        .endOfArchive());
        refused(
                "gnu-long-link-symlink",
                UNSAFE_ENTRY,
                () -> g.payload(g.head(), Map.of(e0.path(), r -> {
                            byte[] target = (victim() + "\0").getBytes(StandardCharsets.UTF_8);
                            TarArchiveEntry longLink = tarEntry("././@LongLink", TarConstants.LF_GNUTYPE_LONGLINK);
                            longLink.setSize(target.length);
                            r.entry(longLink, target).symlink(e0.path(), "x");
                        }))
                        .endOfArchive());
    }

    private void specialFiles() {
        trick = "devices";
        Entry e0 = g.entry(0);
        refused("char-device", UNSAFE_ENTRY, () -> replaceFirst(r -> r.header(device(e0.path(), TarConstants.LF_CHR))));
        refused(
                "block-device",
                UNSAFE_ENTRY,
                () -> replaceFirst(r -> r.header(device(e0.path(), TarConstants.LF_BLK))));
        refused("fifo", UNSAFE_ENTRY, () -> replaceFirst(r -> r.fifo(e0.path())));
        refused(
                "world-writable-directory-entry",
                UNSAFE_ENTRY,
                () -> g.payload(first(g.head(), r -> {
                            TarArchiveEntry d = tarEntry(parentOf(e0.path()) + "/", TarConstants.LF_DIR);
                            d.setMode(0777);
                            r.header(d);
                        }))
                        .endOfArchive());
        refused(
                "contiguous-file",
                UNSAFE_ENTRY,
                () -> replaceFirst(r -> {
                    TarArchiveEntry c = tarEntry(e0.path(), TarConstants.LF_CONTIG);
                    c.setSize(e0.content().length);
                    c.setMode(e0.mode());
                    r.entry(c, e0.content());
                }));
    }

    private void modes() {
        trick = "modes";
        Entry e0 = g.entry(0);
        refused(
                "setuid-entry",
                UNSAFE_MODE,
                () -> replaceFirst(r -> r.file(e0.path(), e0.content(), e0.mode() | 04000)));
        refused(
                "setgid-entry",
                UNSAFE_MODE,
                () -> replaceFirst(r -> r.file(e0.path(), e0.content(), e0.mode() | 02000)));
        refused(
                "world-writable-entry",
                UNSAFE_MODE,
                () -> replaceFirst(r -> r.file(e0.path(), e0.content(), e0.mode() | 0022)));
        refused(
                "symlink-type-bits-in-mode",
                UNSAFE_MODE,
                () -> replaceFirst(r -> r.file(e0.path(), e0.content(), 0120000 | e0.mode())));
        refused("setuid-declared", UNSAFE_MODE, () -> declaredMode(e0, "4755", 04755));
        refused("setgid-declared", UNSAFE_MODE, () -> declaredMode(e0, "2755", 02755));
        refused("world-writable-declared", UNSAFE_MODE, () -> declaredMode(e0, "0666", 0666));
    }

    private void entries() {
        trick = "entries";
        Entry e0 = g.entry(0);
        Entry e1 = g.entry(1);
        refused(
                "undeclared-entry-at-end",
                UNDECLARED_ENTRY,
                () -> g.payload(g.head())
                        .file("payload/zz-undeclared", EVIL, 0644)
                        .endOfArchive());
        refused(
                "undeclared-entry-between",
                UNDECLARED_ENTRY,
                () -> g.payload(
                                g.head(),
                                Map.of(
                                        e1.path(),
                                        r -> r.file(e0.path() + "-extra", EVIL, 0644)
                                                .file(e1.path(), e1.content(), e1.mode())))
                        .endOfArchive());
        refused(
                "duplicate-entry-same-content",
                DUPLICATE_ENTRY,
                () -> replaceFirst(
                        r -> r.file(e0.path(), e0.content(), e0.mode()).file(e0.path(), e0.content(), e0.mode())));
        refused(
                "duplicate-entry-other-content",
                DUPLICATE_ENTRY,
                () -> replaceFirst(
                        r -> r.file(e0.path(), e0.content(), e0.mode()).file(e0.path(), EVIL, e0.mode())));
        refused("duplicate-declared", DUPLICATE_ENTRY, () -> {
            List<FileEntry> files = new ArrayList<>(g.manifest().files());
            files.add(1, e0.file());
            return g.payload(
                            g.head(g.withFiles(files)),
                            Map.of(
                                    e0.path(),
                                    r -> r.file(e0.path(), e0.content(), e0.mode())
                                            .file(e0.path(), e0.content(), e0.mode())))
                    .endOfArchive();
        });
        refused(
                "reordered-entries",
                ENTRY_OUT_OF_ORDER,
                () -> g.payload(
                                g.head(),
                                Map.of(
                                        e0.path(), r -> r.file(e1.path(), e1.content(), e1.mode()),
                                        e1.path(), r -> r.file(e0.path(), e0.content(), e0.mode())))
                        .endOfArchive());
        String lastPath = g.entries().get(g.entries().size() - 1).path();
        refused(
                "missing-entry",
                MISSING_ENTRY,
                () -> g.payload(g.head(), Map.of(lastPath, r -> {})).endOfArchive());
        refused("folder-and-file-declared", UNSAFE_PATH, () -> {
            FileEntry asFile = RawBundleWriter.entryFor(parentOf(e0.path()), EVIL, "0644");
            return g.payload(
                            g.head(g.withExtraFile(asFile)),
                            Map.of(
                                    e0.path(),
                                    r -> r.file(asFile.path(), EVIL, 0644).file(e0.path(), e0.content(), e0.mode())))
                    .endOfArchive();
        });
    }

    private void aliases() {
        trick = "aliases";
        Entry e0 = g.entry(0);
        String p = e0.path();
        String folder = parentOf(p);
        String base = p.substring(folder.length() + 1);
        refused("alias-dot-slash", UNSAFE_PATH, () -> replaceFirst(r -> r.file("./" + p, e0.content(), e0.mode())));
        refused(
                "alias-double-slash",
                UNSAFE_PATH,
                () -> replaceFirst(r -> r.file(folder + "//" + base, e0.content(), e0.mode())));
        refused(
                "alias-dot-segment",
                UNSAFE_PATH,
                () -> replaceFirst(r -> r.file(folder + "/./" + base, e0.content(), e0.mode())));
        refused("alias-trailing-slash", UNSAFE_PATH, () -> replaceFirst(r -> r.file(p + "/", e0.content(), e0.mode())));
        // Cyrillic 'а' (U+0430) looks like Latin 'a'; 'е' (U+0435) like 'e'.
        String lookalike = folder + "/" + cyrillic(base);
        refused(
                "alias-cyrillic-lookalike",
                UNDECLARED_ENTRY,
                () -> replaceFirst(r -> r.file(lookalike, e0.content(), e0.mode())));
        String nfc = folder + "/caf\u00e9";
        String nfd = folder + "/cafe\u0301";
        FileEntry cafe = RawBundleWriter.entryFor(nfc, EVIL, "0644");
        refusedExtra("alias-nfd-for-declared-nfc", UNSAFE_PATH, cafe, r -> r.paxFile(nfd, EVIL, 0644));
        refused("alias-nfd-declared", UNSAFE_PATH, () -> declaredExtra(nfd, EVIL, "0644"));
        String otherCase = folder + "/" + swapCase(base);
        refused(
                "alias-case-only-entry",
                UNDECLARED_ENTRY,
                () -> replaceFirst(r -> r.file(otherCase, e0.content(), e0.mode())));
        // Both spellings declared and signed: on Windows (and macOS) they are one file, the second overwrites the
        // first.
        FileEntry twin = RawBundleWriter.entryFor(otherCase, EVIL, e0.file().mode());
        refusedExtra("case-collision-declared", UNSAFE_PATH, twin, r -> r.file(twin.path(), EVIL, e0.mode()));
    }

    private void sizesAndHashes() {
        trick = "sizes";
        Entry e0 = g.entry(0);
        Entry last = g.entries().get(g.entries().size() - 1);
        refused(
                "size-larger-than-declared",
                SIZE_MISMATCH,
                () -> replaceFirst(r -> r.file(e0.path(), concat(e0.content(), EVIL), e0.mode())));
        refused(
                "size-smaller-than-declared",
                SIZE_MISMATCH,
                () -> replaceFirst(r ->
                        r.file(e0.path(), Arrays.copyOf(e0.content(), e0.content().length - 1), e0.mode())));
        byte[] flipped = e0.content().clone();
        flipped[0] ^= 0x01;
        refused(
                "hash-mismatch-same-size",
                HASH_MISMATCH,
                () -> replaceFirst(r -> r.file(e0.path(), flipped, e0.mode())));
        byte[] lastFlipped = last.content().clone();
        lastFlipped[lastFlipped.length - 1] ^= 0x20;
        refused(
                "hash-mismatch-last-file",
                HASH_MISMATCH,
                () -> g.payload(g.head(), Map.of(last.path(), r -> r.file(last.path(), lastFlipped, last.mode())))
                        .endOfArchive());
    }

    private void manifests() {
        trick = "manifest";
        String json = new String(ManifestCodec.encode(g.manifest()), StandardCharsets.UTF_8);
        refused("manifest-oversize", MALFORMED_MANIFEST, () -> {
            String padded = json.replaceFirst(
                    "\"profile\" : \\{",
                    "\"padding\" : \"" + "A".repeat((int) BundleLayout.MAX_MANIFEST_BYTES) + "\",\n  \"profile\" : {");
            return g.payload(g.signedBytes(utf8(padded))).endOfArchive();
        });
        refused(
                "manifest-invalid-json",
                MALFORMED_MANIFEST,
                () -> withManifestText(json.replaceFirst("\"files\" : \\[", "\"files\" : [[")));
        refused("manifest-invalid-utf8", MALFORMED_MANIFEST, () -> {
            byte[] bytes = ManifestCodec.encode(g.manifest());
            int at = json.indexOf(g.manifest().name());
            byte[] bad = concat(
                    concat(Arrays.copyOf(bytes, at), new byte[] {(byte) 0xc0, (byte) 0xaf}),
                    Arrays.copyOfRange(bytes, at, bytes.length));
            return g.payload(g.signedBytes(bad)).endOfArchive();
        });
        refused(
                "manifest-duplicate-keys",
                MALFORMED_MANIFEST,
                () -> withManifestText(
                        json.replaceFirst("\"sequence\" : ", "\"sequence\" : 999999999,\n  \"sequence\" : ")));
        // A file's hash given twice: a reader keeping the first and one keeping the last would check different bytes.
        refused(
                "manifest-duplicate-key-in-a-file",
                MALFORMED_MANIFEST,
                () -> withManifestText(json.replaceFirst(
                        "\"sha256\" : ", "\"sha256\" : \"" + "0".repeat(64) + "\",\n      \"sha256\" : ")));
        refused(
                "manifest-duplicate-key-in-the-profile",
                MALFORMED_MANIFEST,
                () -> withManifestText(
                        json.replaceFirst("\"profile\" : \\{", "\"profile\" : { \"later\" : 1, \"later\" : 2,")));
        refused(
                "manifest-cut-inside-the-files",
                MALFORMED_MANIFEST,
                () -> withManifestText(json.substring(0, json.indexOf("\"files\"") + 30)));
        refused(
                "manifest-trailing-content",
                MALFORMED_MANIFEST,
                () -> withManifestText(json + "{\"format\":\"ferry-bundle/1\"}\n"));
        refused("manifest-not-an-object", MALFORMED_MANIFEST, () -> withManifestText("[" + json + "]"));
        refused(
                "manifest-unknown-format",
                MALFORMED_MANIFEST,
                () -> withManifestText(json.replace("ferry-bundle/1", "ferry-bundle/2")));
        refused(
                "manifest-negative-sequence",
                MALFORMED_MANIFEST,
                () -> withManifestText(json.replaceFirst("\"sequence\" : \\d+", "\"sequence\" : -1")));
        refused(
                "manifest-sequence-beyond-long",
                MALFORMED_MANIFEST,
                () -> withManifestText(
                        json.replaceFirst("\"sequence\" : \\d+", "\"sequence\" : 99999999999999999999999")));
        refused(
                "manifest-fractional-sequence",
                MALFORMED_MANIFEST,
                () -> withManifestText(json.replaceFirst("\"sequence\" : (\\d+)", "\"sequence\" : $1.5")));
        refused(
                "manifest-negative-size",
                MALFORMED_MANIFEST,
                () -> withManifestText(json.replaceFirst("\"size\" : \\d+", "\"size\" : -1")));
        refused(
                "manifest-size-beyond-long",
                MALFORMED_MANIFEST,
                () -> withManifestText(json.replaceFirst("\"size\" : \\d+", "\"size\" : 18446744073709551616")));
        refused(
                "manifest-name-traversal",
                UNSAFE_FIELD,
                () -> withManifestText(json.replaceFirst(
                        "\"name\" : \"[^\"]*\"",
                        Matcher.quoteReplacement("\"name\" : \"../../../" + outsideRelative() + "\""))));
        refused(
                "manifest-version-traversal",
                UNSAFE_FIELD,
                () -> withManifestText(
                        json.replaceFirst("\"version\" : \"[^\"]*\"", "\"version\" : \"../../../evil\"")));
        refused(
                "manifest-token-path-undeclared",
                UNSAFE_FIELD,
                () -> withManifestText(json.replace(
                        "\"path\" : \"" + g.manifest().token().path() + "\"\n  }",
                        "\"path\" : \"payload/secrets/other\"\n  }")));
        refused(
                "manifest-expires-before-created",
                MALFORMED_MANIFEST,
                () -> g.payload(g.head(g.withDates(
                                g.manifest().createdAt(),
                                g.manifest().createdAt().minusSeconds(1))))
                        .endOfArchive());
    }

    private void signatures() {
        trick = "signatures";
        byte[] manifest = ManifestCodec.encode(g.manifest());
        SigningKey trusted = g.trusted();
        refused(
                "signature-missing",
                SIGNATURE_MISSING,
                () -> g.payload(RawBundleWriter.create().manifest(manifest)).endOfArchive());
        refused(
                "signature-untrusted",
                SIGNATURE_UNTRUSTED,
                () -> g.payload(RawBundleWriter.create().signedManifest(g.manifest(), s.stranger()))
                        .endOfArchive());
        refused("signature-over-other-bytes", SIGNATURE_INVALID, () -> {
            byte[] other = ManifestCodec.encode(g.withSequence(g.manifest().sequence() + 1000));
            return g.payload(
                            RawBundleWriter.create().manifest(other).signature(trusted.keyId(), trusted.sign(manifest)))
                    .endOfArchive();
        });
        refused(
                "signature-trusted-id-stranger-bytes",
                SIGNATURE_INVALID,
                () -> g.payload(RawBundleWriter.create()
                                .manifest(manifest)
                                .signature(trusted.keyId(), s.stranger().sign(manifest)))
                        .endOfArchive());
        refused(
                "signature-truncated",
                MALFORMED_SIGNATURE,
                () -> g.payload(RawBundleWriter.create()
                                .manifest(manifest)
                                .signature(trusted.keyId(), Arrays.copyOf(trusted.sign(manifest), 63)))
                        .endOfArchive());
        refused(
                "signature-before-manifest",
                MALFORMED_ARCHIVE,
                () -> g.payload(RawBundleWriter.create()
                                .signature(trusted.keyId(), trusted.sign(manifest))
                                .manifest(manifest))
                        .endOfArchive());
        refused(
                "signature-duplicate-entry",
                MALFORMED_SIGNATURE,
                () -> g.payload(RawBundleWriter.create()
                                .manifest(manifest)
                                .signature(trusted.keyId(), trusted.sign(manifest))
                                .signature(trusted.keyId(), trusted.sign(manifest)))
                        .endOfArchive());
        refused("signature-many-files", MALFORMED_SIGNATURE, () -> {
            RawBundleWriter raw = RawBundleWriter.create().manifest(manifest);
            for (int i = 0; i < 40; i++) {
                SigningKey k = TestKeys.generate();
                raw.signature(k.keyId(), k.sign(manifest));
            }
            return g.payload(raw.signature(trusted.keyId(), trusted.sign(manifest)))
                    .endOfArchive();
        });
        refused(
                "signature-badly-named",
                MALFORMED_SIGNATURE,
                () -> g.payload(RawBundleWriter.create()
                                .manifest(manifest)
                                .file("signatures/../" + trusted.keyId() + ".sig", trusted.sign(manifest), 0644))
                        .endOfArchive());
    }

    private void archives() {
        trick = "archive";
        Entry e0 = g.entry(0);
        byte[] genuineFile = fileBytes(g.rebuild());
        refusedFile("truncated-compressed", TRUNCATED, () -> Arrays.copyOf(genuineFile, genuineFile.length / 2));
        refused("truncated-tar-no-end-blocks", TRUNCATED, () -> g.payload(g.head()));
        byte[] hidden = "#!/bin/sh\nrm -rf /\n".getBytes(StandardCharsets.US_ASCII);
        refusedFile("trailing-bytes-after-zstd", MALFORMED_ARCHIVE, () -> concat(genuineFile, hidden));
        refusedFile(
                "skippable-frame-first", MALFORMED_ARCHIVE, () -> concat(ZstdFrames.skippable(hidden), genuineFile));
        // As the writer lays a bundle out: the head in one frame, the payload in the next.
        refusedFile(
                "skippable-frame-between-frames",
                MALFORMED_ARCHIVE,
                () -> concat(
                        fileBytes(g.head()),
                        ZstdFrames.skippable(hidden),
                        fileBytes(g.payload(RawBundleWriter.create()).endOfArchive())));
        refusedFile(
                "skippable-frame-after-end",
                MALFORMED_ARCHIVE,
                () -> concat(genuineFile, ZstdFrames.skippable(hidden)));
        refused(
                "entry-after-end-blocks",
                MALFORMED_ARCHIVE,
                () -> g.rebuild().newFrame().file("payload/zz-late", EVIL, 0644));
        refused(
                "zstd-bomb-after-end-blocks",
                MALFORMED_ARCHIVE,
                () -> g.rebuild().afterCompression(ZstdFrames.zeroBomb(BOMB_BLOCKS)));
        refused(
                "zstd-bomb-in-declared-small-entry",
                SIZE_MISMATCH,
                () -> first(g.head(), r -> {
                            r.pax(Map.of("size", String.valueOf(BOMB_BLOCKS * 128L * 1024)));
                            TarArchiveEntry big = tarEntry(e0.path(), TarConstants.LF_NORMAL);
                            big.setMode(e0.mode());
                            r.header(big);
                        })
                        .afterCompression(ZstdFrames.zeroBomb(BOMB_BLOCKS)));
        refused(
                "zstd-bomb-as-entry-content",
                HASH_MISMATCH,
                () -> first(g.head(), r -> {
                            TarArchiveEntry honest = tarEntry(e0.path(), TarConstants.LF_NORMAL);
                            honest.setSize(e0.content().length);
                            honest.setMode(e0.mode());
                            r.header(honest);
                        })
                        .afterCompression(ZstdFrames.zeroBomb(BOMB_BLOCKS)));
        refused(
                "huge-pax-header",
                MALFORMED_ARCHIVE,
                () -> replaceFirst(r -> {
                    Map<String, String> records = new LinkedHashMap<>();
                    records.put("path", e0.path());
                    records.put("mtime", "1".repeat(1 << 20));
                    r.pax(records).file(e0.path(), e0.content(), e0.mode());
                }));
        refused(
                "gnu-long-name",
                UNSAFE_ENTRY,
                () -> replaceFirst(r -> {
                    byte[] name = (e0.path() + "\0").getBytes(StandardCharsets.UTF_8);
                    TarArchiveEntry longName = tarEntry("././@LongLink", TarConstants.LF_GNUTYPE_LONGNAME);
                    longName.setSize(name.length);
                    r.entry(longName, name).file("payload/short", e0.content(), e0.mode());
                }));
        refused(
                "gnu-sparse-entry",
                UNSAFE_ENTRY,
                () -> replaceFirst(r -> {
                    TarArchiveEntry sparse = tarEntry(e0.path(), TarConstants.LF_GNUTYPE_SPARSE);
                    sparse.setSize(e0.content().length);
                    sparse.setMode(e0.mode());
                    r.entry(sparse, e0.content());
                }));
        refused(
                "pax-sparse-entry",
                UNSAFE_ENTRY,
                () -> replaceFirst(r -> r.pax(Map.of(
                                "GNU.sparse.major", "1", "GNU.sparse.minor", "0", "GNU.sparse.realsize", "1073741824"))
                        .file(e0.path(), e0.content(), e0.mode())));
        refused(
                "global-pax-header",
                UNSAFE_ENTRY,
                () -> first(g.head(), r -> {
                            byte[] records = paxRecord("path", s.outside().toAbsolutePath() + "/");
                            TarArchiveEntry global =
                                    tarEntry("pax_global_header", TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER);
                            global.setSize(records.length);
                            r.entry(global, records);
                        })
                        .file(e0.path(), e0.content(), e0.mode())
                        .endOfArchive());
        refused(
                "hidden-bytes-in-padding",
                MALFORMED_ARCHIVE,
                () -> replaceFirst(r -> {
                    TarArchiveEntry entry = tarEntry(e0.path(), TarConstants.LF_NORMAL);
                    entry.setSize(e0.content().length);
                    entry.setMode(e0.mode());
                    byte[] padding = TarBlocks.padding(e0.content().length);
                    if (padding.length == 0) {
                        throw new IllegalArgumentException(
                                "the first genuine file must not fill whole 512-byte blocks");
                    }
                    padding[padding.length - 1] = 'X';
                    r.header(entry).bytes(e0.content()).bytes(padding);
                }));
        refused(
                "bad-header-checksum",
                MALFORMED_ARCHIVE,
                () -> replaceFirst(r -> r.bytes(TarBlocks.badChecksum(regular(e0)))
                        .bytes(e0.content())
                        .bytes(TarBlocks.padding(e0.content().length))));
        refused(
                "old-gnu-magic",
                MALFORMED_ARCHIVE,
                () -> replaceFirst(r -> r.bytes(TarBlocks.oldGnu(regular(e0)))
                        .bytes(e0.content())
                        .bytes(TarBlocks.padding(e0.content().length))));
        refusedFile("not-zstd-plain-tar", MALFORMED_ARCHIVE, () -> g.rebuild().tarBytes());
    }

    private void windows() {
        trick = "windows";
        Instant now = s.now();
        Manifest m = g.manifest();
        add(
                "bundle-expired",
                VALIDITY,
                VALIDITY,
                BUNDLE_EXPIRED,
                () -> g.payload(g.head(g.withDates(now.minus(Duration.ofDays(100)), now.minus(Duration.ofDays(10)))))
                        .endOfArchive());
        add(
                "bundle-created-in-the-future",
                VALIDITY,
                VALIDITY,
                BUNDLE_NOT_YET_VALID,
                () -> g.payload(g.head(g.withDates(now.plus(Duration.ofDays(10)), now.plus(Duration.ofDays(100)))))
                        .endOfArchive());
        TokenInfo t = m.token();
        add(
                "token-not-yet-valid",
                OK,
                VALIDITY,
                TOKEN_NOT_YET_VALID,
                () -> g.payload(g.head(g.withToken(new TokenInfo(
                                t.id(), now.plus(Duration.ofDays(5)), now.plus(Duration.ofDays(12)), t.path()))))
                        .endOfArchive());
        add(
                "token-expired",
                OK,
                VALIDITY,
                TOKEN_EXPIRED,
                () -> g.payload(g.head(g.withToken(new TokenInfo(
                                t.id(), now.minus(Duration.ofDays(12)), now.minus(Duration.ofDays(1)), t.path()))))
                        .endOfArchive());
        add(
                "sequence-rollback",
                OK,
                VALIDITY,
                SEQUENCE_ROLLBACK,
                () -> g.payload(g.head(g.withSequence(s.installedSequence() - 1)))
                        .endOfArchive());
    }

    // ---- building blocks ----

    /**
     * Delta bundles (SPEC section 11). What the manifest alone gives away is refused by the verifier (3); a base that
     * is not the installed one can only be judged on the host: the installer's delta-base preflight (4), before
     * anything is unpacked. (A base that matches but lacks a reused file, or holds it damaged: e2e DeltaBundlesTest.)
     */
    private void deltas() {
        trick = "delta";
        Manifest m = g.manifest();
        Entry e0 = g.entry(0);
        DeltaBase otherBuild = new DeltaBase(m.name(), "1.0.0", s.installedSequence(), "ab".repeat(32));
        add(
                "delta-file-carried-and-from-base",
                VERIFICATION,
                PREFLIGHT,
                DELTA_MISMATCH,
                () -> g.payload(g.head(delta(otherBuild, e0.path()))).endOfArchive());
        add(
                "delta-base-description-does-not-match",
                OK,
                PREFLIGHT,
                PREFLIGHT_FAILED,
                () -> g.payload(g.head(delta(otherBuild, e0.path())), Map.of(e0.path(), r -> {}))
                        .endOfArchive());
        refused(
                "delta-for-another-agent",
                MALFORMED_MANIFEST,
                () -> g.payload(
                                g.head(delta(
                                        new DeltaBase("other-bot", "1.0.0", s.installedSequence(), "ab".repeat(32)),
                                        e0.path())),
                                Map.of(e0.path(), r -> {}))
                        .endOfArchive());
        refused(
                "delta-from-base-without-a-base",
                MALFORMED_MANIFEST,
                () -> g.payload(g.head(delta(null, e0.path())), Map.of(e0.path(), r -> {}))
                        .endOfArchive());
        refused(
                "delta-base-not-older",
                MALFORMED_MANIFEST,
                () -> g.payload(
                                g.head(delta(
                                        new DeltaBase(m.name(), m.version(), m.sequence(), "ab".repeat(32)),
                                        e0.path())),
                                Map.of(e0.path(), r -> {}))
                        .endOfArchive());
        refused(
                "delta-base-hash-malformed",
                MALFORMED_MANIFEST,
                () -> g.payload(
                                g.head(delta(
                                        new DeltaBase(m.name(), "1.0.0", s.installedSequence(), "not-a-digest"),
                                        e0.path())),
                                Map.of(e0.path(), r -> {}))
                        .endOfArchive());
        String token = m.token().path();
        refused(
                "delta-secret-from-base",
                MALFORMED_MANIFEST,
                () -> g.payload(g.head(delta(otherBuild, token)), Map.of(token, r -> {}))
                        .endOfArchive());
        String json = new String(ManifestCodec.encode(delta(otherBuild, e0.path())), StandardCharsets.UTF_8);
        refused(
                "delta-from-somewhere-else",
                MALFORMED_MANIFEST,
                () -> g.payload(
                                g.signedBytes(utf8(json.replace("\"from\" : \"base\"", "\"from\" : \"../../etc\""))),
                                Map.of(e0.path(), r -> {}))
                        .endOfArchive());
    }

    /**
     * Secret files (SPEC section 2): the manifest binds their bytes with an HMAC under the bundle's binding key (or,
     * in bundles made before it, a slow, salted digest) and publishes neither a fast digest nor the size. Bytes that
     * are not the signed ones, a binding key that is not the signed one, a digest that does not fit them, and any
     * manifest that would let a reader test guesses cheaply (a fast digest, a size, few iterations, an unknown kdf, a
     * secret without its key) are refused.
     */
    private void secrets() {
        trick = "secrets";
        Entry token = g.entries().stream()
                .filter(e -> e.path().equals(g.manifest().token().path()))
                .findFirst()
                .orElseThrow();
        FileEntry sealed = token.file();
        if (!sealed.isSecret()) {
            throw new IllegalArgumentException("the genuine token must be listed as a secret: " + sealed);
        }
        byte[] swapped = token.content().clone();
        swapped[0] ^= 0x01;
        refused("secret-bytes-swapped-same-length", SECRET_MISMATCH, () -> withSecret(token, sealed, swapped));
        refused(
                "secret-bytes-swapped-other-length",
                SECRET_MISMATCH,
                () -> withSecret(token, sealed, concat(token.content(), EVIL)));
        refused(
                "secret-larger-than-any-secret",
                SECRET_MISMATCH,
                () -> withSecret(token, sealed, new byte[SecretDigest.MAX_SECRET_BYTES + 1]));
        SecretDigest d = sealed.secret();
        refused(
                "secret-wrong-hash",
                SECRET_MISMATCH,
                () -> withSecret(
                        token,
                        new SecretDigest(d.kdf(), d.iterations(), d.salt(), flipHex(d.hash())),
                        token.content()));
        bindingKey(token);
        slowSecrets(token);
        String json = new String(ManifestCodec.encode(g.manifest()), StandardCharsets.UTF_8);
        String pathField = "\"path\" : \"" + token.path() + "\",";
        String sha256 = RawBundleWriter.sha256Hex(token.content());
        refused(
                "secret-with-fast-sha256",
                UNSAFE_FIELD,
                () -> withManifestText(
                        json.replace(pathField, pathField + "\n      \"sha256\" : \"" + sha256 + "\",")));
        refused(
                "secret-with-size",
                UNSAFE_FIELD,
                () -> withManifestText(
                        json.replace(pathField, pathField + "\n      \"size\" : " + token.content().length + ",")));
        refused("secret-listed-with-size-and-sha256-only", UNSAFE_FIELD, () -> {
            // The token listed as every other file is: what bundles looked like before secrets were sealed.
            int at = json.indexOf(pathField);
            int end = json.indexOf("}", json.indexOf("\"secret\"", at)) + 1;
            String listed = pathField + "\n      \"size\" : " + token.content().length + ",\n      \"sha256\" : \""
                    + sha256 + "\",\n      \"mode\" : \"" + sealed.mode() + "\"";
            return withManifestText(json.substring(0, at) + listed + json.substring(end));
        });
        Entry e0 = g.entry(0);
        refused(
                "secret-digest-on-a-public-file",
                UNSAFE_FIELD,
                () -> withManifestText(json.replace(
                        "\"path\" : \"" + e0.path() + "\",",
                        "\"path\" : \"" + e0.path() + "\",\n      \"secret\" : {\"kdf\" : \"" + SecretDigest.KDF
                                + "\"},")));
    }

    /**
     * The binding key ({@code payload/secrets/binding-key}): its bytes are bound through the other secrets' HMACs, and
     * it comes with them or not at all.
     */
    private void bindingKey(Entry token) {
        Entry key = g.entries().stream()
                .filter(e -> e.path().equals(BundleLayout.BINDING_KEY))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the genuine bundle must carry a binding key"));
        byte[] swapped = key.content().clone();
        swapped[0] ^= 0x01;
        refused("binding-key-swapped", SECRET_MISMATCH, () -> withSecret(key, key.file(), swapped));
        refused(
                "binding-key-other-length",
                SECRET_MISMATCH,
                () -> withSecret(key, key.file(), concat(key.content(), EVIL)));
        List<FileEntry> withoutKey = new ArrayList<>(g.manifest().files());
        withoutKey.remove(key.file());
        refused(
                "binding-key-missing",
                UNSAFE_FIELD,
                () -> g.payload(g.head(g.withFiles(withoutKey)), Map.of(key.path(), r -> {}))
                        .endOfArchive());
        refused(
                "binding-key-with-a-hash",
                UNSAFE_FIELD,
                () -> withSecret(
                        key,
                        new SecretDigest(
                                SecretDigest.BINDING_KEY_KDF, 0, null, RawBundleWriter.sha256Hex(key.content())),
                        key.content()));
        refused(
                "secret-listed-as-a-binding-key",
                UNSAFE_FIELD,
                () -> withSecret(token, SecretDigest.BINDING_KEY, token.content()));
        // The true HMAC of the token's bytes under the true key, but for another path: the path is part of what it
        // binds.
        refused(
                "secret-hmac-of-another-path",
                SECRET_MISMATCH,
                () -> withSecret(
                        token,
                        SecretDigest.hmac(
                                RawBundleWriter.sha256Hex(key.content()),
                                BundleLayout.PROXY_PASSWORD,
                                RawBundleWriter.sha256Hex(token.content())),
                        token.content()));
        // Fields only a PBKDF2 has, on an HMAC or on the key: refused, whatever their value.
        for (String slowOnly : new String[] {"\"iterations\" : 0", "\"salt\" : \"" + "00".repeat(16) + "\""}) {
            String field = slowOnly.substring(1, slowOnly.indexOf('"', 1));
            refused("secret-hmac-with-" + field, UNSAFE_FIELD, () -> withSecretField(token, slowOnly));
            refused("binding-key-with-" + field, UNSAFE_FIELD, () -> withSecretField(key, slowOnly));
        }
    }

    /**
     * A bundle made before the binding key: its secrets bound by a salted PBKDF2, with no key. Verified still, and
     * refused when the digest does not fit or would make guessing cheap.
     */
    private void slowSecrets(Entry token) {
        String salt = "00".repeat(SecretDigest.SALT_BYTES);
        SecretDigest d =
                RawBundleWriter.slowDigest(RawBundleWriter.sha256Hex(token.content()), salt, SecretDigest.ITERATIONS);
        refused(
                "secret-wrong-salt",
                SECRET_MISMATCH,
                () -> withSlowSecret(token, new SecretDigest(d.kdf(), d.iterations(), flipHex(d.salt()), d.hash())));
        refused(
                "secret-wrong-slow-hash",
                SECRET_MISMATCH,
                () -> withSlowSecret(token, new SecretDigest(d.kdf(), d.iterations(), d.salt(), flipHex(d.hash()))));
        // A digest that fits the bytes but is cheap to test guesses against: refused however true it is.
        SecretDigest cheap = RawBundleWriter.slowDigest(RawBundleWriter.sha256Hex(token.content()), salt, 1000);
        refused("secret-iterations-below-floor", UNSAFE_FIELD, () -> withSlowSecret(token, cheap));
        refused(
                "secret-iterations-absurd",
                UNSAFE_FIELD,
                () -> withSlowSecret(token, new SecretDigest(d.kdf(), 1L << 40, d.salt(), d.hash())));
        refused(
                "secret-unknown-kdf",
                UNSAFE_FIELD,
                () -> withSlowSecret(token, new SecretDigest("argon2id", d.iterations(), d.salt(), d.hash())));
        refused("secret-slow-beside-a-binding-key", UNSAFE_FIELD, () -> withSecret(token, d, token.content()));
        // Both kinds in one bundle: the token by its HMAC under the key, a proxy password by a PBKDF2. No writer mixes
        // them, and a verifier does not guess which one a bundle meant.
        List<FileEntry> mixed = new ArrayList<>(g.manifest().files());
        mixed.add(FileEntry.secret(BundleLayout.PROXY_PASSWORD, "0600", d));
        mixed.sort(Comparator.comparing(FileEntry::path, PayloadPaths.ORDER));
        refused(
                "secret-slow-beside-an-hmac-secret",
                UNSAFE_FIELD,
                () -> g.payload(g.head(g.withFiles(mixed)), Map.of()).endOfArchive());
    }

    /** The genuine bundle whose manifest has {@code field} (JSON) first in the {@code secret} object of {@code e}. */
    private RawBundleWriter withSecretField(Entry e, String field) {
        String json = new String(ManifestCodec.encode(g.manifest()), StandardCharsets.UTF_8);
        String object = "\"secret\" : {";
        int at = json.indexOf(object, json.indexOf("\"path\" : \"" + e.path() + "\",")) + object.length();
        return withManifestText(json.substring(0, at) + field + "," + json.substring(at));
    }

    /** The genuine bundle as one made before the binding key: no key, and the token listed with {@code digest}. */
    private RawBundleWriter withSlowSecret(Entry token, SecretDigest digest) {
        List<FileEntry> files = new ArrayList<>(g.manifest().files());
        files.removeIf(f -> f.path().equals(BundleLayout.BINDING_KEY));
        files.set(
                files.indexOf(token.file()),
                FileEntry.secret(token.path(), token.file().mode(), digest));
        return g.payload(g.head(g.withFiles(files)), Map.of(BundleLayout.BINDING_KEY, r -> {}))
                .endOfArchive();
    }

    /** The genuine bundle whose manifest lists {@code digest} for the secret {@code e}, carrying {@code content} for it. */
    private RawBundleWriter withSecret(Entry e, SecretDigest digest, byte[] content) {
        return withSecret(e, FileEntry.secret(e.path(), e.file().mode(), digest), content);
    }

    private RawBundleWriter withSecret(Entry e, FileEntry listed, byte[] content) {
        List<FileEntry> files = new ArrayList<>(g.manifest().files());
        files.set(files.indexOf(e.file()), listed);
        return g.payload(g.head(g.withFiles(files)), Map.of(e.path(), r -> r.file(e.path(), content, e.mode())))
                .endOfArchive();
    }

    /** The same hex string with its first digit changed. */
    private static String flipHex(String hex) {
        return (hex.charAt(0) == '0' ? "1" : "0") + hex.substring(1);
    }

    /**
     * Every profile field that reaches the host (issue 21, one validator): the verifier refuses each (exit 3,
     * unsafe-field, or unsafe-path for a template target that climbs out), so install never meets it. The names
     * start with {@code field-}; {@code HostFieldAgreementTest} in the installer checks that the installer's own
     * rendering, unit writing and self-test planning refuse or misuse each of them, so the verify-time rule is needed.
     */
    private void hostFields() {
        trick = "fields";
        refusedProfile("field-profile-name-newline", UNSAFE_FIELD, p -> p.put("name", "prod\nExecStartPre=/bin/sh"));
        refusedProfile(
                "field-agent-exec-control-character",
                UNSAFE_FIELD,
                p -> exec(p, "{{installDir}}/runtime/bin/agent", "--x\u001b]0;owned\u0007"));
        refusedProfile(
                "field-agent-exec-unknown-variable",
                UNSAFE_FIELD,
                p -> exec(p, "{{installDir}}/runtime/bin/agent", "{{secrets.token}}"));
        refusedProfile(
                "field-agent-exec-relative-program",
                UNSAFE_FIELD,
                p -> exec(p, "agent", "--config", "{{configDir}}/agent.yaml"));
        refusedProfile(
                "field-service-name-unit-injection",
                UNSAFE_FIELD,
                p -> section(p, "service").put("name", "bot\n[Service]\nExecStartPre=/bin/sh"));
        refusedProfile(
                "field-service-name-traversal",
                UNSAFE_FIELD,
                p -> section(p, "service").put("name", "../../etc/systemd/system/evil"));
        refusedProfile(
                "field-service-user-directive-injection",
                UNSAFE_FIELD,
                p -> section(p, "service").put("user", "root\nExecStartPre=/bin/sh"));
        refusedProfile(
                "field-service-user-not-an-account",
                UNSAFE_FIELD,
                p -> section(p, "service").put("user", "bob;id"));
        refusedProfile(
                "field-platform-endpoint-credentials",
                UNSAFE_FIELD,
                p -> section(p, "platform").put("endpoint", "https://svc:secret@api.example"));
        refusedProfile(
                "field-platform-endpoint-plain-http",
                UNSAFE_FIELD,
                p -> section(p, "platform").put("endpoint", "http://api.example"));
        refusedProfile(
                "field-platform-endpoint-not-a-url",
                UNSAFE_FIELD,
                p -> section(p, "platform").put("endpoint", "https://api example/"));
        refusedProfile(
                "field-platform-websocket-scheme",
                UNSAFE_FIELD,
                p -> platform(p).put("websocket", "file:///etc/shadow"));
        refusedProfile(
                "field-platform-healthpath-request-injection",
                UNSAFE_FIELD,
                p -> platform(p).put("healthPath", "/health HTTP/1.1\r\nHost: evil"));
        refusedProfile(
                "field-platform-cafile-not-the-bundles",
                UNSAFE_FIELD,
                p -> platform(p).put("caFile", "payload/config/../../etc/ssl/ca.pem"));
        refusedProfile(
                "field-proxy-url-credentials",
                UNSAFE_FIELD,
                p -> section(p, "proxy").put("url", "http://svc:secret@proxy.example:3128"));
        refusedProfile(
                "field-proxy-url-scheme",
                UNSAFE_FIELD,
                p -> section(p, "proxy").put("url", "socks5://proxy.example:1080"));
        refusedProfile("field-proxy-username-colon", UNSAFE_FIELD, p -> proxy(p).put("username", "svc:secret"));
        refusedProfile(
                "field-proxy-noproxy-env-injection",
                UNSAFE_FIELD,
                p -> proxy(p).putArray("noProxy").add(".corp.example\nLD_PRELOAD=/tmp/x.so"));
        refusedProfile(
                "field-proxy-password-file-not-the-secret",
                UNSAFE_FIELD,
                p -> proxy(p).put("passwordFile", g.entry(0).path()));
        refusedProfile(
                "field-template-target-traversal",
                UNSAFE_PATH,
                p -> template(p, templateSource(), "../../../etc/cron.d/evil"));
        refusedProfile(
                "field-template-target-absolute", UNSAFE_PATH, p -> template(p, templateSource(), "/etc/cron.d/evil"));
        refusedProfile(
                "field-template-target-backslash", UNSAFE_PATH, p -> template(p, templateSource(), "..\\..\\evil"));
        refusedProfile(
                "field-template-target-over-the-token", UNSAFE_PATH, p -> template(p, templateSource(), "token"));
        refusedProfile(
                "field-template-source-is-the-token",
                UNSAFE_FIELD,
                p -> template(p, g.manifest().token().path(), "agent.yaml"));
        refusedProfile(
                "field-template-source-undeclared",
                UNSAFE_FIELD,
                p -> template(p, BundleLayout.TEMPLATES + "missing.mustache", "agent.yaml"));
        refusedTemplate(
                "field-template-unknown-variable", "password: {{proxy.password}}\n".getBytes(StandardCharsets.UTF_8));
        refusedTemplate(
                "field-template-unclosed-section",
                "{{#platform}}\nurl: {{endpoint}}\n".getBytes(StandardCharsets.UTF_8));
        refusedTemplate("field-template-partial", "{{>/etc/shadow}}\n".getBytes(StandardCharsets.UTF_8));
        refusedTemplate("field-template-not-utf8", new byte[] {'a', ':', ' ', (byte) 0xff, (byte) 0xfe, '\n'});
        refusedProfile(
                "field-target-host-injection", UNSAFE_FIELD, p -> target(p, "ldap", "ldap.example;id", 636, "tls"));
        refusedProfile(
                "field-target-port-out-of-range", UNSAFE_FIELD, p -> target(p, "ldap", "ldap.example", 70000, "tls"));
        refusedProfile("field-target-unknown-probe", UNSAFE_FIELD, p -> target(p, "ldap", "ldap.example", 636, "icmp"));
        refusedProfile(
                "field-target-name-control-character",
                UNSAFE_FIELD,
                p -> target(p, "ldap\u001b[2J", "ldap.example", 636, "tls"));
        refusedProfile(
                "field-ntp-server-bad-port",
                UNSAFE_FIELD,
                p -> section(p, "prerequisites").putArray("ntpServers").add("ntp.example:99999"));
        refusedProfile(
                "field-prerequisites-unknown-os",
                UNSAFE_FIELD,
                p -> section(p, "prerequisites").putArray("os").add("plan9"));
        refusedProfile("field-profile-malformed", MALFORMED_MANIFEST, p -> p.put("targets", "not a list"));
        TokenInfo t = g.manifest().token();
        refused(
                "field-token-id-control-character",
                UNSAFE_FIELD,
                () -> g.payload(g.head(g.withToken(
                                new TokenInfo("id\u001b]0;owned\u0007", t.notBefore(), t.notAfter(), t.path()))))
                        .endOfArchive());
    }

    /** The genuine bundle with its manifest's profile edited by {@code edit} (a copy), signed by the trusted key. */
    private void refusedProfile(String name, Reason reason, Consumer<ObjectNode> edit) {
        refused(
                name,
                reason,
                () -> g.payload(g.head(withProfile(g.manifest(), edit))).endOfArchive());
    }

    /** A carried template {@code payload/templates/zz-hostile.mustache} with {@code content}, rendered by the profile. */
    private void refusedTemplate(String name, byte[] content) {
        FileEntry extra = RawBundleWriter.entryFor(BundleLayout.TEMPLATES + "zz-hostile.mustache", content, "0644");
        refused(name, UNSAFE_FIELD, () -> {
            RawBundleWriter raw =
                    g.head(withProfile(g.withExtraFile(extra), p -> template(p, extra.path(), "hostile.yaml")));
            boolean written = false;
            for (Entry e : g.entries()) {
                if (!written && PayloadPaths.ORDER.compare(extra.path(), e.path()) < 0) {
                    raw.file(extra.path(), content, 0644);
                    written = true;
                }
                raw.file(e.path(), e.content(), e.mode());
            }
            if (!written) {
                raw.file(extra.path(), content, 0644);
            }
            return raw.endOfArchive();
        });
    }

    private static Manifest withProfile(Manifest m, Consumer<ObjectNode> edit) {
        ObjectNode profile = m.profile().deepCopy();
        edit.accept(profile);
        return new Manifest(
                m.format(),
                m.name(),
                m.version(),
                m.sequence(),
                m.createdAt(),
                m.expiresAt(),
                profile,
                m.token(),
                m.files(),
                m.base());
    }

    private static ObjectNode section(ObjectNode profile, String name) {
        return profile.get(name) instanceof ObjectNode existing ? existing : profile.putObject(name);
    }

    private static ObjectNode platform(ObjectNode profile) {
        ObjectNode platform = section(profile, "platform");
        if (!platform.has("endpoint")) {
            platform.put("endpoint", "https://api.example");
        }
        return platform;
    }

    private static ObjectNode proxy(ObjectNode profile) {
        ObjectNode proxy = section(profile, "proxy");
        if (!proxy.has("url")) {
            proxy.put("url", "http://proxy.example:3128");
        }
        return proxy;
    }

    private static void exec(ObjectNode profile, String... args) {
        ArrayNode exec = section(profile, "agent").putArray("exec");
        for (String arg : args) {
            exec.add(arg);
        }
    }

    private static void template(ObjectNode profile, String source, String target) {
        profile.putArray("templates").addObject().put("source", source).put("target", target);
    }

    private static void target(ObjectNode profile, String name, String host, int port, String probe) {
        profile.putArray("targets")
                .addObject()
                .put("name", name)
                .put("host", host)
                .put("port", port)
                .put("probe", probe);
    }

    /** A genuine file to name as a template source where only the target is hostile. */
    private String templateSource() {
        return g.entries().stream()
                .map(Entry::path)
                .filter(p -> p.startsWith(BundleLayout.TEMPLATES))
                .findFirst()
                .orElse(g.entry(0).path());
    }

    /** The genuine manifest as a delta against {@code base} (may be null), with {@code reused} marked from: base. */
    private Manifest delta(DeltaBase base, String reused) {
        Manifest m = g.manifest();
        List<FileEntry> files = m.files().stream()
                .map(f -> f.path().equals(reused) ? f.reused() : f)
                .toList();
        return new Manifest(
                m.format(),
                m.name(),
                m.version(),
                m.sequence(),
                m.createdAt(),
                m.expiresAt(),
                m.profile(),
                m.token(),
                files,
                base);
    }

    private void refused(String name, Reason reason, Supplier<RawBundleWriter> build) {
        add(name, VERIFICATION, VERIFICATION, reason, build);
    }

    /** The genuine manifest plus {@code extra} (signed), and the payload with {@code write} at the extra file's place. */
    private void refusedExtra(String name, Reason reason, FileEntry extra, Consumer<RawBundleWriter> write) {
        refused(name, reason, () -> {
            RawBundleWriter raw = g.head(g.withExtraFile(extra));
            boolean written = false;
            for (Entry e : g.entries()) {
                if (!written && PayloadPaths.ORDER.compare(extra.path(), e.path()) < 0) {
                    write.accept(raw);
                    written = true;
                }
                raw.file(e.path(), e.content(), e.mode());
            }
            if (!written) {
                write.accept(raw);
            }
            return raw.endOfArchive();
        });
    }

    private void refusedFile(String name, Reason reason, Supplier<byte[]> bytes) {
        addFile(name, VERIFICATION, VERIFICATION, reason, bytes);
    }

    private void add(String name, ExitCode verify, ExitCode install, Reason reason, Supplier<RawBundleWriter> build) {
        Path file = file(name);
        build.get().writeTo(file);
        cases.add(new HostileCase(name, trick, verify, install, reason, file));
    }

    private void addFile(String name, ExitCode verify, ExitCode install, Reason reason, Supplier<byte[]> bytes) {
        Path file = file(name);
        try {
            Files.createDirectories(dir);
            Files.write(file, bytes.get());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cases.add(new HostileCase(name, trick, verify, install, reason, file));
    }

    private Path file(String name) {
        if (cases.stream().anyMatch(c -> c.name().equals(name))) {
            throw new IllegalStateException("two cases named " + name);
        }
        return dir.resolve(name + ".bundle.tar.zst");
    }

    /** The head, then {@code before}, then the genuine payload is up to the caller. */
    private static RawBundleWriter first(RawBundleWriter head, Consumer<RawBundleWriter> before) {
        before.accept(head);
        return head;
    }

    /** The genuine bundle with its first payload entry written by {@code instead}. */
    private RawBundleWriter replaceFirst(Consumer<RawBundleWriter> instead) {
        return g.payload(g.head(), Map.of(g.entry(0).path(), instead)).endOfArchive();
    }

    /** A manifest that declares {@code path} (signed) and an archive that carries it first, as declared. */
    private RawBundleWriter declaredExtra(String path, byte[] content, String mode) {
        FileEntry extra = RawBundleWriter.entryFor(path, content, mode);
        List<FileEntry> files = new ArrayList<>(List.of(extra));
        files.addAll(g.manifest().files());
        return g.payload(g.head(g.withFiles(files)).file(path, content, Integer.parseInt(mode, 8)))
                .endOfArchive();
    }

    private RawBundleWriter declaredMode(Entry e, String mode, int bits) {
        List<FileEntry> files = new ArrayList<>(g.manifest().files());
        FileEntry f = e.file();
        files.set(files.indexOf(f), new FileEntry(f.path(), f.size(), f.sha256(), mode));
        return g.payload(g.head(g.withFiles(files)), Map.of(e.path(), r -> r.file(e.path(), e.content(), bits)))
                .endOfArchive();
    }

    private RawBundleWriter withManifestText(String json) {
        return g.payload(g.signedBytes(utf8(json))).endOfArchive();
    }

    private Path victim() {
        return s.outside().toAbsolutePath().resolve("victim");
    }

    /** {@code outside} as a path relative to "/", for names that climb out with "../". */
    private String outsideRelative() {
        return s.outside().toAbsolutePath().toString().replaceFirst("^/+", "");
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        if (slash <= BundleLayout.PAYLOAD.length() - 1) {
            throw new IllegalArgumentException("the first genuine file must be in a folder below payload/: " + path);
        }
        return path.substring(0, slash);
    }

    private static TarArchiveEntry tarEntry(String name, byte type) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
        entry.setUserName("");
        entry.setGroupName("");
        entry.setModTime(FileTime.from(Instant.EPOCH));
        return entry;
    }

    private static TarArchiveEntry regular(Entry e) {
        TarArchiveEntry entry = tarEntry(e.path(), TarConstants.LF_NORMAL);
        entry.setSize(e.content().length);
        entry.setMode(e.mode());
        return entry;
    }

    private static TarArchiveEntry device(String name, byte type) {
        TarArchiveEntry entry = tarEntry(name, type);
        entry.setMode(0666);
        entry.setDevMajor(1);
        entry.setDevMinor(3);
        return entry;
    }

    private static String cyrillic(String s) {
        String swapped = s.replace('a', '\u0430')
                .replace('e', '\u0435')
                .replace('o', '\u043e')
                .replace('A', '\u0410')
                .replace('E', '\u0415')
                .replace('O', '\u041e');
        if (swapped.equals(s)) {
            throw new IllegalArgumentException("no a, e or o to swap for a Cyrillic look-alike in " + s);
        }
        return swapped;
    }

    private static String swapCase(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
        if (b.toString().equals(s)) {
            throw new IllegalArgumentException("no letter to change the case of in " + s);
        }
        return b.toString();
    }

    private byte[] fileBytes(RawBundleWriter raw) {
        try {
            Path tmp = dir.resolve(".rebuilt-genuine.tmp");
            try {
                return Files.readAllBytes(raw.writeTo(tmp));
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One pax record, {@code "LEN KEY=VALUE\n"}, LEN counting itself. */
    private static byte[] paxRecord(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int length = utf8(body).length;
        length += String.valueOf(length + String.valueOf(length).length()).length();
        return utf8(length + body);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
