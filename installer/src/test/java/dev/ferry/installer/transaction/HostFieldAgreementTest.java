package dev.ferry.installer.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ferry.common.Sanitizer;
import dev.ferry.installer.host.HostLayout;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.service.ServiceSpec;
import dev.ferry.installer.service.SystemdUnit;
import dev.ferry.installer.service.WindowsCommandLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, one validator: whatever the bundle verifier accepts, the installer uses as it is. Thousands of hostile
 * variants of every host-facing profile field (and of a template's text) are put into a manifest; each one the
 * verifier's manifest rules (and its template check) accept goes through what the install does with it: the name
 * and version as folder names, template rendering and {@code agent.exec}, the service spec, the systemd unit and the
 * Windows command line, {@code proxy.env}. None may throw, and none may add a line to the unit or the environment
 * file. A check added to the install's content handling without a verify-time rule fails here as soon as a variant
 * reaches it. The other direction (every verify-time rule refuses its case, exit 3, in verify and in install) is the
 * hostile corpus's {@code fields} family, run in-process by HostileCorpusTest and through bin/installer by e2e's
 * HostileBundlesTest.
 *
 * <p>The self-test plan's side (URL parsing, targets) is cli's SelfTestPlanAgreementTest; the NTP server parser
 * and the target probe switch are not reached from a test (package-private, behind the network): their corpus cases
 * are {@code field-ntp-server-bad-port} and {@code field-target-unknown-probe}.
 */
class HostFieldAgreementTest {
    private static final int TRIES = 1500;

    @TempDir
    Path work;

    @Test
    void whatTheVerifierAcceptsTheInstallerUsesAsItIs() throws IOException {
        HostPaths paths = new HostPaths(work.resolve("root"), "sample-bot");
        Baseline baseline = baseline(paths);
        HostileFieldVariants variants = new HostileFieldVariants(21);
        int accepted = 0;
        Set<String> acceptedFields = new TreeSet<>();
        for (int i = 0; i < TRIES; i++) {
            HostileFieldVariants.Accepted v = variants.next();
            if (v == null) {
                continue;
            }
            accepted++;
            acceptedFields.add(v.field());
            try {
                install(v, paths, baseline);
            } catch (RuntimeException | IOException | AssertionError e) {
                fail(
                        "the verifier accepted " + v.field() + " = " + Sanitizer.quote(v.value())
                                + ", but the installer: " + e,
                        e);
            }
        }
        System.out.printf(
                "host-field agreement: %d of %d variants accepted by the verifier, all used as they are by the installer%n",
                accepted, TRIES);
        assertThat(accepted).as("the variants also reach the installer").isGreaterThan(TRIES / 10);
        assertThat(acceptedFields)
                .as("accepted variants of most fields")
                .hasSizeGreaterThan(HostileFieldVariants.FIELDS.size() / 2);
    }

    /** What the install does with the verified manifest's host-facing fields, short of starting anything. */
    private void install(HostileFieldVariants.Accepted v, HostPaths paths, Baseline baseline) throws IOException {
        HostLayout.requireSafe("name", v.manifest().name());
        HostLayout.requireSafe("version", v.manifest().version());
        RenderedConfig config = RenderedConfig.render(v.profile(), release(v.templateText()), paths);
        for (String target : config.files().keySet()) {
            Path file = paths.configDir().resolve(target).normalize();
            assertThat(file.startsWith(paths.configDir()) && !file.equals(paths.tokenFile()))
                    .as(target)
                    .isTrue();
        }
        ServiceSpec spec = ServiceSpecs.of(v.profile(), paths, config.exec());
        assertThat(keys(SystemdUnit.render(spec))).as("the unit's settings").isEqualTo(baseline.unitKeys());
        WindowsCommandLine.join(config.exec());
        assertThat(keys(ConfigWriter.proxyEnv(v.profile().proxy())))
                .as("proxy.env's variables")
                .isEqualTo(baseline.envKeys());
    }

    private record Baseline(List<String> unitKeys, List<String> envKeys) {}

    private Baseline baseline(HostPaths paths) throws IOException {
        HostileFieldVariants.Accepted good = HostileFieldVariants.baseline();
        RenderedConfig config = RenderedConfig.render(good.profile(), release(good.templateText()), paths);
        return new Baseline(
                keys(SystemdUnit.render(ServiceSpecs.of(good.profile(), paths, config.exec()))),
                keys(ConfigWriter.proxyEnv(good.profile().proxy())));
    }

    /** A staged release holding the template as the verifier streamed it. */
    private Path release(String templateText) throws IOException {
        Path release = Files.createDirectories(work.resolve("release"));
        Files.createDirectories(release.resolve("templates"));
        Files.writeString(release.resolve("templates/agent.yaml.mustache"), templateText, StandardCharsets.UTF_8);
        return release;
    }

    /** The setting names of a unit or an environment file, in order: an injected line shows up as one more. */
    private static List<String> keys(String file) {
        return file.lines()
                .filter(l -> !l.isBlank())
                .map(l -> l.startsWith("[") ? l : l.substring(0, Math.max(0, l.indexOf('='))))
                .toList();
    }
}
