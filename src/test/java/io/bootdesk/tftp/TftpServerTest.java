package io.bootdesk.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.BootEvent;
import io.bootdesk.model.ClientArch;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.EventType;
import io.bootdesk.model.MacAddress;
import io.bootdesk.tftp.TftpPacket.Ack;
import io.bootdesk.tftp.TftpPacket.Data;
import io.bootdesk.tftp.TftpPacket.ErrorPacket;
import io.bootdesk.tftp.TftpPacket.OptionAck;
import io.bootdesk.tftp.TftpPacket.ReadRequest;
import io.bootdesk.tftp.TftpPacket.WriteRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server on 127.0.0.1 against {@link TestClient}: negotiation, windows, wrap-around, loss, refusals. */
class TftpServerTest {
    @TempDir
    Path tmp;
    ServerFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new ServerFixture(tmp, 250, 3);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private static Map<String, String> opts(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void plainRfc1350ReadWithoutOptions() throws Exception {
        Path p = f.file("undionly.kpxe", 70_000, 1);
        try (TestClient c = new TestClient(f.port())) {
            TestClient.Result r = c.download("undionly.kpxe", "octet", Map.of());
            assertThat(r.complete).as(r.failure).isTrue();
            assertThat(r.oack).isNull();
            assertThat(r.data()).isEqualTo(Files.readAllBytes(p));
            assertThat(r.blocks).isEqualTo(70_000 / 512 + 1);
            assertThat(r.tid.getPort()).isNotEqualTo(f.port());
        }
        BootEvent done = f.await(EventType.TFTP_DONE);
        assertThat(done.bytes()).isEqualTo(70_000);
        assertThat(done.message()).contains("undionly.kpxe").contains("70000 bytes").contains("MiB/s");
    }

    @Test
    void fileOfWholeBlocksEndsWithAnEmptyBlock() throws Exception {
        Path p = f.file("exact.bin", 512 * 4, 2);
        try (TestClient c = new TestClient(f.port())) {
            TestClient.Result r = c.download("exact.bin", "OCTET", Map.of());
            assertThat(r.complete).as(r.failure).isTrue();
            assertThat(r.blocks).isEqualTo(5);
            assertThat(r.data()).isEqualTo(Files.readAllBytes(p));
        }
        try (TestClient c = new TestClient(f.port())) {
            Files.write(f.root.resolve("empty"), new byte[0]);
            TestClient.Result r = c.download("empty", "octet", Map.of());
            assertThat(r.complete).isTrue();
            assertThat(r.blocks).isEqualTo(1);
            assertThat(r.data()).isEmpty();
        }
        assertThat(f.await(EventType.TFTP_DONE, e -> e.message().contains("empty")).bytes()).isZero();
    }

    @Test
    void negotiatesBlksizeTsizeTimeoutAndIgnoresUnknownOptions() throws Exception {
        Path p = f.file("ipxe.efi", 100_000, 3);
        try (TestClient c = new TestClient(f.port())) {
            TestClient.Result r = c.download("ipxe.efi", "octet",
                    opts("BlkSize", "1468", "tsize", "0", "timeout", "2", "multicast", "", "utimeout", "5000"));
            assertThat(r.complete).as(r.failure).isTrue();
            assertThat(r.oack.options()).containsExactly(Map.entry("BlkSize", "1468"), Map.entry("tsize", "100000"),
                    Map.entry("timeout", "2"));
            assertThat(r.data()).isEqualTo(Files.readAllBytes(p));
            assertThat(r.blocks).isEqualTo(100_000 / 1468 + 1);
        }
        BootEvent start = f.await(EventType.TFTP_START);
        assertThat(start.message()).contains("ipxe.efi").contains("100000 bytes").contains("blksize 1468")
                .contains("tsize").contains("timeout 2s");
    }

    @Test
    void outOfRangeOptionsAreLoweredOrLeftOut() throws Exception {
        f.file("f", 200_000, 4);
        try (TestClient c = new TestClient(f.port())) {
            TestClient.Result r = c.download("f", "octet", opts("blksize", "70000", "windowsize", "1000"));
            assertThat(r.complete).as(r.failure).isTrue();
            assertThat(r.oack.options()).containsExactly(Map.entry("blksize", "65464"), Map.entry("windowsize", "64"));
            assertThat(r.data()).hasSize(200_000);
        }
        try (TestClient c = new TestClient(f.port())) {
            // nothing acceptable: no OACK, plain 512-byte blocks
            TestClient.Result r = c.download("f", "octet", opts("blksize", "7", "timeout", "0", "windowsize", "x",
                    "tsize", "-1"));
            assertThat(r.complete).as(r.failure).isTrue();
            assertThat(r.oack).isNull();
            assertThat(r.blocks).isEqualTo(200_000 / 512 + 1);
        }
    }

    @Test
    void windowsizeSendsWindowsAndIsAckedOncePerWindow() throws Exception {
        Path p = f.file("big.bin", 1468 * 160 + 7, 5);
        try (TestClient c = new TestClient(f.port())) {
            TestClient.Result r = c.download("big.bin", "octet", opts("blksize", "1468", "windowsize", "16"));
            assertThat(r.complete).as(r.failure).isTrue();
            assertThat(r.oack.option("windowsize")).contains("16");
            assertThat(r.data()).isEqualTo(Files.readAllBytes(p));
            assertThat(r.blocks).isEqualTo(161);
            assertThat(r.duplicates).isZero();
            assertThat(r.acksSent).isEqualTo(1 + 11); // ACK 0 for the OACK, then one per window of 16 (the last short)
        }
        assertThat(f.await(EventType.TFTP_START).message()).contains("windowsize 16");
    }

    @Test
    void lostBlockInAWindowRestartsTheWindowThere() throws Exception {
        Path p = f.file("w.bin", 512 * 40, 6);
        try (TestClient c = new TestClient(f.port())) {
            c.loseData.add(5L);
            c.loseData.add(23L);
            TestClient.Result r = c.download("w.bin", "octet", opts("windowsize", "8"));
            assertThat(r.complete).as(r.failure).isTrue();
            assertThat(r.data()).isEqualTo(Files.readAllBytes(p));
            assertThat(r.duplicates).isPositive(); // blocks 6..8 and 24 arrived out of order and were dropped
        }
        assertThat(f.await(EventType.TFTP_DONE).bytes()).isEqualTo(512 * 40);
    }

    @Test
    void blockNumbersWrapAroundPast65535() throws Exception {
        int size = 600_000; // 75,001 blocks of 8 bytes
        Path p = f.file("wrap.bin", size, 7);
        try (TestClient c = new TestClient(f.port())) {
            TestClient.Result r = c.download("wrap.bin", "octet", opts("blksize", "8", "windowsize", "32"));
            assertThat(r.complete).as(r.failure).isTrue();
            assertThat(r.blocks).isEqualTo(size / 8 + 1).isGreaterThan(65_535);
            assertThat(r.data()).isEqualTo(Files.readAllBytes(p));
        }
        assertThat(f.await(EventType.TFTP_DONE).bytes()).isEqualTo(size);
    }

    @Test
    void lockStepWrapAround() throws Exception {
        int size = 65_540 * 8;
        Path p = f.file("wrap1.bin", size, 8);
        try (TestClient c = new TestClient(f.port())) {
            c.loseAcks.add(65_536L); // the ACK numbered 0 on the wire, lost once: the timer resends block 65536
            TestClient.Result r = c.download("wrap1.bin", "octet", opts("blksize", "8"));
            assertThat(r.complete).as(r.failure).isTrue();
            assertThat(r.data()).isEqualTo(Files.readAllBytes(p));
            assertThat(r.duplicates).isEqualTo(1);
        }
    }

    @Test
    void lostAckIsRecoveredByRetransmission() throws Exception {
        Path p = f.file("r.bin", 512 * 10 + 1, 9);
        try (TestClient c = new TestClient(f.port())) {
            c.loseAcks.add(3L);
            c.loseAcks.add(11L); // the final ACK too: the server resends the last block, the client ACKs it again
            TestClient.Result r = c.download("r.bin", "octet", Map.of());
            assertThat(r.complete).isTrue();
            // the final ACK was lost once: answer the retransmitted last block the way a dallying client does
            TestClient.Received again = c.receive(2000);
            assertThat(again.packet()).isEqualTo(new Data(11, new byte[] {Files.readAllBytes(p)[512 * 10]}));
            c.send(new Ack(11), r.tid);
            assertThat(r.data()).isEqualTo(Files.readAllBytes(p));
            assertThat(r.duplicates).isEqualTo(1); // block 3 came twice
        }
        BootEvent done = f.await(EventType.TFTP_DONE);
        assertThat(done.message()).contains("2 retransmissions");
    }

    @Test
    void repeatedAckDoesNotRepeatData() throws Exception {
        try (ServerFixture slow = new ServerFixture(tmp.resolve("slow"), 5000, 3);
             TestClient c = new TestClient(slow.port())) {
            slow.file("s.bin", 512 * 6, 10);
            c.send(new ReadRequest("s.bin", "octet"), c.server);
            TestClient.Received b1 = c.receive(2000);
            assertThat(b1.packet()).isInstanceOf(Data.class).extracting(p -> ((Data) p).block()).isEqualTo(1);
            c.send(new Ack(1), b1.from());
            c.send(new Ack(1), b1.from());
            c.send(new Ack(1), b1.from());
            TestClient.Received b2 = c.receive(2000);
            assertThat(((Data) b2.packet()).block()).isEqualTo(2);
            // within the retransmission timeout nothing else may come: the repeated ACKs must not resend block 2
            assertThat(c.receive(700)).isNull();
            c.send(new Ack(2), b1.from());
            assertThat(((Data) c.receive(2000).packet()).block()).isEqualTo(3);
        }
    }

    /**
     * Firmware that has the whole file stops listening; when its last ACK is lost the server only sees silence after
     * the final window. That is journaled as delivered (with the note), not as a failed boot.
     */
    @Test
    void aLostFinalAckAfterTheWholeFileWentOutIsNotAFailure() throws Exception {
        Path p = f.file("w.bin", 1468 * 9 + 100, 17);
        try (TestClient c = new TestClient(f.port())) {
            c.loseAcks.add(10L);
            TestClient.Result r = c.download("w.bin", "octet", opts("blksize", "1468", "windowsize", "4"));
            assertThat(r.complete).as(r.failure).isTrue();
            assertThat(r.data()).isEqualTo(Files.readAllBytes(p));
        } // the client is gone: nobody answers the retransmitted last window
        BootEvent done = f.await(EventType.TFTP_DONE);
        assertThat(done.message()).contains("w.bin").contains("no ACK for the last window");
        assertThat(done.bytes()).isEqualTo(1468 * 9 + 100);
    }

    @Test
    void silentClientTimesOutAfterBoundedRetries() throws Exception {
        f.file("t.bin", 2000, 11);
        try (TestClient c = new TestClient(f.port())) {
            c.send(new ReadRequest("t.bin", "octet"), c.server);
            int copies = 0;
            while (c.receive(1000) instanceof TestClient.Received rcv && rcv.packet() instanceof Data d) {
                assertThat(d.block()).isEqualTo(1);
                copies++;
            }
            assertThat(copies).isEqualTo(4); // the first send and 3 retransmissions
        }
        BootEvent failed = f.await(EventType.TFTP_FAILED);
        assertThat(failed.message()).contains("t.bin").contains("timeout");
        long end = System.nanoTime() + 5_000_000_000L;
        while (f.server.activeTransfers() > 0 && System.nanoTime() < end) {
            Thread.sleep(10); // the event is journaled just before the transfer's socket and file are closed
        }
        assertThat(f.server.activeTransfers()).isZero();
    }

    @Test
    void unansweredOackTimesOut() throws Exception {
        f.file("o.bin", 2000, 12);
        try (TestClient c = new TestClient(f.port())) {
            c.send(new ReadRequest("o.bin", "octet", opts("tsize", "0")), c.server);
            int copies = 0;
            while (c.receive(1000) instanceof TestClient.Received rcv && rcv.packet() instanceof OptionAck) {
                copies++;
            }
            assertThat(copies).isEqualTo(4);
        }
        assertThat(f.await(EventType.TFTP_FAILED).message()).contains("timeout").contains("option acknowledgement");
    }

    @Test
    void clientErrorEndsTheTransfer() throws Exception {
        f.file("e.bin", 5000, 13);
        try (TestClient c = new TestClient(f.port())) {
            c.send(new ReadRequest("e.bin", "octet", opts("blksize", "1024")), c.server);
            TestClient.Received oack = c.receive(2000);
            assertThat(oack.packet()).isInstanceOf(OptionAck.class);
            c.send(new ErrorPacket(ErrorPacket.OPTION_REFUSED, "no thanks"), oack.from());
            assertThat(c.receive(700)).isNull(); // nothing more: no retransmitted OACK
        }
        assertThat(f.await(EventType.TFTP_FAILED).message()).contains("client refused the options").contains("no thanks");
        try (TestClient c = new TestClient(f.port())) {
            c.send(new ReadRequest("e.bin", "octet"), c.server);
            TestClient.Received d1 = c.receive(2000);
            c.send(new ErrorPacket(0, "user cancelled"), d1.from());
            assertThat(c.receive(700)).isNull();
        }
        assertThat(f.await(EventType.TFTP_FAILED, e -> e.message().contains("client error 0: user cancelled"))).isNotNull();
    }

    @Test
    void packetFromAStrangerGetsUnknownTidAndTheTransferGoesOn() throws Exception {
        Path p = f.file("tid.bin", 3000, 14);
        try (TestClient c = new TestClient(f.port()); TestClient stranger = new TestClient(f.port())) {
            c.send(new ReadRequest("tid.bin", "octet"), c.server);
            TestClient.Received d1 = c.receive(2000);
            stranger.send(new Ack(1), d1.from());
            TestClient.Received err = stranger.receive(2000);
            assertThat(err.packet()).isEqualTo(new ErrorPacket(ErrorPacket.UNKNOWN_TID, "unknown transfer ID"));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            Data d = (Data) d1.packet();
            while (true) {
                got.write(d.data());
                c.send(new Ack(d.block()), d1.from());
                if (d.length() < 512) {
                    break;
                }
                d = (Data) c.receive(2000).packet();
            }
            assertThat(got.toByteArray()).isEqualTo(Files.readAllBytes(p));
        }
    }

    @Test
    void subdirectoriesAndALeadingSlashAreServed() throws Exception {
        Path p = f.file("pxelinux.cfg/default", 300, 15);
        try (TestClient c = new TestClient(f.port())) {
            assertThat(c.download("/pxelinux.cfg/default", "octet", Map.of()).data()).isEqualTo(Files.readAllBytes(p));
        }
        Path fromIpxe = Files.write(f.ipxe.resolve("snponly.efi"), "from the iPXE dir".getBytes(StandardCharsets.UTF_8));
        try (TestClient c = new TestClient(f.port())) {
            assertThat(c.download("snponly.efi", "octet", Map.of()).data()).isEqualTo(Files.readAllBytes(fromIpxe));
        }
    }

    @Test
    void pathsLeavingTheRootAreRefused() throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(f.root.resolve("link.txt"), secret);
        f.file("sub/ok.bin", 10, 16);
        for (String name : List.of("../secret.txt", "sub/../../secret.txt", "//etc/passwd", "sub\\..\\..\\secret.txt",
                "link.txt", "..", ".hidden")) {
            try (TestClient c = new TestClient(f.port())) {
                TestClient.Result r = c.download(name, "octet", Map.of());
                assertThat(r.error).as(name).isNotNull();
                assertThat(r.error.code()).as(name).isEqualTo(ErrorPacket.ACCESS_VIOLATION);
                assertThat(r.data()).isEmpty();
            }
        }
        assertThat(f.await(EventType.TFTP_FAILED, e -> e.message().contains("link.txt")).message())
                .contains("refused path");
        try (TestClient c = new TestClient(f.port())) {
            TestClient.Result r = c.download("/etc/passwd", "octet", Map.of()); // one slash: relative, not there
            assertThat(r.error.code()).isEqualTo(ErrorPacket.FILE_NOT_FOUND);
        }
    }

