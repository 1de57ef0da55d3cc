package dev.ferry.bundler.cli;

import dev.ferry.cli.Json;
import dev.ferry.profiles.Profile;
import dev.ferry.profiles.ProfileJson;
import dev.ferry.profiles.ProfileLoader;
import dev.ferry.profiles.ProfileYaml;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bundler profile ...}: without a subcommand picocli reports "Missing required subcommand" (exit 2). */
@Command(
        name = "profile",
        mixinStandardHelpOptions = true,
        description = "Work with profiles.",
        subcommands = ProfileCommand.Show.class)
public final class ProfileCommand {

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Print the resolved profile (after extends, paths made absolute) as YAML, secrets redacted.")
    public static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The profile (YAML).")
        Path file;

        @Option(
                names = "--json",
                description = "Print the resolved profile as JSON, the form a bundle's manifest embeds.")
        boolean json;

        @Override
        public Integer call() {
            Profile profile = ProfileLoader.load(file);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Json.print(out, ProfileJson.toJson(ProfileYaml.redacted(profile)));
            } else {
                out.print(ProfileYaml.toYaml(profile));
                out.flush();
            }
            return 0;
        }
    }
}
