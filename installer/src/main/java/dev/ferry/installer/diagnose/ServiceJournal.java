package dev.ferry.installer.diagnose;

/**
 * The service manager's own log of the agent for the archive (systemd: {@code journalctl -u SERVICE}, its last
 * 1,000 lines). It is redacted like every log.
 *
 * @param command how it was read, for the reader of the archive
 * @param text the lines
 */
public record ServiceJournal(String command, String text) {}
