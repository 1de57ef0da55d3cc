package dev.ferry.bundle;

import dev.ferry.common.Progress;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reports every byte read from the bundle file, so a long verify or install can show how far it is. */
final class ProgressInputStream extends FilterInputStream {
    private final Progress progress;

    ProgressInputStream(InputStream in, Progress progress) {
        super(in);
        this.progress = progress;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            progress.advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            progress.advance(n);
        }
        return n;
    }
}
