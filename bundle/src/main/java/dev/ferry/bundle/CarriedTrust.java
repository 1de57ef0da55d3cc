package dev.ferry.bundle;

import dev.ferry.common.FerryException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code trust/VERSION.trust.json} entry of a bundle (SPEC section 10): a trust document carried across with the
 * bundle, right after the signatures. Not covered by the manifest's signatures, and it need not be: it is a signed
 * envelope that only a pinned chain can accept.
 */
public record CarriedTrust(long version, byte[] bytes) {
    public static final String DIR = "trust/";
    public static final int MAX_ENTRIES = 64;
    private static final Pattern NAME = Pattern.compile("trust/([1-9][0-9]{0,17})\\.trust\\.json");

    public CarriedTrust {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public String entryName() {
        return DIR + version + ".trust.json";
    }

    /** The version an entry name gives, or a VERIFICATION failure naming the entry. */
    static long versionOf(String entryName, String source) {
        Matcher m = NAME.matcher(entryName);
        if (!m.matches()) {
            throw FerryException.verification(
                    source + ": entry " + Printable.quote(entryName) + " is not named trust/VERSION.trust.json");
        }
        return Long.parseLong(m.group(1));
    }
}
