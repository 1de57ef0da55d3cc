package dev.ferry.installer.diagnose;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Where the last N lines of a file start, found by reading backwards in small blocks: never the whole file. */
final class LogTail {
    private static final int BLOCK = 8192;

    private LogTail() {}

    static long startOfLastLines(Path file, int lines) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = channel.size();
            if (size == 0) {
                return 0;
            }
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, size - 1);
            // A final newline ends the last line; it does not start another one.
            long end = one.get(0) == '\n' ? size - 1 : size;
            int newlines = 0;
            ByteBuffer block = ByteBuffer.allocate(BLOCK);
            long pos = end;
            while (pos > 0) {
                int len = (int) Math.min(BLOCK, pos);
                pos -= len;
                block.clear().limit(len);
                while (block.hasRemaining() && channel.read(block, pos + block.position()) >= 0) {
                    // fill the block
                }
                for (int i = len - 1; i >= 0; i--) {
                    if (block.get(i) == '\n' && ++newlines == lines) {
                        return pos + i + 1;
                    }
                }
            }
            return 0;
        }
    }
}
