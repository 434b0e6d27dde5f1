package io.bootdesk.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The codec's wire rules one by one (RFC 2131 §2, RFC 2132 §9.3 overload, RFC 3396 long options). */
class DhcpCodecTest {

    /** A BOOTREPLY with the fixed fields of {@code file}/{@code sname} as given and {@code options} after the cookie. */
    static byte[] wire(byte[] sname, byte[] file, byte[] options) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {2, 1, 6, 0, 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0});
        o.writeBytes(new byte[16]); // ciaddr yiaddr siaddr giaddr
        o.writeBytes(Arrays.copyOf(new byte[] {0x52, 0x54, 0, (byte) 0xbd, (byte) 0xca, 1}, 16));
        o.writeBytes(Arrays.copyOf(sname, 64));
        o.writeBytes(Arrays.copyOf(file, 128));
        o.writeBytes(Ip4.toBytes(DhcpCodec.MAGIC_COOKIE));
        o.writeBytes(options);
        return o.toByteArray();
    }

    static byte[] opt(int code, String value) {
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[v.length + 2];
        b[0] = (byte) code;
        b[1] = (byte) v.length;
        System.arraycopy(v, 0, b, 2, v.length);
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    static final byte[] END = {(byte) 255};

    @Test
    void optionsInOverloadedFileAndSnameFieldsAreReadAfterTheOptionsField() throws DhcpDecodeException {
        byte[] b = wire(concat(opt(66, "10.0.0.1"), END), concat(opt(67, "http://10.0.0.1/boot.ipxe"), END),
                concat(new byte[] {53, 1, 5, 52, 1, 3}, END));
        DhcpMessage m = DhcpCodec.decode(b);
        assertThat(m.messageType()).isEqualTo(MessageType.ACK);
        assertThat(m.optionString(DhcpOption.BOOTFILE)).isEqualTo("http://10.0.0.1/boot.ipxe");
        assertThat(m.optionString(DhcpOption.TFTP_SERVER)).isEqualTo("10.0.0.1");
        // RFC 3396 §5: options field, then file, then sname
        assertThat(m.options().keySet()).containsSubsequence(53, 67, 66);
    }

    /** The fields held options, not names; re-encoding must not put those options on the wire twice. */
    @Test
    void anOverloadedMessageReencodesToTheSameMessage() throws DhcpDecodeException {
        byte[] b = wire(concat(opt(66, "10.0.0.1"), END), concat(opt(67, "http://10.0.0.1/boot.ipxe"), END),
                concat(new byte[] {53, 1, 5, 52, 1, 3}, END));
        DhcpMessage m = DhcpCodec.decode(b);
        DhcpMessage again = DhcpCodec.decode(DhcpCodec.encode(m));
        assertThat(again).isEqualTo(m);
        assertThat(again.optionString(DhcpOption.BOOTFILE)).isEqualTo("http://10.0.0.1/boot.ipxe");
        assertThat(m.fileName()).as("the file field held options, not a file name").isEmpty();
        assertThat(m.serverName()).isEmpty();
        assertThat(m.has(DhcpOption.OVERLOAD)).as("a matter of the wire, like splitting long options").isFalse();
    }

    @Test
    void longValuesAreSplitAndJoined() throws DhcpDecodeException {
        byte[] v = new byte[600];
        for (int i = 0; i < v.length; i++) {
            v[i] = (byte) i;
        }
        DhcpMessage m = DhcpMessage.builder().option(43, v).option(60, "PXEClient").build();
        byte[] b = DhcpCodec.encode(m);
        // 43/255, 43/255, 43/90, then 60
        assertThat(b[240] & 0xff).isEqualTo(43);
        assertThat(b[241] & 0xff).isEqualTo(255);
        assertThat(b[240 + 257] & 0xff).isEqualTo(43);
        assertThat(b[240 + 514] & 0xff).isEqualTo(43);
        assertThat(b[240 + 515] & 0xff).isEqualTo(90);
        assertThat(b[240 + 516 + 90] & 0xff).isEqualTo(60);
        assertThat(DhcpCodec.decode(b).option(43)).isEqualTo(v);
    }

    @Test
    void repeatedOptionsFromTheWireAreJoined() throws DhcpDecodeException {
        byte[] b = wire(new byte[0], new byte[0], concat(new byte[] {53, 1, 1}, opt(77, "iP"), opt(77, "XE"), END));
        assertThat(DhcpCodec.decode(b).optionString(77)).isEqualTo("iPXE");
    }

    @Test
    void aMissingEndAndPaddingAreTolerated() throws DhcpDecodeException {
        byte[] b = wire(new byte[0], new byte[0], new byte[] {0, 0, 53, 1, 1, 0, 60, 3, 'a', 'b', 'c'});
        DhcpMessage m = DhcpCodec.decode(b);
        assertThat(m.messageType()).isEqualTo(MessageType.DISCOVER);
        assertThat(m.optionString(60)).isEqualTo("abc");
    }

    @Test
    void badBytesAreRejectedWithAReason() {
        assertThatThrownBy(() -> DhcpCodec.decode(new byte[235])).isInstanceOf(DhcpDecodeException.class)
                .hasMessageContaining("too short");
        byte[] op3 = wire(new byte[0], new byte[0], END);
        op3[0] = 3;
        assertThatThrownBy(() -> DhcpCodec.decode(op3)).hasMessageContaining("op is 3");
        byte[] hlen17 = wire(new byte[0], new byte[0], END);
        hlen17[2] = 17;
        assertThatThrownBy(() -> DhcpCodec.decode(hlen17)).hasMessageContaining("exceeds 16");
        assertThatThrownBy(() -> DhcpCodec.decode(wire(new byte[0], new byte[0], new byte[] {53, 1, 1, 60, 9, 'x'})))
                .hasMessageContaining("option 60").hasMessageContaining("claims 9 bytes");
        assertThatThrownBy(() -> DhcpCodec.decode(wire(new byte[0], new byte[0], new byte[] {53, 1, 1, 60})))
                .hasMessageContaining("no length byte");
    }

    @Test
    void aBootpMessageHasNoOptions() throws DhcpDecodeException {
        byte[] b = Arrays.copyOf(wire(new byte[0], "pxelinux.0".getBytes(StandardCharsets.US_ASCII), new byte[0]), 300);
        Arrays.fill(b, 236, 240, (byte) 0); // no magic cookie
        DhcpMessage m = DhcpCodec.decode(b);
        assertThat(m.options()).isEmpty();
        assertThat(m.messageType()).isNull();
        assertThat(m.fileName()).isEqualTo("pxelinux.0");
    }

    @Test
    void shortRepliesArePaddedToTheBootpMinimum() {
        byte[] b = DhcpCodec.encode(DhcpMessage.builder().messageType(MessageType.NAK).build());
        assertThat(b).hasSize(DhcpCodec.MIN_MESSAGE_LENGTH);
        assertThat(b[243] & 0xff).isEqualTo(DhcpOption.END);
    }

    @Test
    void subOptionsOfOption43And175() {
        Map<Integer, byte[]> subs = DhcpCodec.subOptions(new byte[] {6, 1, 8, (byte) 0xff, 9, 9});
        assertThat(subs).containsOnlyKeys(6);
        assertThat(subs.get(6)).containsExactly(8);
        Map<Integer, byte[]> in = new LinkedHashMap<>();
        in.put(176, new byte[] {1});
        assertThat(DhcpCodec.encodeSubOptions(in)).containsExactly(176, 1, 1);
        // truncated last sub-option: the complete ones are kept
        assertThat(DhcpCodec.subOptions(new byte[] {0x13, 1, 1, 0x14, 5, 1})).containsOnlyKeys(0x13);
    }
}
