package dev.ferry.bundler.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.bundle.testing.TestBundles;
import dev.ferry.bundle.testing.TestKeys;
import dev.ferry.common.ExitCode;
import dev.ferry.common.FerryException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kit with the real verifier, a real bundle and the real stock tools (sh, tar, gzip, sha256sum, tail); the
 * installer image is a small stand-in whose {@code bin/installer} records how the kit called it, so these tests
 * run in seconds. The end-to-end test (e2e KitEndToEndTest) packs the real jpackage image.
 */
class KitBuilderTest {
    private static final Clock CLOCK = Clock.fixed(TestBundles.CREATED_AT.plus(Duration.ofDays(1)), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    Path image;
    TestKeys.TestKey key;
    Path bundle;
    Path out;

    @BeforeEach
    void setUp() throws IOException {
        image = fakeInstallerImage(tmp.resolve("image"));
        key = TestKeys.create(Files.createDirectories(tmp.resolve("keys")), "release");
        bundle = TestBundles.bundle("certinext-bot", "1.4.2")
                .file("payload/runtime/bin/agent", "#!/bin/sh\necho agent\n", "0755")
                .signedBy(key)
                .writeTo(Files.createDirectories(tmp.resolve("bundles")))
                .path();
        out = tmp.resolve("out");
    }

    /** An image whose launcher prints its arguments and the embedded keys, and exits 7 (as a rolled-back install). */
    private static Path fakeInstallerImage(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("lib/app"));
        Files.createDirectories(dir.resolve("bin"));
        Path launcher = dir.resolve("bin/installer");
        Files.writeString(
                launcher,
                "#!/bin/sh\n"
                        + "echo \"args: $*\"\n"
                        + "here=$(dirname \"$0\")/..\n"
                        + "echo \"trust: $(ls \"$here/lib/app/trust.d\")\"\n"
                        + "echo \"bundle size: $(wc -c < \"$3\")\"\n"
                        + "exit 7\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("lib/app/installer.cfg"), "[Application]\n");
        return dir;
    }

    private Kit build() {
        return new KitBuilder(InstallerImage.at(image), KitBuilder.verifier(CLOCK))
                .build(bundle, List.of(key.publicPem()), out);
    }

    @Test
    void namedAfterTheBundleWithAChecksumFileThatSha256sumAccepts() {
        Kit kit = build();

        assertThat(kit.file().getFileName().toString()).isEqualTo("certinext-bot-1.4.2-linux-x64.kit.run");
        assertThat(kit.checksumFile().getFileName().toString())
                .isEqualTo("certinext-bot-1.4.2-linux-x64.kit.run.sha256");
        Run check = run(
                out,
                Map.of(),
                "sha256sum",
                "-c",
                kit.checksumFile().getFileName().toString());
        assertThat(check.exit).as(check.toString()).isZero();
        assertThat(check.stdout).contains("certinext-bot-1.4.2-linux-x64.kit.run: OK");
        assertThat(out)
                .isDirectoryContaining(p -> p.equals(kit.file()))
                .isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("."));
    }

