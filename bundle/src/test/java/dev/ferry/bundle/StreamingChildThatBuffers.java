package dev.ferry.bundle;

import java.nio.file.Files;
import java.nio.file.Path;

/** The control for {@link LargeBundleStreamingTest}: what a verifier that buffered a payload file would do. */
public final class StreamingChildThatBuffers {
    public static void main(String[] args) throws Exception {
        Path input = Path.of(args[0]).resolve("buffered.bin");
        StreamingChild.generate(input, Long.parseLong(args[1]));
        byte[] all = Files.readAllBytes(input);
        System.out.println("held " + all.length + " bytes");
    }
}