    @Test
    void unknownFileIsError1AndJournaledForTheMachine() throws Exception {
        MacAddress mac = MacAddress.parse("52:54:00:12:34:56");
        f.inventory.observeDhcp(mac, "127.0.0.1", "PXEClient", ClientArch.BIOS_X86, ClientKind.PXE, null);
        try (TestClient c = new TestClient(f.port())) {
            TestClient.Result r = c.download("nope.efi", "octet", Map.of());
            assertThat(r.error).isEqualTo(new ErrorPacket(ErrorPacket.FILE_NOT_FOUND, "file not found"));
        }
        BootEvent failed = f.await(EventType.TFTP_FAILED);
        assertThat(failed.mac()).isEqualTo(mac);
        assertThat(failed.ip()).isEqualTo("127.0.0.1");
        assertThat(failed.message()).contains("not found").contains("nope.efi");
    }

    @Test
    void writeRequestIsRefusedWithError2() throws Exception {
        try (TestClient c = new TestClient(f.port())) {
            c.send(new WriteRequest("upload.bin", "octet", Map.of()), c.server);
            TestClient.Received r = c.receive(2000);
            assertThat(r.packet()).isInstanceOf(ErrorPacket.class);
            assertThat(((ErrorPacket) r.packet()).code()).isEqualTo(ErrorPacket.ACCESS_VIOLATION);
        }
        assertThat(f.await(EventType.TFTP_FAILED).message()).contains("read-only");
        assertThat(Files.exists(f.root.resolve("upload.bin"))).isFalse();
    }

