package io.bootdesk.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.EventType;
import io.bootdesk.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real TFTP clients (tftp-hpa, atftp, curl) download from the in-process server on 127.0.0.1 and an unprivileged
 * port: with and without blksize and windowsize, block numbers wrapping, netascii, and a refused path. Files are
 * compared by SHA-256.
 */
class TftpInteropIT {
    @TempDir
    Path tmp;
    Path out;
    ServerFixture f;
    byte[] secret;

    @BeforeEach
    void start() throws IOException {
        f = new ServerFixture(tmp.resolve("server"), 1000, 5);
        out = Files.createDirectories(tmp.resolve("client"));
        secret = "not for TFTP clients".getBytes(StandardCharsets.US_ASCII);
        Files.write(tmp.resolve("server/secret.txt"), secret);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    record Run(int exit, String output) {
    }

    private Run run(String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(tmp, "client", ".log");
        Process p = new ProcessBuilder(command).directory(out.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", command) + " did not finish in 120 s: " + Files.readString(log));
        }
        Run r = new Run(p.exitValue(), Files.readString(log));
        System.out.println("$ " + String.join(" ", command) + "\n  exit " + r.exit() + (r.output().isBlank() ? ""
                : "\n  " + r.output().strip().replace("\n", "\n  ")));
        return r;
    }

    private static String sha256(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void assertSame(Path served, String local) throws IOException {
        Path got = out.resolve(local);
        assertThat(got).as(local + " written").exists();
        assertThat(sha256(got)).as("SHA-256 of " + local).isEqualTo(sha256(served));
    }

    private String port() {
        return Integer.toString(f.port());
    }

    @Test
    void tftpHpaOctetAndNetascii() throws Exception {
        Requirements.requireCommand("tftp", "tftp-hpa");
        Path bin = f.file("undionly.kpxe", 300_001, 1);
        Run r = run("tftp", "-m", "binary", "127.0.0.1", port(), "-c", "get", "undionly.kpxe", "hpa.bin");
        assertThat(r.exit()).as(r.output()).isZero();
        assertSame(bin, "hpa.bin");

        Path cfg = f.file("pxelinux.cfg/default", 1, 2);
        Files.writeString(cfg, "DEFAULT menu\r\nLABEL local\n  LOCALBOOT 0\rx\n".repeat(200), StandardCharsets.US_ASCII);
        r = run("tftp", "-m", "netascii", "127.0.0.1", port(), "-c", "get", "/pxelinux.cfg/default", "hpa.cfg");
        assertThat(r.exit()).as(r.output()).isZero();
        assertSame(cfg, "hpa.cfg"); // the client undoes the netascii translation: byte-identical again
        assertThat(f.await(EventType.TFTP_DONE, e -> e.message().contains("netascii")).bytes())
                .isGreaterThan(Files.size(cfg));
    }

    @Test
    void atftpWithAndWithoutBlksizeAndWindowsize() throws Exception {
        Requirements.requireCommand("atftp", "atftp");
        Path bin = f.file("snponly.efi", 2_000_000 + 123, 3);
        List<List<String>> variants = List.of(List.of(), List.of("--option", "blksize 1468"),
                List.of("--option", "blksize 1468", "--option", "windowsize 16"),
                List.of("--option", "windowsize 8", "--option", "tsize 0"));
        int i = 0;
        for (List<String> options : variants) {
            String local = "atftp" + i++ + ".bin";
            List<String> cmd = new ArrayList<>(List.of("atftp", "--get", "-r", "snponly.efi", "-l", local));
            cmd.addAll(options);
            cmd.addAll(List.of("127.0.0.1", port()));
            Run r = run(cmd.toArray(String[]::new));
            assertThat(r.exit()).as(r.output()).isZero();
            assertSame(bin, local);
        }
        assertThat(f.seen.stream().filter(e -> e.type() == EventType.TFTP_START)
                .anyMatch(e -> e.message().contains("blksize 1468, windowsize 16"))).isTrue();
    }

    @Test
    void atftpBlockNumbersWrapAround() throws Exception {
        Requirements.requireCommand("atftp", "atftp");
        Path bin = f.file("wrap.bin", 600_000, 4); // 75,001 blocks of 8 bytes
        Run r = run("atftp", "--get", "-r", "wrap.bin", "-l", "wrap.bin", "--option", "blksize 8",
                "--option", "windowsize 16", "127.0.0.1", port());
        assertThat(r.exit()).as(r.output()).isZero();
        assertSame(bin, "wrap.bin");
    }

    @Test
    void curlWithAndWithoutBlksize() throws Exception {
        Requirements.requireCommand("curl", "curl");
        Path bin = f.file("boot/ipxe.efi", 1_000_000 + 7, 5);
        String url = "tftp://127.0.0.1:" + port() + "/boot/ipxe.efi";
        Run r = run("curl", "-sS", "-o", "curl512.bin", url);
        assertThat(r.exit()).as(r.output()).isZero();
        assertSame(bin, "curl512.bin");
        r = run("curl", "-sS", "--tftp-blksize", "1468", "-o", "curl1468.bin", url);
        assertThat(r.exit()).as(r.output()).isZero();
        assertSame(bin, "curl1468.bin");
        r = run("curl", "-sS", "--tftp-no-options", "-o", "curlplain.bin", url);
        assertThat(r.exit()).as(r.output()).isZero();
        assertSame(bin, "curlplain.bin");
    }

    @Test
    void pathsOutsideTheRootAreRefusedToEveryClient() throws Exception {
        Requirements.requireCommand("tftp", "tftp-hpa");
        Requirements.requireCommand("atftp", "atftp");
        Requirements.requireCommand("curl", "curl");
        Run hpa = run("tftp", "-m", "binary", "127.0.0.1", port(), "-c", "get", "../secret.txt", "hpa.out");
        assertThat(hpa.output()).contains("Error code 2");
        Run atftp = run("atftp", "--get", "-r", "../secret.txt", "-l", "atftp.out", "127.0.0.1", port());
        assertThat(atftp.exit()).isNotZero();
        assertThat(atftp.output()).containsIgnoringCase("access violation");
        Run curl = run("curl", "-sS", "-o", "curl.out", "tftp://127.0.0.1:" + port() + "/..%2Fsecret.txt");
        // curl's exit code 69 is CURLE_TFTP_PERM, its translation of TFTP error 2 (curl 7.88 prints a getpeername
        // complaint instead of the server's message, but the code says what the server answered)
        assertThat(curl.exit()).isEqualTo(69);
        for (String local : List.of("hpa.out", "atftp.out", "curl.out")) {
            Path p = out.resolve(local);
            assertThat(!Files.exists(p) || Files.size(p) == 0).as(local + " holds nothing").isTrue();
        }
        // the server answers first and journals right after, so the last client may exit before its event
        assertThat(f.awaitCount(EventType.TFTP_FAILED, e -> e.message().contains("refused path"), 3)).isEqualTo(3);
    }
}
