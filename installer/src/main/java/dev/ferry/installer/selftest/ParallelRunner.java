package dev.ferry.installer.selftest;

import dev.ferry.installer.check.Cause;
import dev.ferry.installer.check.Check;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs every check at once, one thread each, so a run takes as long as its slowest check. A check still running
 * at its timeout is cut (its sockets closed) and reported as {@code timeout} with the step it was waiting for.
 */
final class ParallelRunner {
    record Task(String id, Duration timeout, Function<Deadline, Check> body) {}

    private ParallelRunner() {}

    static List<Check> run(List<Task> tasks) {
        if (tasks.isEmpty()) {
            return List.of();
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size(), r -> {
            Thread t = new Thread(r, "selftest-" + n.incrementAndGet());
            t.setDaemon(true); // a resolver stuck past its timeout must not keep the JVM alive
            return t;
        });
        try {
            long start = System.nanoTime();
            List<Deadline> deadlines = new ArrayList<>();
            List<Future<Check>> futures = new ArrayList<>();
            for (Task task : tasks) {
                Deadline deadline = new Deadline(task.timeout());
                deadlines.add(deadline);
                futures.add(pool.submit(() -> task.body().apply(deadline)));
            }
            List<Check> checks = new ArrayList<>();
            for (int i = 0; i < tasks.size(); i++) {
                checks.add(await(tasks.get(i), futures.get(i), deadlines.get(i), start));
            }
            return checks;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Check await(Task task, Future<Check> future, Deadline deadline, long start) {
        long leftNanos = start + task.timeout().toNanos() - System.nanoTime();
        try {
            Check check = future.get(Math.max(0, leftNanos), TimeUnit.NANOSECONDS);
            return check.withMs(elapsedMs(start));
        } catch (TimeoutException e) {
            deadline.abort();
            future.cancel(true);
            Deadline.Step step = deadline.step();
            return Check.fail(
                    task.id(),
                    Cause.TIMEOUT,
                    "no answer within " + deadline.seconds() + " while waiting for " + step.waitingFor(),
                    step.remedyIfStuck(),
                    elapsedMs(start));
        } catch (ExecutionException e) {
            return Check.fail(
                    task.id(),
                    Cause.PROTOCOL,
                    "the check itself failed: " + Failures.message(e.getCause()),
                    "report this to Ferry support with the output of 'installer diagnose'",
                    elapsedMs(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deadline.abort();
            return Check.fail(
                    task.id(),
                    Cause.TIMEOUT,
                    "interrupted before the check finished",
                    "rerun the self-test",
                    elapsedMs(start));
        }
    }

    private static long elapsedMs(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
