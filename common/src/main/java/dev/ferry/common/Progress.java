package dev.ferry.common;

/**
 * Bytes done of a long job (creating, verifying or installing a big bundle). The core reports; the command line
 * decides whether anything is drawn (only on a terminal, never with --json).
 */
public interface Progress {
    Progress NONE = new Progress() {
        @Override
        public void total(long bytes) {}

        @Override
        public void advance(long bytes) {}
    };

    /** How many bytes the whole job will take, once known. */
    void total(long bytes);

    void advance(long bytes);
}
