package dev.ferry.installer.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.files.AtomicWriter;
import dev.ferry.common.files.FileFailure;
import dev.ferry.common.files.FileMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The install's staging writers: every byte lands in order, failures come out naming the file, nothing is left. */
class StagingWriterTest {
    @TempDir
    Path staging;

    private final Random random = new Random(17);

    @Test
    void filesOfEverySizeLandWholeWithTheirModesAndNothingStaysOpen() throws Exception {
        Map<Path, byte[]> files = new LinkedHashMap<>();
        int[] sizes = {0, 1, StagingWriter.PIECE - 1, StagingWriter.PIECE + 1, 3 * StagingWriter.PIECE + 17};
        for (int i = 0; i < sizes.length; i++) {
            files.put(staging.resolve("big-" + i), bytes(sizes[i]));
        }
        // Larger than a flush step: flushed while it is written, and once more when it is done.
        files.put(staging.resolve("larger-than-a-flush-step"), bytes((int) StagingWriter.FLUSH_STEP + 4096));
        // Small files beyond a flush step of the file system: one is taken while they are written.
        Files.createDirectories(staging.resolve("many"));
        long small = 0;
        for (int i = 0; small < EarlyFlush.TREE_STEP + StagingWriter.PIECE; i++) {
            byte[] content = bytes(random.nextInt(16_000));
            files.put(staging.resolve("many/" + i), content);
            small += content.length;
        }
        // Small folder after small folder: each new folder goes to the other writer.
        for (int folder = 0; folder < 5; folder++) {
            Files.createDirectories(staging.resolve("folder-" + folder));
            for (int i = 0; i < 3; i++) {
                files.put(staging.resolve("folder-" + folder + "/" + i), bytes(random.nextInt(4_000)));
            }
        }

        List<Integer> pieces;
        Map<Path, String> writtenBy = new ConcurrentHashMap<>();
        try (StagingWriter writer = writer(writtenBy)) {
            for (Map.Entry<Path, byte[]> file : files.entrySet()) {
                FileMode mode =
                        file.getKey().getFileName().toString().endsWith("7") ? FileMode.SECRET : FileMode.EXECUTABLE;
                writer.write(file.getKey(), mode, new UnevenStream(file.getValue(), random));
            }
            writer.finish();
            pieces = writer.piecesPerWriter();
        }

        for (Map.Entry<Path, byte[]> file : files.entrySet()) {
            assertThat(Files.readAllBytes(file.getKey()))
                    .as(file.getKey().toString())
                    .isEqualTo(file.getValue());
            FileMode expected =
                    file.getKey().getFileName().toString().endsWith("7") ? FileMode.SECRET : FileMode.EXECUTABLE;
            assertThat(FileMode.of(Files.getPosixFilePermissions(file.getKey())))
                    .isEqualTo(expected);
        }
        assertThat(openFilesUnder(staging)).isZero();
        assertThat(writerThreadsAlive()).isZero();
        assertThat(pieces)
                .as("pieces each writer wrote")
                .hasSize(StagingWriter.LANES)
                .allMatch(n -> n > 0);
        List<String> folderWriters = new ArrayList<>();
        for (int folder = 0; folder < 5; folder++) {
            Path first = staging.resolve("folder-" + folder + "/0");
            for (int i = 1; i < 3; i++) {
                assertThat(writtenBy.get(staging.resolve("folder-" + folder + "/" + i)))
                        .as("the writer of every file in folder-" + folder)
                        .isEqualTo(writtenBy.get(first));
            }
            folderWriters.add(writtenBy.get(first));
        }
        for (int folder = 1; folder < 5; folder++) {
            assertThat(folderWriters.get(folder))
                    .as("folder-" + folder + "'s writer against the folder before it")
                    .isNotEqualTo(folderWriters.get(folder - 1));
        }
    }

    @Test
    void aFailureStopsTheWritingAndComesOutNamingTheFile() throws Exception {
        Path unwritable = staging.resolve("no-such-folder/agent");
        StagingWriter writer = writer();
        writer.write(unwritable, FileMode.EXECUTABLE, new ByteArrayInputStream(bytes(10)));
        // The failure happens on a writer's thread; a later call, at the latest the next hand-over, reports it.
        IOException reported = null;
        for (int i = 0; i < 10 * StagingWriter.PIECES && reported == null; i++) {
            try {
                writer.write(
                        staging.resolve("after-" + i),
                        FileMode.EXECUTABLE,
                        new ByteArrayInputStream(bytes(StagingWriter.PIECE)));
            } catch (IOException e) {
                reported = e;
            }
        }

        assertThat(reported)
                .isInstanceOf(FileFailure.class)
                .hasMessageContaining("cannot write " + unwritable)
                .hasCauseInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(writer::finish).isSameAs(reported);
        assertThat(writerThreadsAlive()).isZero();
        assertThat(openFilesUnder(staging)).isZero();
    }

    @Test
    void closeStopsTheWritersSoThatNothingLandsInADeletedStagingFolder() throws Exception {
        StagingWriter writer = writer();
        for (int i = 0; i < 40; i++) {
            writer.write(staging.resolve("f" + i), FileMode.READABLE, new ByteArrayInputStream(bytes(100_000)));
        }
        writer.close();
        Map<Path, Long> atClose = sizes(staging);
        Thread.sleep(200);

        assertThat(writerThreadsAlive()).isZero();
        assertThat(openFilesUnder(staging)).isZero();
        assertThat(sizes(staging)).as("nothing written after close()").isEqualTo(atClose);
        try (Stream<Path> left = Files.list(staging)) {
            left.forEach(p -> p.toFile().delete());
        }
        try (Stream<Path> left = Files.list(staging)) {
            assertThat(left).isEmpty();
        }
    }

    /** Files created as the sink creates them, with the umask learnt once. */
    private StagingWriter writer() throws IOException {
        return writer(new ConcurrentHashMap<>());
    }

    /** @param writtenBy receives each file's writer thread as it is created */
    private StagingWriter writer(Map<Path, String> writtenBy) throws IOException {
        int narrowed = AtomicWriter.narrowedBits(staging);
        return new StagingWriter(staging, (target, mode) -> {
            writtenBy.put(target, Thread.currentThread().getName());
            return AtomicWriter.createNew(target, mode, narrowed);
        });
    }

    private byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static Map<Path, Long> sizes(Path dir) throws IOException {
        Map<Path, Long> sizes = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                sizes.put(file, Files.size(file));
            }
        }
        return sizes;
    }

    private static long writerThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("ferry-staging-"))
                .filter(Thread::isAlive)
                .count();
    }

    /** This process's open file descriptors that point into {@code dir}. */
    private static long openFilesUnder(Path dir) throws IOException {
        Path real = dir.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).startsWith(real);
                        } catch (IOException gone) {
                            return false;
                        }
                    })
                    .count();
        }
    }

    /** Gives its bytes in reads of random length, as the tar reader does at entry and buffer boundaries. */
    private static final class UnevenStream extends InputStream {
        private final byte[] bytes;
        private final Random random;
        private int position;

        UnevenStream(byte[] bytes, Random random) {
            this.bytes = bytes;
            this.random = random;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, bytes.length - position), 1 + random.nextInt(70_000));
            System.arraycopy(bytes, position, b, off, n);
            position += n;
            return n;
        }
    }
}
