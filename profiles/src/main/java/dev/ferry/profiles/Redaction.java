package dev.ferry.profiles;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Hides the password of a URL's userinfo ({@code http://user:pass@host} prints as {@code http://user:<redacted>@host}). */
public final class Redaction {
    public static final String REDACTED = "<redacted>";
    // scheme://user:password@ - the password is everything up to the last '@' before the host part.
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://[^/@:]*):[^/]*@");

    private Redaction() {}

    public static String url(String url) {
        if (url == null) {
            return null;
        }
        Matcher m = USERINFO_PASSWORD.matcher(url);
        return m.find() ? m.group(1) + ":" + REDACTED + "@" + url.substring(m.end()) : url;
    }
}
