package dev.ferry.profiles;

import dev.ferry.profiles.Node.ScalarNode;
import java.net.URI;
import java.net.URISyntaxException;
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
            throw ProfileErrors.at(node, field, "expected letters, digits, '.', '_' or '-' (starting with a letter or "
                    + "digit, at most " + MAX_NAME + " characters), got '" + value + "'");
        }
        return value;
    }

    /** A URL with one of {@code schemes} and a host; the value is echoed in errors with any password hidden. */
    static URI url(ScalarNode node, String field, Set<String> schemes, String expected) {
        String shown = Redaction.url(node.text());
        URI uri;
        try {
            uri = new URI(node.text());
        } catch (URISyntaxException e) {
            throw ProfileErrors.at(node, field, "expected " + expected + ", got '" + shown + "'");
        }
        if (uri.getScheme() == null || !schemes.contains(uri.getScheme().toLowerCase()) || uri.getHost() == null) {
            throw ProfileErrors.at(node, field, "expected " + expected + ", got '" + shown + "'");
        }
        return uri;
    }
}
