package dev.ferry.installer.cli;

import dev.ferry.cli.Json;
import dev.ferry.installer.diagnose.DiagnoseArchive;
import dev.ferry.installer.diagnose.DiagnoseInputs;
import dev.ferry.installer.diagnose.DiagnoseInputs.Unavailable;
import dev.ferry.installer.diagnose.ServiceJournal;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.installer.preflight.PreflightInput;
import dev.ferry.installer.status.Status;
import dev.ferry.installer.transaction.ServiceSpecs;
import dev.ferry.installer.trust.TrustStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The escalation archive (SPEC section 7). It must work on a broken or half-removed install, so every part that
 * cannot be produced is recorded as unavailable, with the reason, instead of failing the command.
 */
@Command(
        name = "diagnose",
        mixinStandardHelpOptions = true,
        description = "Write an escalation archive (.tar.gz) for support: host facts, network, status, preflight and"
                + " self-test results, redacted config and log excerpts. Never contains tokens, passwords or keys.")
public final class DiagnoseCommand implements Callable<Integer> {
    @Mixin
    HostOptions host;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The archive to write (.tar.gz).")
    Path out;

    @Override
    public Integer call() {
        HostRuntime rt = new HostRuntime(host);
        HostPaths paths = orNull(() -> rt.agent().orElse(null));
        Object status = paths == null
                ? new Unavailable("no agent is installed under " + rt.layout().root())
                : document(() -> {
                    var report = Status.of(paths, rt.serviceManager(paths.name()), rt.clock());
                    var doc = StatusCommand.withTrust(
                            report,
                            TrustStatus.of(
                                    rt.hostTrust(),
                                    report.token() == null
                                            ? null
                                            : report.token().id(),
                                    rt.clock().instant()));
                    doc.set(
                            "trustShow",
                            Json.MAPPER.valueToTree(TrustShowCommand.summary(rt))); // installer trust show --json
                    return doc;
                });
        PreflightInput installed = paths == null ? null : orNull(() -> PreflightCommand.installedInput(paths));
        Object preflight = installed == null
                ? new Unavailable("no installed release to check")
                : document(() -> rt.preflight(rt.serviceManager(paths.name())).run(installed));
        Object selftest = installed == null
                ? new Unavailable("no installed release to test")
                : document(() -> rt.connectivity(null).selfTest(installed.profile(), paths));

        List<Path> secretFiles = paths == null ? List.of() : List.of(paths.tokenFile(), paths.proxyPasswordFile());
        DiagnoseInputs inputs = new DiagnoseInputs(
                paths == null ? null : paths.name(),
                hostName(),
                rt.layout().root(),
                paths == null ? null : paths.configDir(),
                paths == null ? null : paths.logDir(),
                paths == null ? null : paths.dataDir(),
                paths == null ? List.of() : paths.writtenFolders(),
                status,
                preflight,
                selftest,
                secretFiles,
                secrets(secretFiles),
                null,
                rt.clock());
        Path written = DiagnoseArchive.write(
                out, inputs, paths == null ? Optional.empty() : orNull(() -> journal(rt, paths, installed)));
        spec.commandLine()
                .getOut()
                .println("wrote " + written + " (" + size(written) + " bytes): send it to support;"
                        + " it holds no token, password or private key");
        return 0;
    }

    /** The service manager's own log of the agent (systemd's journal), when it keeps one. */
    private static Optional<ServiceJournal> journal(HostRuntime rt, HostPaths paths, PreflightInput installed) {
        String service = installed == null ? paths.name() : ServiceSpecs.serviceName(installed.profile(), paths);
        return rt.serviceManager(paths.name())
                .journal(ServiceSpecs.byName(service, paths), DiagnoseArchive.LOG_LINES)
                .map(text -> new ServiceJournal("journalctl -u " + service + " -n " + DiagnoseArchive.LOG_LINES, text));
    }

    /** A document for the archive, or why it could not be produced. */
    private static Object document(Supplier<Object> part) {
        try {
            return part.get();
        } catch (RuntimeException e) {
            return new Unavailable(String.valueOf(e.getMessage()));
        }
    }

    private static <T> T orNull(Supplier<T> part) {
        try {
            return part.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Read only so the archive writer can redact them wherever they were copied; never written. */
    private static List<String> secrets(List<Path> files) {
        List<String> secrets = new ArrayList<>();
        for (Path file : files) {
            try {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) < 64 * 1024) {
                    String value =
                            Files.readString(file, StandardCharsets.UTF_8).strip();
                    if (!value.isEmpty()) {
                        secrets.add(value);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // An unreadable secret cannot have been copied anywhere by us either; nothing to redact.
            }
        }
        return secrets;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
