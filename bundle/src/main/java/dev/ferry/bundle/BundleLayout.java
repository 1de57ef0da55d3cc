package dev.ferry.bundle;

/** Every path inside a bundle, named once. */
public final class BundleLayout {
    public static final String MANIFEST = "manifest.json";
    public static final String SIGNATURES = "signatures/";
    public static final String SIGNATURE_SUFFIX = ".sig";
    public static final String PAYLOAD = "payload/";
    /** The agent runtime folder: {@code agent.runtime} of the profile. */
    public static final String RUNTIME = "payload/runtime/";
    /** Template sources, by file name; the manifest's profile names them here. */
    public static final String TEMPLATES = "payload/templates/";
    /** {@code platform.caFile}, when the profile sets it. */
    public static final String PLATFORM_CA = "payload/config/platform-ca.pem";
    /** Secret files: the token, the proxy password. Listed without a fast digest ({@link SecretDigest}). */
    public static final String SECRETS = "payload/secrets/";

    public static final String TOKEN = "payload/secrets/token";
    public static final String PROXY_PASSWORD = "payload/secrets/proxy-password";
    /** The key of the other secrets' HMACs ({@link BindingKey}); checked through them, in whatever order they come. */
    public static final String BINDING_KEY = "payload/secrets/binding-key";

    public static final long MAX_MANIFEST_BYTES = 4L * 1024 * 1024;

    private BundleLayout() {}

    public static String fileName(String name, String version) {
        return name + "-" + version + ".bundle.tar.zst";
    }

    /** Whether the bundle path names a secret file, listed with a {@link SecretDigest} instead of size and SHA-256. */
    public static boolean isSecret(String path) {
        return path.startsWith(SECRETS);
    }

    public static String signaturePath(String keyId) {
        return SIGNATURES + keyId + SIGNATURE_SUFFIX;
    }
}
