package dev.ferry.bundle;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Work on a daemon thread of its own, started at once, and its result taken back as if it had run on the caller's
 * thread. A thread each rather than a shared pool: the common pool has one thread on a 2-core host, and these are a
 * few per command (a secret's slow digest, a signature while the manifest is compressed).
 */
final class OffThread {
    private OffThread() {}

    static <T> CompletableFuture<T> start(String name, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        result.complete(work.get());
                    } catch (RuntimeException | Error e) {
                        result.completeExceptionally(e);
                    }
                },
                name);
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    /** The result, or the work's own error (one clean line, as if it had run on this thread). */
    static <T> T join(CompletableFuture<T> work) {
        try {
            return work.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error failure) {
                throw failure;
            }
            throw e;
        }
    }
}
