package dev.ferry.profiles;

import dev.ferry.common.Sanitizer;
import dev.ferry.profiles.Node.ScalarNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks of single values: names safe as file names, URLs of the expected scheme. */
final class Values {
    /** Names become folder and file names on both Linux and Windows. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private static final int MAX_NAME = 100;

    private Values() {}

    static String safeName(ScalarNode node, String field) {
        String value = node.text();
        if (!SAFE_NAME.matcher(value).matches() || value.length() > MAX_NAME) {
            throw ProfileErrors.at(
                    node,
                    field,
                    "expected letters, digits, '.', '_' or '-' (starting with a letter or " + "digit, at most "
                            + MAX_NAME + " characters), got '" + value + "'");
        }
        return value;
    }

    /**
     * A URL with one of {@code schemes}, a host and no credentials; the value is echoed in errors with any
     * credentials hidden. Credentials are refused in every URL: profiles are shared and committed, {@code profile
     * show} prints them and the manifest (world-readable on the host) copies them.
     *
     * @param whereCredentialsGo the remedy named when the URL carries credentials
     */
    static URI url(ScalarNode node, String field, Set<String> schemes, String expected, String whereCredentialsGo) {
        String shown = Redaction.url(node.text());
        // An '@' in what cannot be parsed as a plain host is taken as credentials (a password may hold '/' or '@').
        boolean credentials = !shown.equals(node.text());
        URI uri;
        try {
            uri = new URI(node.text());
        } catch (URISyntaxException e) {
            throw credentials
                    ? ProfileErrors.at(node, field, "credentials in the URL are refused: " + whereCredentialsGo)
                    : ProfileErrors.at(node, field, "expected " + expected + ", got " + Sanitizer.quote(shown));
        }
        boolean wrongScheme =
                uri.getScheme() == null || !schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT));
        if (!wrongScheme && (uri.getRawUserInfo() != null || credentials && uri.getHost() == null)) {
            throw ProfileErrors.at(node, field, "credentials in the URL are refused: " + whereCredentialsGo);
        }
        if (wrongScheme || uri.getHost() == null) {
            throw ProfileErrors.at(node, field, "expected " + expected + ", got " + Sanitizer.quote(shown));
        }
        return uri;
    }
}
