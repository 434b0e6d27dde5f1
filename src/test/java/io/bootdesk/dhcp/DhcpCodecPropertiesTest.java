package io.bootdesk.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/** Properties of DhcpCodec: it round-trips what the builder can express, and rejects bad bytes only by DhcpDecodeException. */
class DhcpCodecPropertiesTest {

    // ------------------------------------------------------------------------------------------------ round trip

    @Property(tries = 1000)
    void decodeOfEncodeIsTheSameMessage(@ForAll("messages") DhcpMessage m) throws DhcpDecodeException {
        byte[] wire = DhcpCodec.encode(m);
        assertThat(wire.length).isGreaterThanOrEqualTo(DhcpCodec.MIN_MESSAGE_LENGTH);
        assertThat(DhcpCodec.decode(wire)).isEqualTo(m);
        Statistics.label("longest option").collect(m.options().values().stream().mapToInt(v -> v.length).max()
                .stream().mapToObj(n -> n > 255 ? "> 255 (split, RFC 3396)" : "<= 255").findFirst().orElse("none"));
    }

    @Provide
    Arbitrary<DhcpMessage> messages() {
        Arbitrary<Integer> u8 = Arbitraries.integers().between(0, 255);
        Arbitrary<Integer> u16 = Arbitraries.integers().between(0, 0xffff);
        Arbitrary<Integer> any = Arbitraries.integers();
        return Builders.withBuilder(DhcpMessage::builder)
                .use(Arbitraries.of(DhcpMessage.BOOTREQUEST, DhcpMessage.BOOTREPLY)).in(DhcpMessage.Builder::op)
                .use(u8).in(DhcpMessage.Builder::htype)
                .use(Arbitraries.integers().between(0, 16)).in(DhcpMessage.Builder::hlen)
                .use(u8).in(DhcpMessage.Builder::hops)
                .use(any).in(DhcpMessage.Builder::xid)
                .use(u16).in(DhcpMessage.Builder::secs)
                .use(u16).in(DhcpMessage.Builder::flags)
                .use(any).in(DhcpMessage.Builder::ciaddr)
                .use(any).in(DhcpMessage.Builder::yiaddr)
                .use(any).in(DhcpMessage.Builder::siaddr)
                .use(any).in(DhcpMessage.Builder::giaddr)
                .use(bytes(16)).in(DhcpMessage.Builder::chaddr)
                .use(bytes(64)).in(DhcpMessage.Builder::sname)
                .use(bytes(128)).in(DhcpMessage.Builder::file)
                .use(options()).in((b, opts) -> {
                    opts.forEach(b::option);
                    return b;
                })
                .build(DhcpMessage.Builder::build);
    }

