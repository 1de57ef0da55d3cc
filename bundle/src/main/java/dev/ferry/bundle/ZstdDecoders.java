package dev.ferry.bundle;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The zstd decoder that reads bundles: zstd-jni (native) where its library loads, else aircompressor's pure-Java
 * decoder. zstd-jni unpacks its library into the temp folder and loads it from there, which a hardened host with
 * {@code /tmp} mounted {@code noexec} refuses; the installer must read bundles there all the same. The pure-Java
 * decoder reads the concatenated frames of a bundle; alone it decodes 445 MB in ~1 s, but a whole
 * {@code installer verify} of that bundle took 3.8 s with it against 1.2 s with the native one (both cores busy).
 * {@code -Dferry.zstd.decoder=java} chooses it outright (tests run the hostile corpus through both).
 */
final class ZstdDecoders {
    /** zstd's own default limit: bounds a decoder's memory whatever the frame header asks for. */
    private static final int WINDOW_LOG_MAX = 27;

    /** Set once the native library failed to load: the JVM will not load it later either. */
    private static volatile boolean nativeUnavailable;

    private ZstdDecoders() {}

    static InputStream open(InputStream compressed) throws IOException {
        if (!nativeUnavailable && !"java".equals(System.getProperty("ferry.zstd.decoder"))) {
            try {
                ZstdInputStreamNoFinalizer zstd = new ZstdInputStreamNoFinalizer(compressed);
                zstd.setLongMax(WINDOW_LOG_MAX);
                return zstd;
            } catch (LinkageError noNativeLibrary) {
                // UnsatisfiedLinkError the first time, NoClassDefFoundError after: nothing was read from the stream.
                nativeUnavailable = true;
            }
        }
        return new PureJava(new io.airlift.compress.zstd.ZstdInputStream(compressed));
    }

    /** aircompressor reports corrupt input with runtime exceptions; the verifier expects an IOException there. */
    private static final class PureJava extends FilterInputStream {
        PureJava(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (RuntimeException e) {
                throw corrupt(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (RuntimeException e) {
                throw corrupt(e);
            }
        }

        private static IOException corrupt(RuntimeException e) {
            return new IOException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
    }
}
