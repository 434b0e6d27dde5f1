package io.bootdesk.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.tftp.TftpPacket.ReadRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NegotiationTest {
    private static ReadRequest rrq(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return new ReadRequest("f", "octet", m);
    }

    @Test
    void defaultsWithoutOptions() {
        Negotiation n = Negotiation.of(rrq(), 10);
        assertThat(n.blksize()).isEqualTo(512);
        assertThat(n.windowsize()).isEqualTo(1);
        assertThat(n.timeoutSeconds()).isZero();
        assertThat(n.sendsOack()).isFalse();
        assertThat(n.describe()).isEqualTo("no options");
    }

    @Test
    void acceptsTheRfcRanges() {
        Negotiation n = Negotiation.of(rrq("blksize", "8", "windowsize", "1", "timeout", "255", "tsize", "0"), 74213);
        assertThat(n.blksize()).isEqualTo(8);
        assertThat(n.windowsize()).isEqualTo(1);
        assertThat(n.timeoutSeconds()).isEqualTo(255);
        assertThat(n.acknowledged()).containsExactly(Map.entry("blksize", "8"), Map.entry("windowsize", "1"),
                Map.entry("timeout", "255"), Map.entry("tsize", "74213"));
        assertThat(n.describe()).isEqualTo("blksize 8, windowsize 1, timeout 255s, tsize");
    }

    @Test
    void lowersTooLargeValuesAndDropsInvalidOnes() {
        Negotiation n = Negotiation.of(rrq("blksize", "65465", "windowsize", "65535"), 1);
        assertThat(n.acknowledged()).containsExactly(Map.entry("blksize", "65464"), Map.entry("windowsize", "64"));
        Negotiation bad = Negotiation.of(rrq("blksize", "7", "windowsize", "0", "timeout", "256", "tsize", "x",
                "blksize2", "9", "timeout2", "1"), 1);
        assertThat(bad.acknowledged()).isEmpty();
        assertThat(bad.blksize()).isEqualTo(512);
        assertThat(Negotiation.of(rrq("windowsize", "65536", "blksize", "99999999999999999999"), 1).acknowledged()).isEmpty();
    }

    @Test
    void tsizeIsLeftOutWhenTheSizeIsUnknown() {
        assertThat(Negotiation.of(rrq("tsize", "0"), -1).acknowledged()).isEmpty();
    }
}
