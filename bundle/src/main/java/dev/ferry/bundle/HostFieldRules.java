package dev.ferry.bundle;

import dev.ferry.common.FerryException;
import dev.ferry.common.Reason;
import dev.ferry.common.Sanitizer;
import dev.ferry.profiles.HostFields;
import dev.ferry.profiles.Profile;
import dev.ferry.profiles.ProfileJson;
import java.util.List;

/**
 * Every manifest field that reaches the host, checked where the verifier checks everything else, so that a bundle
 * {@code verify} accepts is one the installer can use as it is: the profile's host-facing values by the one table
 * both sides consult ({@link HostFields}: {@code bundler create} refuses the same profiles up front), then what only
 * a manifest has: the bundle paths its profile names (template sources, the platform CA, the proxy password) and the
 * token id. Template text is checked as it streams ({@link TemplateTexts}).
 *
 * <p>Each refusal is one line naming the field; the reason is {@code unsafe-field}, or {@code unsafe-path} for a
 * template target that climbs out of the config folder. The installer keeps its own checks as a second line of
 * defence.
 */
final class HostFieldRules {
    private static final int MAX_TOKEN_ID = 256;

    private HostFieldRules() {}

    /** Why a host-facing field of {@code m} is refused, or null. */
    static ManifestCodec.Problem problem(Manifest m) {
        Profile profile;
        try {
            profile = ProfileJson.fromJson(m.profile());
        } catch (FerryException e) {
            return new ManifestCodec.Problem(Reason.MALFORMED_MANIFEST, e.getMessage());
        }
        HostFields.Problem field = HostFields.firstProblem(profile);
        if (field != null) {
            return new ManifestCodec.Problem(
                    field.path() ? Reason.UNSAFE_PATH : Reason.UNSAFE_FIELD, "profile." + field);
        }
        String why = bundlePaths(profile, m);
        if (why == null && m.token() != null) {
            why = tokenId(m.token().id());
        }
        return why == null ? null : new ManifestCodec.Problem(Reason.UNSAFE_FIELD, why);
    }

    /** The decoded profile of a manifest that {@link #problem} accepted. */
    static Profile profile(Manifest m) {
        return ProfileJson.fromJson(m.profile());
    }

    /** The files the profile names must be the manifest's own, each where the installer looks for it. */
    private static String bundlePaths(Profile p, Manifest m) {
        List<Profile.Template> templates = p.templates() == null ? List.of() : p.templates();
        for (int i = 0; i < templates.size(); i++) {
            String source = templates.get(i).source();
            FileEntry file = source == null ? null : ManifestCodec.fileAt(m, source);
            String field = "profile.templates[" + i + "].source: ";
            if (file == null || !source.startsWith(BundleLayout.TEMPLATES)) {
                return field + "expected one of the files under " + BundleLayout.TEMPLATES + ", got "
                        + Sanitizer.quote(source);
            }
            if (file.size() > TemplateTexts.MAX_TEMPLATE_BYTES) {
                return field + Sanitizer.quote(source) + " is larger than 1 MiB";
            }
        }
        if (p.platform() != null && p.platform().caFile() != null) {
            String why = bundleFile("profile.platform.caFile", p.platform().caFile(), BundleLayout.PLATFORM_CA, m);
            if (why != null) {
                return why;
            }
        }
        if (p.proxy() != null && p.proxy().passwordFile() != null) {
            return bundleFile("profile.proxy.passwordFile", p.proxy().passwordFile(), BundleLayout.PROXY_PASSWORD, m);
        }
        return null;
    }

    private static String bundleFile(String field, String value, String expected, Manifest m) {
        if (!value.equals(expected) || ManifestCodec.fileAt(m, expected) == null) {
            return field + ": expected " + Sanitizer.quote(expected) + ", one of the files, got "
                    + Sanitizer.quote(value);
        }
        return null;
    }

    /** The token id goes into {@code state.json}, revocation checks and {@code inspect}: plain, bounded text. */
    private static String tokenId(String id) {
        if (id.length() > MAX_TOKEN_ID || !Sanitizer.isPrintable(id)) {
            return "token.id " + Sanitizer.quote(id) + " is not printable text of at most " + MAX_TOKEN_ID
                    + " characters";
        }
        return null;
    }
}
