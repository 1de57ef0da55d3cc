package dev.ferry.installer.transaction;

import java.util.concurrent.BlockingQueue;

/**
 * Hand-overs that an interrupt must not cut short: stopping the staging threads is what keeps them from writing
 * into a staging folder after the transaction deleted it, so it completes, and the interrupt is kept for later.
 */
final class Uninterruptibly {
    private Uninterruptibly() {}

    static <T> void put(BlockingQueue<T> queue, T item) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(item);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next item; an interrupt meanwhile is kept for the caller (only an end item stops these threads). */
    static <T> T take(BlockingQueue<T> queue) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return queue.take();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void join(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
