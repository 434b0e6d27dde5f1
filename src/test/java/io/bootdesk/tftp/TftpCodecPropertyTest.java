package io.bootdesk.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.tftp.TftpPacket.Ack;
import io.bootdesk.tftp.TftpPacket.Data;
import io.bootdesk.tftp.TftpPacket.ErrorPacket;
import io.bootdesk.tftp.TftpPacket.OptionAck;
import io.bootdesk.tftp.TftpPacket.ReadRequest;
import io.bootdesk.tftp.TftpPacket.WriteRequest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** decode(encode(x)) == x for every packet; any bytes decode to a packet or the codec's own exception. */
class TftpCodecPropertyTest {

    @Property(tries = 2000)
    void roundTrip(@ForAll("packets") TftpPacket p) throws TftpDecodeException {
        assertThat(TftpCodec.decode(TftpCodec.encode(p))).isEqualTo(p);
    }

    @Property(tries = 3000)
    void randomBytesDecodeOrFailCleanly(@ForAll @Size(max = 600) byte[] bytes) {
        decodeOnlyThrowsItsOwnException(bytes);
    }

    @Property(tries = 3000)
    void randomBytesBehindAValidOpcode(@ForAll @IntRange(min = 0, max = 7) int op, @ForAll @Size(max = 200) byte[] tail) {
        byte[] b = new byte[tail.length + 2];
        b[1] = (byte) op;
        System.arraycopy(tail, 0, b, 2, tail.length);
        decodeOnlyThrowsItsOwnException(b);
    }

    @Property(tries = 2000)
    void everyTruncationDecodesOrFailsCleanly(@ForAll("packets") TftpPacket p, @ForAll @IntRange(min = 0, max = 1000) int cut) {
        byte[] full = TftpCodec.encode(p);
        decodeOnlyThrowsItsOwnException(Arrays.copyOf(full, Math.min(cut, full.length)));
    }

    private static void decodeOnlyThrowsItsOwnException(byte[] b) {
        try {
            TftpPacket p = TftpCodec.decode(b);
            assertThat(p).isNotNull();
            // whatever decodes is a well-formed value: it encodes, and decodes again to itself
            assertThat(TftpCodec.decode(TftpCodec.encode(p))).isEqualTo(p);
        } catch (TftpDecodeException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<TftpPacket> packets() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange('\u0001', '\ud7ff').ofMaxLength(40);
        Arbitrary<String> name = Arbitraries.strings().withCharRange('\u0001', '\u00ff').ofMinLength(1).ofMaxLength(12);
        Arbitrary<Map<String, String>> options = Arbitraries.maps(name, text).ofMaxSize(6).map(TftpCodecPropertyTest::unique);
        Arbitrary<Integer> u16 = Arbitraries.integers().between(0, 65535);
        Arbitrary<String> mode = Arbitraries.of("octet", "netascii", "OCTET", "mail", "");
        return Arbitraries.oneOf(List.of(
                Combinators.combine(text, mode, options).as(ReadRequest::new),
                Combinators.combine(text, mode, options).as(WriteRequest::new),
                Combinators.combine(u16, Arbitraries.bytes().array(byte[].class).ofMaxSize(1500)).as(Data::new),
                u16.map(Ack::new),
                Combinators.combine(u16, text).as(ErrorPacket::new),
                options.map(OptionAck::new)));
    }

    /** Keeps the first of names that differ only in case (a packet's options are unique that way). */
    private static Map<String, String> unique(Map<String, String> m) {
        Map<String, String> out = new LinkedHashMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        m.forEach((k, v) -> {
            if (seen.add(OptionNames.fold(k))) {
                out.put(k, v);
            }
        });
        return out;
    }
}