    @Test
    void unsupportedModeIsRefused() throws Exception {
        f.file("m.txt", 10, 17);
        try (TestClient c = new TestClient(f.port())) {
            TestClient.Result r = c.download("m.txt", "mail", Map.of());
            assertThat(r.error.code()).isEqualTo(ErrorPacket.ILLEGAL_OPERATION);
        }
    }

    @Test
    void netasciiTranslatesLineEndsAcrossBlockBoundaries() throws Exception {
        String text = "line one\nline two\r\nbare\rcarriage\n\n\r\rend";
        byte[] raw = text.repeat(50).getBytes(StandardCharsets.US_ASCII);
        Files.write(f.root.resolve("menu.txt"), raw);
        byte[] expected = text.repeat(50).replace("\r", "\r\0").replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII);
        for (String blksize : List.of("8", "9", "512")) {
            try (TestClient c = new TestClient(f.port())) {
                TestClient.Result r = c.download("menu.txt", "netascii", opts("blksize", blksize, "tsize", "0",
                        "windowsize", "3"));
                assertThat(r.complete).as(r.failure).isTrue();
                assertThat(r.oack.option("tsize")).isEmpty(); // the netascii size is not known up front
                assertThat(r.data()).as("blksize " + blksize).isEqualTo(expected);
            }
        }
    }

    @Test
    void manyTransfersAtOnce() throws Exception {
        int n = 24;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            files.add(f.file("c/" + i + ".bin", 20_000 + 977 * i, 100 + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = "c/" + i + ".bin";
                Map<String, String> o = i % 2 == 0 ? opts("blksize", "1024", "windowsize", "4") : Map.of();
                results.add(pool.submit(() -> {
                    try (TestClient c = new TestClient(f.port())) {
                        TestClient.Result r = c.download(name, "octet", o);
                        if (!r.complete) {
                            throw new AssertionError(name + ": " + r.failure + " " + r.error);
                        }
                        return r.data();
                    }
                }));
            }
            for (int i = 0; i < n; i++) {
                assertThat(results.get(i).get()).isEqualTo(Files.readAllBytes(files.get(i)));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(f.awaitCount(EventType.TFTP_DONE, e -> true, n)).isEqualTo(n);
    }

    @Test
    void pxeRomTsizeProbeThenRealRequestFromTheSamePort() throws Exception {
        Path p = f.file("undionly.kpxe", 74_213, 19);
        try (TestClient c = new TestClient(f.port())) {
            c.send(new ReadRequest("undionly.kpxe", "octet", opts("tsize", "0")), c.server);
            TestClient.Received oack = c.receive(2000);
            assertThat(oack.packet()).isEqualTo(new OptionAck(opts("tsize", "74213")));
            c.send(new ErrorPacket(ErrorPacket.OPTION_REFUSED, "TFTP Aborted"), oack.from());
            // at once, from the same port: the real request must be answered now, not after a retransmission
            long t0 = System.nanoTime();
            TestClient.Result r = c.download("undionly.kpxe", "octet", opts("blksize", "1456", "tsize", "0"));
            assertThat(r.complete).as(r.failure).isTrue();
            assertThat(r.tid).isNotEqualTo(oack.from());
            assertThat(r.data()).isEqualTo(Files.readAllBytes(p));
            assertThat(System.nanoTime() - t0).isLessThan(200_000_000L); // well under the 250 ms retransmission timeout
        }
        f.await(EventType.TFTP_DONE);
        // the probe is a normal step of a PXE boot: journaled as a notice, the machine's stage is not "failed"
        assertThat(f.await(EventType.NOTICE).message()).contains("size probe").contains("74213 bytes");
        assertThat(f.seen).noneMatch(e -> e.type() == EventType.TFTP_FAILED);
    }

    @Test
    void repeatedRequestFromTheSamePortDoesNotStartASecondTransfer() throws Exception {
        f.file("dup.bin", 100, 18);
        try (TestClient c = new TestClient(f.port())) {
            c.send(new ReadRequest("dup.bin", "octet"), c.server);
            c.send(new ReadRequest("dup.bin", "octet"), c.server);
            TestClient.Received first = c.receive(2000);
            assertThat(first.packet()).isInstanceOf(Data.class);
            assertThat(c.receive(150)).isNull(); // no second block 1 from another port
            c.send(new Ack(1), first.from());
        }
        f.await(EventType.TFTP_DONE);
        assertThat(f.seen.stream().filter(e -> e.type() == EventType.TFTP_START).count()).isEqualTo(1);
    }
}
