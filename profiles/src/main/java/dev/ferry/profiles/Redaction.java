package dev.ferry.profiles;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides the credentials of a URL or of a proxy setting, in every form one can take: {@code http://user:pass@host}
 * prints as {@code http://user:<redacted>@host}; without a scheme ({@code user:pass@host:3128}), with '/', '@' or
 * '%40' in the password, and a lone userinfo that may be a token ({@code https://TOKEN@host}) are hidden too.
 *
 * <p>The userinfo ends at the last '@': a password may hold '@' and '/', so no earlier character can be trusted to end
 * it. A URL whose path holds an '@' is over-redacted; that is the safe side.
 */
public final class Redaction {
    public static final String REDACTED = "<redacted>";
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://");

    private Redaction() {}

    public static String url(String url) {
        if (url == null) {
            return null;
        }
        Matcher scheme = SCHEME.matcher(url);
        int start = scheme.lookingAt() ? scheme.end() : 0;
        int at = url.lastIndexOf('@');
        if (at < start) {
            return url;
        }
        String userinfo = url.substring(start, at);
        int colon = userinfo.indexOf(':');
        String shown = colon < 0 ? REDACTED : userinfo.substring(0, colon) + ":" + REDACTED;
        return url.substring(0, start) + shown + url.substring(at);
    }
}
