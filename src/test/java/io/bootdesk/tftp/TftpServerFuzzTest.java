package io.bootdesk.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.tftp.TftpPacket.Ack;
import io.bootdesk.tftp.TftpPacket.Data;
import io.bootdesk.tftp.TftpPacket.ReadRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Random datagrams thrown at the running server, on the request port and, from the client's own address, into a
 * running transfer: the server must drop them and go on serving the next valid request and that transfer.
 */
class TftpServerFuzzTest {
    private Path dir;
    private ServerFixture f;
    private byte[] content;

    @BeforeProperty
    void start() throws IOException {
        dir = Files.createTempDirectory("bdtftp-fuzz");
        f = new ServerFixture(dir, 250, 2);
        content = Files.readAllBytes(f.file("ok.bin", 3000, 42));
    }

    @AfterProperty
    void stop() throws IOException {
        f.close();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Property(tries = 120)
    void garbageNeverStopsTheServer(@ForAll("datagrams") List<byte[]> junk) throws IOException {
        try (TestClient attacker = new TestClient(f.port())) {
            for (byte[] b : junk) {
                attacker.sendRaw(b, attacker.server);
            }
        }
        try (TestClient c = new TestClient(f.port())) {
            c.send(new ReadRequest("ok.bin", "octet"), c.server);
            TestClient.Received first = c.receive(3000);
            assertThat(first).as("an answer to a valid request after the garbage").isNotNull();
            for (byte[] b : junk) {
                if (!decodes(b)) {
                    c.sendRaw(b, first.from()); // malformed, from the transfer's own client: dropped, nothing ends
                }
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            Data d = (Data) first.packet();
            while (true) {
                got.write(d.data());
                c.send(new Ack(d.block()), first.from());
                if (d.length() < 512) {
                    break;
                }
                TestClient.Received next = c.receive(3000);
                assertThat(next).as("block after " + d.block()).isNotNull();
                d = (Data) next.packet();
                if (d.block() != ((got.size() / 512 + 1) & 0xffff)) {
                    throw new AssertionError("unexpected block " + d.block());
                }
            }
            assertThat(got.toByteArray()).isEqualTo(content);
        }
        try (TestClient c = new TestClient(f.port())) {
            TestClient.Result r = c.download("ok.bin", "octet", Map.of("blksize", "1000", "windowsize", "2"));
            assertThat(r.complete).as(r.failure).isTrue();
            assertThat(r.data()).isEqualTo(content);
        }
    }

    private static boolean decodes(byte[] b) {
        try {
            TftpCodec.decode(b);
            return true;
        } catch (TftpDecodeException e) {
            return false;
        }
    }

    @Provide
    Arbitrary<List<byte[]>> datagrams() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
        Arbitrary<byte[]> big = Arbitraries.bytes().array(byte[].class).ofMinSize(2000).ofMaxSize(3000);
        Arbitrary<byte[]> opcodeThenJunk = Combinators.combine(Arbitraries.integers().between(0, 7),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(80)).as((op, tail) -> {
                    byte[] b = new byte[tail.length + 2];
                    b[1] = (byte) (int) op;
                    System.arraycopy(tail, 0, b, 2, tail.length);
                    return b;
                });
        byte[] valid = TftpCodec.encode(new ReadRequest("ok.bin", "octet", Map.of("blksize", "1468", "tsize", "0")));
        Arbitrary<byte[]> truncated = Arbitraries.integers().between(0, valid.length - 1)
                .map(n -> java.util.Arrays.copyOf(valid, n));
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(5, random), net.jqwik.api.Tuple.of(1, big),
                        net.jqwik.api.Tuple.of(5, opcodeThenJunk), net.jqwik.api.Tuple.of(3, truncated))
                .list().ofMinSize(1).ofMaxSize(20);
    }
}
