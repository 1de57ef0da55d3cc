package dev.ferry.profiles;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...?" for mistyped field names: the closest known name by edit distance, if it is close. */
final class Suggestions {
    private Suggestions() {}

    static Optional<String> closest(String typed, Collection<String> known) {
        int allowed = Math.max(1, Math.min(3, typed.length() / 3));
        return known.stream()
                .filter(candidate ->
                        distance(typed.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT)) <= allowed)
                .min(Comparator.comparingInt(
                        candidate -> distance(typed.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT))));
    }

    /** Levenshtein distance (insert, delete, replace; each costs 1). */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int replace = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(replace, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