    /**
     * Unique codes 1..254 with values of 0..600 bytes, lengths around the 255-byte split points made likely.
     * Code 52 (overload) is left out: it says the file and sname fields hold options, which arbitrary field
     * contents do not; DhcpCodecTest covers overloaded packets.
     */
    static Arbitrary<Map<Integer, byte[]>> options() {
        Arbitrary<Integer> codes = Arbitraries.integers().between(1, 254).filter(c -> c != DhcpOption.OVERLOAD);
        Arbitrary<Integer> lengths = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(0, 600)),
                Tuple.of(1, Arbitraries.of(0, 1, 254, 255, 256, 509, 510, 511, 600)));
        Arbitrary<byte[]> values = lengths.flatMap(DhcpCodecPropertiesTest::bytes);
        return Arbitraries.maps(codes, values).ofMaxSize(24);
    }

    static Arbitrary<byte[]> bytes(int n) {
        return Arbitraries.bytes().array(byte[].class).ofSize(n);
    }

    // ------------------------------------------------------------------------------------------------ bad input

    @Property(tries = 2000)
    void randomBytesDecodeOrFailWithADecodeException(@ForAll("randomDatagrams") byte[] b) {
        decodeOrReject(b);
    }

    @Property(tries = 2000)
    void mutatedGoldenPacketsDecodeOrFailWithADecodeException(@ForAll("mutatedGolden") byte[] b) {
        decodeOrReject(b);
    }

    /** Every prefix of every captured packet. */
    @Example
    void everyTruncationOfEveryGoldenPacket() {
        int decoded = 0;
        int rejected = 0;
        for (String name : Golden.all()) {
            byte[] full = Golden.bytes(name);
            for (int n = 0; n <= full.length; n++) {
                if (decodeOrReject(Arrays.copyOf(full, n))) {
                    decoded++;
                } else {
                    rejected++;
                }
            }
        }
        assertThat(decoded).isPositive();
        assertThat(rejected).isPositive();
    }

    @Provide
    Arbitrary<byte[]> randomDatagrams() {
        Arbitrary<byte[]> anything = Arbitraries.bytes().array(byte[].class).ofMaxSize(700);
        // a plausible header and the magic cookie, so the option parser gets the random part
        Arbitrary<byte[]> randomOptions = Arbitraries.bytes().array(byte[].class).ofMaxSize(400).map(tail -> {
            byte[] head = Arrays.copyOf(Golden.bytes("efi-pxe/discover"), 240);
            byte[] b = Arrays.copyOf(head, 240 + tail.length);
            System.arraycopy(tail, 0, b, 240, tail.length);
            return b;
        });
        return Arbitraries.oneOf(anything, randomOptions);
    }

    @Provide
    Arbitrary<byte[]> mutatedGolden() {
        return mutated(Golden.all());
    }

    /** A golden packet, cut at a random length and/or with 1..12 random bytes overwritten. */
    static Arbitrary<byte[]> mutated(List<String> fixtures) {
        Arbitrary<byte[]> base = Arbitraries.of(fixtures).map(Golden::bytes);
        Arbitrary<List<Tuple.Tuple2<Integer, Byte>>> edits = Arbitraries.integers().between(0, 699)
                .flatMap(pos -> Arbitraries.bytes().map(v -> Tuple.of(pos, v))).list().ofMinSize(1).ofMaxSize(12);
        Arbitrary<byte[]> overwritten = base.flatMap(b -> edits.map(es -> {
            byte[] c = b.clone();
            for (var e : es) {
                c[e.get1() % c.length] = e.get2();
            }
            return c;
        }));
        Arbitrary<byte[]> cut = base.flatMap(b -> Arbitraries.integers().between(0, b.length).map(n -> Arrays.copyOf(b, n)));
        Arbitrary<byte[]> both = cut.filter(b -> b.length > 0).flatMap(b -> edits.map(es -> {
            byte[] c = b.clone();
            for (var e : es) {
                c[e.get1() % c.length] = e.get2();
            }
            return c;
        }));
        return Arbitraries.oneOf(overwritten, cut, both);
    }

    /**
     * Decodes; a DhcpDecodeException is a correct answer to bad bytes, anything else thrown fails the property.
     * What decodes must also classify and re-encode to the same message. Returns whether it decoded.
     */
    static boolean decodeOrReject(byte[] b) {
        DhcpMessage m;
        try {
            m = DhcpCodec.decode(b);
        } catch (DhcpDecodeException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            Statistics.label("decoded").collect(false);
            return false;
        }
        Statistics.label("decoded").collect(true);
        if (m.op() == DhcpMessage.BOOTREQUEST) {
            ClientInfo.of(m);
        }
        try {
            assertThat(DhcpCodec.decode(DhcpCodec.encode(m))).isEqualTo(m);
        } catch (DhcpDecodeException e) {
            throw new AssertionError("re-encoding a decoded message gave undecodable bytes: " + e.getMessage(), e);
        }
        return true;
    }

    @Property(tries = 1000)
    void subOptionParsingNeverThrows(@ForAll("anyBytes") byte[] b) {
        Map<Integer, byte[]> subs = DhcpCodec.subOptions(b);
        assertThat(subs.keySet()).allMatch(k -> k > 0 && k < 255);
    }

    @Provide
    Arbitrary<byte[]> anyBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    }
}
