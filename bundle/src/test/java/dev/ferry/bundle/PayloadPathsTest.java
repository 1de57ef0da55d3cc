package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The manifest's path rules and order are checked for every file of a bundle before its first payload byte is read,
 * so they take shortcuts: plain ASCII paths skip the Unicode checks, and the order compares characters instead of
 * encoding both paths. These properties hold the shortcuts to the rules they stand for.
 */
class PayloadPathsTest {
    /** Paths built from what matters to the rules: slashes, dots, ASCII, controls, backslashes, accents, surrogates. */
    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> tail = Arbitraries.strings()
                .withChars('/', '.', 'a', 'Z', '0', '-', ' ', '\\', '\u0001', '\u007f', '\u0085', '\u00e9')
                .withChars('e', '\u0301', '\ud83d', '\ude00', '\uffff')
                .ofMaxLength(24);
        return Arbitraries.oneOf(tail, tail.map(t -> BundleLayout.PAYLOAD + t), tail.map(t -> "/" + t));
    }

    @Property
    void theShortcutsGiveTheSameVerdictAsEveryRule(@ForAll("paths") String path) {
        assertThat(PayloadPaths.problem(path)).isEqualTo(PayloadPaths.anyProblem(path));
    }

    @Property
    void pathsSortAsTheirUtf8Bytes(@ForAll("paths") String a, @ForAll("paths") String b) {
        int bytes = Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
        assertThat(Integer.signum(PayloadPaths.ORDER.compare(a, b))).isEqualTo(Integer.signum(bytes));
    }

    @Test
    void aCharacterBeyondTheBasicPlaneSortsAfterEveryOtherOne() {
        // UTF-16 puts U+1F600 (a surrogate pair) before U+FFFF; its UTF-8 bytes, and the order of files, do not.
        assertThat(PayloadPaths.ORDER.compare("payload/\ud83d\ude00", "payload/\uffff"))
                .isPositive();
        assertThat(PayloadPaths.ORDER.compare("payload/a", "payload/a/b")).isNegative();
    }

    @Test
    void plainPathsKeepTheirReasons() {
        assertThat(PayloadPaths.problem("payload/a//b")).isEqualTo("empty segment ('//') in path");
        assertThat(PayloadPaths.problem("payload/../etc/passwd")).isEqualTo("'..' segment in path");
        assertThat(PayloadPaths.problem("payload/a/.")).isEqualTo("'.' segment in path");
        assertThat(PayloadPaths.problem("payload/a/")).isEqualTo("trailing '/' (directories are not entries)");
        assertThat(PayloadPaths.problem("payload/" + "a".repeat(PayloadPaths.MAX_PATH_BYTES)))
                .startsWith("path longer than");
        assertThat(PayloadPaths.problem("payload/.hidden/..x")).isNull();
    }
}
