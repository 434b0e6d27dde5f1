package io.bootdesk.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The terminal's connection decodes the port's bytes as they come: split UTF-8, bad bytes, history first, close. */
class SerialTtyTest {

    private static String readAll(SerialTty t) throws Exception {
        StringBuilder out = new StringBuilder();
        char[] buf = new char[64];
        while (t.ready()) {
            int n = t.read(buf, 0, buf.length);
            out.append(buf, 0, n);
        }
        return out.toString();
    }

    @Test
    void historyFirstThenBytesDecodedAcrossChunkBoundaries() throws Exception {
        SerialTty t = new SerialTty("test");
        t.show("log tail\r\n");
        byte[] e = "é€".getBytes(StandardCharsets.UTF_8); // 2 + 3 bytes, fed split in the middle of each
        t.feed(new byte[] {'\u001b', '[', '3', '1', 'm', e[0]});
        t.feed(new byte[] {e[1], e[2], e[3]});
        t.feed(new byte[] {e[4], '\u001b', '[', '0', 'm'});
        assertThat(readAll(t)).isEqualTo("log tail\r\n\u001b[31mé€\u001b[0m");
    }

    @Test
    void aByteThatIsNotUtf8BecomesAReplacementMarkAndTheStreamGoesOn() throws Exception {
        SerialTty t = new SerialTty("test");
        t.feed(new byte[] {'A', (byte) 0xC9, 'B'}); // 0xC9: CP437's box corner, not UTF-8
        assertThat(readAll(t)).isEqualTo("A\uFFFDB");
    }

    @Test
    void closingEndsTheReaderAndDropsTyping() throws Exception {
        SerialTty t = new SerialTty("test");
        assertThat(t.isConnected()).isTrue();
        t.write("typed while nothing is attached"); // no session: dropped, no exception
        assertThat(t.attached()).isNull();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                assertThat(t.read(new char[8], 0, 8)).isEqualTo(-1);
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
        Thread.sleep(100);
        t.close();
        reader.join(2000);
        assertThat(reader.isAlive()).isFalse();
        assertThat(t.isConnected()).isFalse();
    }
}
