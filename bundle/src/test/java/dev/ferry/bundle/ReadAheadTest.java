package dev.ferry.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReadAheadTest {
    @Test
    void deliversEveryByteInOrderAcrossManyChunks() throws IOException {
        byte[] data = new byte[ReadAhead.CHUNK * 9 + 12345];
        new Random(7).nextBytes(data);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        try (ReadAhead in = new ReadAhead(new TrickleStream(data), "test-reader")) {
            byte[] buffer = new byte[1000];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                copy.write(buffer, 0, n);
            }
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(copy.toByteArray()).isEqualTo(data);
    }

    @Test
    void theSourcesFailureComesOutAfterTheBytesBeforeIt() throws IOException {
        IOException broken = new IOException("corrupt block");
        InputStream failing = new InputStream() {
            private int left = 3000;

            @Override
            public int read() throws IOException {
                if (left-- > 0) {
                    return 'x';
                }
                throw broken;
            }
        };
        try (ReadAhead in = new ReadAhead(failing, "test-reader")) {
            byte[] got = new byte[3000];
            int off = 0;
            while (off < got.length) {
                off += in.read(got, off, got.length - off);
            }
            assertThatThrownBy(() -> in.read(new byte[10])).isSameAs(broken);
        }
    }

    @Test
    void stopEndsTheThreadWhileItWaitsForTheConsumer() throws IOException, InterruptedException {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return len;
            }
        };
        ReadAhead in = new ReadAhead(endless, "test-reader-stop");
        assertThat(in.read()).isZero();
        Thread.sleep(Duration.ofMillis(100).toMillis()); // the thread has filled every buffer and waits
        in.close();
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().equals("test-reader-stop"));
    }

    /** Gives at most 777 bytes per read, as a decompressor does. */
    private static final class TrickleStream extends ByteArrayInputStream {
        TrickleStream(byte[] data) {
            super(data);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 777));
        }
    }
}
