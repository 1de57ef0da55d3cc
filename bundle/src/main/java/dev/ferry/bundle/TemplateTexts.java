package dev.ferry.bundle;

import dev.ferry.common.Reason;
import dev.ferry.common.Sanitizer;
import dev.ferry.profiles.ConfigTemplates;
import dev.ferry.profiles.Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of the config templates a bundle carries, checked as it streams past: UTF-8, and every variable one the
 * installer will fill in for this profile ({@link ConfigTemplates}, the table the installer renders with). A
 * template that would not render on the host is refused by {@code verify} (unsafe-field), not by the install after
 * the payload was staged. Each template is checked as soon as its bytes are in and then dropped (at most 1 MiB at a
 * time); one whose bytes do not match the manifest is left to the verifier's hash check, which follows at once.
 *
 * <p>A delta's template that comes {@code from: base} is not in the bundle: its text is checked by the install,
 * which renders it after composing the release.
 */
final class TemplateTexts {
    static final long MAX_TEMPLATE_BYTES = 1024 * 1024;

    private TemplateTexts() {}

    /** {@code sink}, with every carried template source's text checked after the sink has seen it. */
    static PayloadSink checking(Manifest manifest, PayloadSink sink, String source) {
        if (manifest.profile().path("templates").isEmpty()) {
            // Most profiles have none: no second binding of the profile (tens of milliseconds in a cold JVM).
            return sink;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Profile profile = HostFieldRules.profile(manifest);
        List<Profile.Template> templates = profile.templates() == null ? List.of() : profile.templates();
        for (int i = 0; i < templates.size(); i++) {
            fields.putIfAbsent(templates.get(i).source(), "profile.templates[" + i + "].source");
        }
        if (fields.isEmpty()) {
            return sink;
        }
        return (entry, content) -> {
            String field = fields.get(entry.path());
            if (field == null) {
                sink.accept(entry, content);
                return;
            }
            Captured captured = new Captured(content, entry.size());
            sink.accept(entry, captured);
            captured.transferTo(OutputStream.nullOutputStream()); // what the sink left unread
            if (!captured.matches(entry.sha256())) {
                return;
            }
            String why = problem(entry, captured.bytes(), profile);
            if (why != null) {
                throw Reason.UNSAFE_FIELD.failure(source + ": " + field + ": " + why);
            }
        };
    }

    private static String problem(FileEntry entry, byte[] bytes, Profile profile) {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return Printable.quote(entry.path()) + " is not UTF-8 text";
        }
        String name = entry.path().substring(BundleLayout.TEMPLATES.length());
        String why = ConfigTemplates.problem(name, text, profile);
        return why == null ? null : Printable.quote(entry.path()) + ": " + Sanitizer.printable(why, 400);
    }

    /** The entry's bytes as the sink reads them, kept (a template is at most 1 MiB) and hashed. */
    private static final class Captured extends InputStream {
        private final InputStream in;
        private final ByteArrayOutputStream copy;
        private final MessageDigest sha256 = Sha256.digest();

        Captured(InputStream in, long size) {
            this.in = in;
            this.copy = new ByteArrayOutputStream((int) Math.min(size, MAX_TEMPLATE_BYTES));
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                copy.write(b);
                sha256.update((byte) b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                copy.write(buffer, offset, n);
                sha256.update(buffer, offset, n);
            }
            return n;
        }

        boolean matches(String expected) {
            return Sha256.hex(sha256).equals(expected);
        }

        byte[] bytes() {
            return copy.toByteArray();
        }
    }
}
