package dev.ferry.installer.selftest;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code noProxy} list, with curl's rules: {@code *} matches every host; {@code .corp.example} and
 * {@code corp.example} match that domain and its subdomains; an IP literal or a CIDR such as {@code 10.0.0.0/8}
 * matches hosts given as IP literals in that range (names are not resolved to decide, as with curl).
 */
final class NoProxy {
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9a-fA-F:]*:[0-9a-fA-F:.]*]?");

    private NoProxy() {}

    static boolean matches(List<String> noProxy, String host) {
        String h = bare(host).toLowerCase(Locale.ROOT);
        for (String raw : noProxy) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equals("*")) {
                return true;
            }
            if (entry.contains("/")) {
                if (inCidr(h, entry)) {
                    return true;
                }
                continue;
            }
            String domain = bare(entry.startsWith(".") ? entry.substring(1) : entry);
            if (h.equals(domain) || h.endsWith("." + domain)) {
                return true;
            }
            if (isIpLiteral(h) && isIpLiteral(domain) && sameAddress(h, domain)) {
                return true;
            }
        }
        return false;
    }

    static boolean isIpLiteral(String host) {
        String h = bare(host);
        return !h.isEmpty()
                && IP_LITERAL.matcher(h).matches()
                && (h.contains(":") || h.chars().filter(c -> c == '.').count() == 3);
    }

    static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static boolean inCidr(String host, String cidr) {
        int slash = cidr.indexOf('/');
        String network = bare(cidr.substring(0, slash));
        if (!isIpLiteral(host) || !isIpLiteral(network)) {
            return false;
        }
        try {
            byte[] a = InetAddress.getByName(host).getAddress();
            byte[] n = InetAddress.getByName(network).getAddress();
            int bits = Integer.parseInt(cidr.substring(slash + 1));
            if (a.length != n.length || bits < 0 || bits > a.length * 8) {
                return false;
            }
            int shift = a.length * 8 - bits;
            return new BigInteger(1, a).shiftRight(shift).equals(new BigInteger(1, n).shiftRight(shift));
        } catch (UnknownHostException | NumberFormatException e) {
            return false; // IP literals never trigger a lookup; a malformed entry matches nothing
        }
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
