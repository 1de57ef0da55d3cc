package dev.ferry.e2e;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * Counts what the fault tests did and prints one summary when the whole test run ends (a resource in the root
 * store closes then, after the last Fault*Test class): cases tried, faults injected, recoveries observed.
 */
final class FaultLedger implements BeforeAllCallback {
    private static final AtomicInteger CASES = new AtomicInteger();
    private static final AtomicInteger FAULTS = new AtomicInteger();
    private static final AtomicInteger RECOVERIES = new AtomicInteger();
    private static final long STARTED = System.nanoTime();

    /** One scenario checked end to end. */
    static void caseTried() {
        CASES.incrementAndGet();
    }

    /** A kill, a full disk, a read-only mount, a hand edit, a race, a moved clock. */
    static void faultInjected() {
        FAULTS.incrementAndGet();
    }

    /** The installer said it recovered (a "recovered ..." note) or repaired the host, and the host was whole after. */
    static void recoveryObserved() {
        RECOVERIES.incrementAndGet();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(Namespace.create(FaultLedger.class)).getOrComputeIfAbsent("summary", k ->
                (ExtensionContext.Store.CloseableResource) FaultLedger::print);
    }

    private static void print() {
        System.out.printf(
                "%n[faults] summary: %d cases tried, %d faults injected, %d recoveries observed (%d s)%n",
                CASES.get(), FAULTS.get(), RECOVERIES.get(), (System.nanoTime() - STARTED) / 1_000_000_000L);
    }
}
