package dev.ferry.installer.transaction;

import dev.ferry.common.FerryException;
import dev.ferry.installer.host.HostPaths;
import dev.ferry.profiles.ConfigTemplates;
import dev.ferry.profiles.Profile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step 5's rendering, done in memory before anything on the host changes, so a template error (a missing
 * variable, a bad target) leaves the host untouched. Config templates are small text files; payload files are
 * never rendered.
 *
 * @param files config file name (relative to the config folder) to content
 * @param exec {@code agent.exec} with its variables filled in
 */
public record RenderedConfig(Map<String, byte[]> files, List<String> exec) {
    private static final long MAX_TEMPLATE_BYTES = 1024 * 1024;

    public static RenderedConfig render(Profile profile, Path releaseDir, HostPaths paths) {
        Map<String, Object> vars = TemplateVariables.of(profile, paths);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Profile.Template t : profile.templates() == null ? List.<Profile.Template>of() : profile.templates()) {
            String source = TemplateVariables.releaseRelative(t.source());
            Path file = releaseDir.resolve(source).normalize();
            if (!file.startsWith(releaseDir) || t.target() == null || !safeTarget(paths, t.target())) {
                throw FerryException.usage(
                        "template " + t.source() + " -> " + t.target() + ": unsafe source or target");
            }
            try {
                if (Files.size(file) > MAX_TEMPLATE_BYTES) {
                    throw FerryException.usage("template " + t.source() + ": larger than 1 MiB");
                }
                String text = Files.readString(file, StandardCharsets.UTF_8);
                files.put(t.target(), apply(t.source(), text, vars).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw FerryException.usage(
                        "template " + t.source() + ": cannot read it from the release: " + e.getMessage());
            }
        }
        List<String> exec = new ArrayList<>();
        if (profile.agent() != null && profile.agent().exec() != null) {
            for (String arg : profile.agent().exec()) {
                exec.add(apply("agent.exec", arg, vars));
            }
        }
        return new RenderedConfig(files, List.copyOf(exec));
    }

    /** Renders one template; a missing variable is an error naming the template, the variable and the line. */
    static String apply(String name, String text, Map<String, Object> vars) {
        try {
            return ConfigTemplates.render(name, text, vars);
        } catch (ConfigTemplates.RenderException e) {
            throw FerryException.usage(e.getMessage());
        }
    }

    private static boolean safeTarget(HostPaths paths, String target) {
        Path resolved = paths.configDir().resolve(target).normalize();
        return !target.isBlank()
                && resolved.startsWith(paths.configDir())
                && !resolved.equals(paths.configDir())
                && !resolved.equals(paths.tokenFile())
                && !resolved.equals(paths.proxyPasswordFile());
    }
}
