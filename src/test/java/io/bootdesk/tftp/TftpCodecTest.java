package io.bootdesk.tftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bootdesk.tftp.TftpPacket.Ack;
import io.bootdesk.tftp.TftpPacket.Data;
import io.bootdesk.tftp.TftpPacket.ErrorPacket;
import io.bootdesk.tftp.TftpPacket.OptionAck;
import io.bootdesk.tftp.TftpPacket.ReadRequest;
import io.bootdesk.tftp.TftpPacket.WriteRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Golden bytes: datagrams captured from real clients, and the RFC 1350 / RFC 2347 layouts written out by hand. */
class TftpCodecTest {
    private static final Map<String, byte[]> CAPTURED = new HashMap<>();

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = TftpCodecTest.class.getResourceAsStream("captured-clients.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] kv = line.trim().split(" ");
                    CAPTURED.put(kv[0], HexFormat.of().parseHex(kv[1]));
                }
            }
        }
    }

    private static Map<String, String> opts(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void golden(String name, TftpPacket expected) throws TftpDecodeException {
        byte[] bytes = CAPTURED.get(name);
        assertThat(TftpCodec.decode(bytes)).as(name).isEqualTo(expected);
        assertThat(TftpCodec.encode(expected)).as(name + " re-encoded").isEqualTo(bytes);
    }

    @Test
    void atftpRequestWithWindowsize() throws Exception {
        golden("atftp-rrq", new ReadRequest("pxelinux.0", "octet",
                opts("tsize", "0", "blksize", "1468", "windowsize", "16")));
    }

    @Test
    void curlRequestWithTimeout() throws Exception {
        golden("curl-rrq", new ReadRequest("boot/grub.cfg", "octet", opts("tsize", "0", "blksize", "1468", "timeout", "6")));
    }

    @Test
    void tftpHpaRequestsAndAck() throws Exception {
        golden("hpa-rrq", new ReadRequest("undionly.kpxe", "octet"));
        golden("hpa-ascii-rrq", new ReadRequest("menu.txt", "netascii"));
        golden("hpa-wrq", new WriteRequest("up.txt", "netascii", Map.of()));
        golden("hpa-ack", new Ack(1));
    }

    @Test
    void serverPacketsHaveTheRfcLayout() {
        assertThat(HexFormat.of().formatHex(TftpCodec.encode(new Data(0x0102, new byte[] {9, 8, 7}))))
                .isEqualTo("00030102090807");
        assertThat(HexFormat.of().formatHex(TftpCodec.encode(new Data(65535, new byte[0])))).isEqualTo("0003ffff");
        assertThat(TftpCodec.encode(new ErrorPacket(1, "file not found")))
                .isEqualTo("\0\5\0\1file not found\0".getBytes(StandardCharsets.US_ASCII));
        assertThat(TftpCodec.encode(new OptionAck(opts("blksize", "1468", "tsize", "74213"))))
                .isEqualTo("\0\6blksize\0001468\0tsize\00074213\0".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void decodesFromAByteBufWithoutConsumingIt() throws Exception {
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {0, 4, 0x12, 0x34});
        assertThat(TftpCodec.decode(buf)).isEqualTo(new Ack(0x1234));
        assertThat(buf.readerIndex()).isZero();
        ByteBuf out = Unpooled.buffer();
        TftpCodec.encode(new Ack(7), out);
        assertThat(out.readableBytes()).isEqualTo(4);
    }

    @Test
    void toleratesWhatRealStacksSend() throws Exception {
        // NUL padding after the options
        assertThat(TftpCodec.decode("\0\1a\0octet\0tsize\0000\0\0\0\0".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new ReadRequest("a", "octet", opts("tsize", "0")));
        // bytes after an ACK
        assertThat(TftpCodec.decode(new byte[] {0, 4, 0, 9, 0, 0})).isEqualTo(new Ack(9));
        // an error message without its NUL, and one with trailing bytes
        assertThat(TftpCodec.decode("\0\5\0\2denied".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new ErrorPacket(2, "denied"));
        assertThat(TftpCodec.decode("\0\5\0\2denied\0xx".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new ErrorPacket(2, "denied"));
        // a repeated option: the first one counts, whatever its case
        ReadRequest r = (ReadRequest) TftpCodec.decode(
                "\0\1a\0octet\0blksize\0001024\0BLKSIZE\0008\0".getBytes(StandardCharsets.US_ASCII));
        assertThat(r.options()).containsExactly(Map.entry("blksize", "1024"));
        assertThat(r.option("BlkSize")).contains("1024");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "00", "0001", "00016100", "000161006f63746574", "0001610062", "00016100626100746f6f00",
            "00016100626100746f6f", "000161006f6374657400626c6b73697a65", "000161006f637465740000ff",
            "0003", "000300", "0004", "000400", "0005", "000500", "0007", "ffff0000", "0000",
            "0001ff00626100", "000161006f637465740062006400620065ff00"})
    void rejectsTruncatedAndMalformedPackets(String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        assertThatThrownBy(() -> TftpCodec.decode(b)).isInstanceOf(TftpDecodeException.class).hasMessageNotContaining("null");
    }

    @Test
    void valuesRefuseWhatCannotBeEncoded() {
        assertThatThrownBy(() -> new ReadRequest("a\0b", "octet")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Ack(65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Data(-1, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OptionAck(opts("", "1"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OptionAck(opts("tsize", "1", "TSIZE", "2"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ErrorPacket(0, "\ud800")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dataIsImmutable() {
        byte[] payload = {1, 2, 3};
        Data d = new Data(1, payload);
        payload[0] = 9;
        d.data()[1] = 9;
        assertThat(d.data()).containsExactly(1, 2, 3);
        assertThat(d).isEqualTo(new Data(1, new byte[] {1, 2, 3})).hasSameHashCodeAs(new Data(1, new byte[] {1, 2, 3}));
    }
}
