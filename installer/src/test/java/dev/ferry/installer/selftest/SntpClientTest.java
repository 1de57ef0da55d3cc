package dev.ferry.installer.selftest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SntpClientTest {
    @Test
    void theTransmitTimestampCarriesTheMillisecondsOnTheWire() {
        long unixMillis = 1_767_225_600_999L; // 2026-01-01T00:00:00.999Z
        byte[] packet = new byte[48];
        SntpClient.writeTimestamp(packet, 40, unixMillis);

        // The fraction is 0.999 s in units of 2^-32 s (an int shift by 32 would have written 0).
        long fraction = ((packet[44] & 0xffL) << 24)
                | ((packet[45] & 0xffL) << 16)
                | ((packet[46] & 0xffL) << 8)
                | (packet[47] & 0xffL);
        assertThat(fraction).isEqualTo((999L << 32) / 1000);
        // Read back it is within the millisecond the fraction's truncation costs.
        assertThat(SntpClient.readTimestamp(packet, 40)).isCloseTo(unixMillis, within(1L));
    }
}
