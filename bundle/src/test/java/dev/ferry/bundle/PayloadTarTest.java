package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/** The payload's tar stream is byte for byte the one commons-compress writes, so bundles keep their bytes. */
class PayloadTarTest {
    private static final Instant MTIME = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void theSameBytesAsTheLibraryForEveryKindOfEntry() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("payload/runtime/bin/agent", "#!/bin/sh\necho agent\n".getBytes(StandardCharsets.UTF_8));
        files.put("payload/runtime/empty", new byte[0]);
        files.put("payload/runtime/one-record", random(512));
        files.put("payload/runtime/" + "deep/".repeat(40) + "past-the-ustar-name-field.jar", random(3_000_001));
        files.put("payload/runtime/ünïcode-名前.txt", "a pax header for the name\n".getBytes(StandardCharsets.UTF_8));
        files.put("payload/secrets/token", random(513));

        ByteArrayOutputStream library = new ByteArrayOutputStream();
        TarArchiveOutputStream tar = TarEntries.open(library);
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        PayloadTar payload = new PayloadTar(ours);
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            byte[] data = file.getValue();
            tar.putArchiveEntry(TarEntries.regularFile(file.getKey(), data.length, 0644, MTIME));
            tar.write(data);
            tar.closeArchiveEntry();
            payload.begin(TarEntries.regularFile(file.getKey(), data.length, 0644, MTIME));
            // In uneven pieces, as a reader hands them over.
            for (int offset = 0; offset < data.length; ) {
                int piece = Math.min(data.length - offset, 1 + offset % 700_000);
                payload.write(data, offset, piece);
                offset += piece;
            }
            payload.end();
        }
        tar.finish();
        payload.finish();

        assertThat(ours.toByteArray()).isEqualTo(library.toByteArray());
    }

    /** Names around the ustar field's length, ASCII or not; sizes and times around what its numbers hold. */
    @Property(tries = 300)
    void theSameHeaderRecordsAsTheLibraryForAnyNameSizeAndTime(
            @ForAll @IntRange(min = 1, max = 130) int nameLength,
            @ForAll boolean ascii,
            @ForAll @LongRange(min = 077777777777L - 3, max = 077777777777L + 3) long bigSize,
            @ForAll @LongRange(min = 0, max = 5000) long smallSize,
            @ForAll boolean big,
            @ForAll @LongRange(min = 0, max = 077777777777L + 3) long mtimeSeconds,
            @ForAll @IntRange(min = 0, max = 0777) int mode)
            throws IOException {
        String name = "payload/runtime/" + (ascii ? "a" : "é").repeat(nameLength);
        long size = big ? bigSize : smallSize;
        Instant mtime = Instant.ofEpochSecond(mtimeSeconds);

        ByteArrayOutputStream library = new ByteArrayOutputStream();
        TarEntries.open(library).putArchiveEntry(TarEntries.regularFile(name, size, mode, mtime));
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        new PayloadTar(ours).begin(TarEntries.regularFile(name, size, mode, mtime));

        assertThat(ours.toByteArray()).isEqualTo(library.toByteArray());
    }

    @Test
    void anEntryGetsExactlyItsSize() throws IOException {
        PayloadTar payload = new PayloadTar(new ByteArrayOutputStream());
        payload.begin(TarEntries.regularFile("payload/runtime/a", 2, 0644, MTIME));

        assertThatThrownBy(() -> payload.write(new byte[3], 0, 3)).hasMessageContaining("more data than");
        payload.write(new byte[1], 0, 1);
        assertThatThrownBy(payload::end).hasMessageContaining("after 1 of 2 bytes");
    }

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }
}