    @Test
    void installRunsTheEmbeddedInstallerWithTheBundleAndTheFlagsAndPassesItsExitCodeThrough() throws IOException {
        Kit kit = build();
        Path temp = Files.createDirectories(tmp.resolve("host-tmp"));

        Run install = run(
                tmp,
                Map.of("TMPDIR", temp.toString()),
                "sh",
                kit.file().toString(),
                "install",
                "--root",
                "/srv/x",
                "--skip-selftest");

        assertThat(install.exit).as(install.toString()).isEqualTo(7);
        assertThat(install.stdout)
                .containsPattern("args: install --bundle " + temp + "/ferry-kit\\.\\w+/bundle/" + bundle.getFileName()
                        + " --root /srv/x --skip-selftest");
        assertThat(install.stdout).contains("trust: " + key.keyId() + ".pub.pem");
        assertThat(install.stdout).contains("bundle size: " + Files.size(bundle));
        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left).as("the temporary folder is removed").isEmpty();
        }
    }

    @Test
    void aKitWithOneByteFlippedInItsPayloadRefusesToRun() throws IOException {
        Kit kit = build();
        try (RandomAccessFile file = new RandomAccessFile(kit.file().toFile(), "rw")) {
            long at = file.length() - 1000;
            file.seek(at);
            int b = file.read();
            file.seek(at);
            file.write(b ^ 0x01);
        }

        Run install = run(tmp, Map.of(), "sh", kit.file().toString(), "install", "--root", "/srv/x");

        assertThat(install.exit).as(install.toString()).isEqualTo(ExitCode.VERIFICATION.code());
        assertThat(install.stderr).contains("is damaged or was altered").contains("sha256sum -c");
        assertThat(install.stdout).doesNotContain("args:");
        Run check = run(
                out,
                Map.of(),
                "sha256sum",
                "-c",
                kit.checksumFile().getFileName().toString());
        assertThat(check.exit).isNotZero();
    }

    @Test
    void theKitAndWhatItUnpacksAreReadableByTheirOwnerOnlyBecauseTheyHoldTheSecrets() throws IOException {
        Kit kit = build();
        Path dir = tmp.resolve("unpacked");

        Run extract = run(tmp, Map.of(), "sh", kit.file().toString(), "extract", dir.toString());

        assertThat(extract.exit).as(extract.toString()).isZero();
        assertThat(mode(kit.file())).isEqualTo("rw-------");
        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("bundle"))).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("bundle/" + bundle.getFileName()))).isEqualTo("rw-------");
        Run help = run(tmp, Map.of(), "sh", kit.file().toString(), "--help");
        assertThat(help.stdout).contains("keep it mode 0600");
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void extractOnlyUnpacksTheImageWithItsKeysAndTheBundle() throws IOException {
        Kit kit = build();
        Path dir = tmp.resolve("unpacked");

        Run extract = run(tmp, Map.of(), "sh", kit.file().toString(), "extract", dir.toString());

        assertThat(extract.exit).as(extract.toString()).isZero();
        assertThat(extract.stdout).doesNotContain("args:");
        assertThat(dir.resolve("installer/bin/installer")).isExecutable();
        assertThat(dir.resolve("installer/lib/app/trust.d/" + key.keyId() + ".pub.pem"))
                .hasSameTextualContentAs(key.publicPem());
        assertThat(dir.resolve("bundle/" + bundle.getFileName())).hasSameBinaryContentAs(bundle);
    }

    @Test
    void refusesAnotherArchitectureWithAClearMessage() throws IOException {
        Kit kit = build();
        Path tools = Files.createDirectories(tmp.resolve("tools"));
        Path uname = tools.resolve("uname");
        Files.writeString(uname, "#!/bin/sh\ncase \"$1\" in -s) echo Linux;; *) echo aarch64;; esac\n");
        Files.setPosixFilePermissions(uname, PosixFilePermissions.fromString("rwxr-xr-x"));

        Run install = run(
                tmp,
                Map.of("PATH", tools + ":" + System.getenv("PATH")),
                "sh",
                kit.file().toString(),
                "install");

        assertThat(install.exit).as(install.toString()).isEqualTo(ExitCode.PREFLIGHT.code());
        assertThat(install.stderr).contains("this kit is for Linux x86_64; this host is aarch64");
    }

    @Test
    void refusesWhenTheTemporaryFolderHasTooLittleSpace() throws IOException {
        Kit kit = build();
        Path tools = Files.createDirectories(tmp.resolve("tools"));
        Path df = tools.resolve("df");
        Files.writeString(
                df,
                "#!/bin/sh\necho 'Filesystem 1024-blocks Used Available Capacity Mounted on'\n"
                        + "echo 'tmpfs 1000 1000 0 100% /tmp'\n");
        Files.setPosixFilePermissions(df, PosixFilePermissions.fromString("rwxr-xr-x"));

        Run install = run(
                tmp,
                Map.of("PATH", tools + ":" + System.getenv("PATH")),
                "sh",
                kit.file().toString(),
                "install");

        assertThat(install.exit).as(install.toString()).isEqualTo(ExitCode.PREFLIGHT.code());
        assertThat(install.stderr).containsPattern("not enough free space in \\S+: 0 KiB free, \\d+ KiB needed");
    }

    @Test
    void withoutArgumentsOrWithHelpItPrintsUsage() {
        Kit kit = build();
        for (String[] args : List.of(new String[0], new String[] {"--help"})) {
            List<String> command = new ArrayList<>(List.of("sh", kit.file().toString()));
            command.addAll(List.of(args));
            Run help = run(tmp, Map.of(), command.toArray(String[]::new));
            assertThat(help.exit).as(help.toString()).isZero();
            assertThat(help.stdout)
                    .contains("Ferry kit: certinext-bot 1.4.2 (linux-x64)")
                    .contains("install [installer flags]")
                    .contains("extract DIR");
        }
        Run bad = run(tmp, Map.of(), "sh", kit.file().toString(), "unpack");
        assertThat(bad.exit).isEqualTo(ExitCode.USAGE.code());
        assertThat(bad.stderr).contains("unknown command 'unpack'");
    }

    @Test
    void refusesToPackABundleThatDoesNotVerifyAgainstTheKeysItWouldEmbed() throws IOException {
        TestKeys.TestKey stranger = TestKeys.create(tmp.resolve("keys"), "stranger");

        assertThatThrownBy(() -> new KitBuilder(InstallerImage.at(image), KitBuilder.verifier(CLOCK))
                        .build(bundle, List.of(stranger.publicPem()), out))
                .isInstanceOf(FerryException.class)
                .satisfies(e -> assertThat(((FerryException) e).exitCode()).isEqualTo(ExitCode.VERIFICATION));
        assertThat(out).doesNotExist();
    }

    @Test
    void theSameInputsGiveTheSameKitByteForByte() throws IOException {
        Path first = build().file();
        byte[] once = Files.readAllBytes(first);
        Files.delete(first);

        assertThat(build().file()).hasBinaryContent(once);
    }

    @Test
    void aFolderThatIsNotAnInstallerImageIsAUsageErrorNamingIt() {
        assertThatThrownBy(() -> InstallerImage.at(tmp))
                .isInstanceOf(FerryException.class)
                .hasMessageContaining(tmp.toString())
                .hasMessageContaining("--installer-image");
        assertThatThrownBy(() -> InstallerImage.locate(null, null))
                .isInstanceOf(FerryException.class)
                .hasMessageContaining("--installer-image");
    }

    record Run(int exit, String stdout, String stderr) {}

    private static Run run(Path dir, Map<String, String> env, String... command) {
        try {
            Path o = Files.createTempFile("kit", ".out");
            Path e = Files.createTempFile("kit", ".err");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectOutput(o.toFile())
                    .redirectError(e.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", command));
            }
            Run run = new Run(
                    p.exitValue(),
                    Files.readString(o, StandardCharsets.UTF_8),
                    Files.readString(e, StandardCharsets.UTF_8));
            Files.delete(o);
            Files.delete(e);
            return run;
        } catch (IOException | InterruptedException ex) {
            throw new AssertionError(ex);
        }
    }
}
