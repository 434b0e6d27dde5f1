package io.bootdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ca and cert commands in-process: output, one-sentence errors, and bad input that changes nothing. */
class CaCliTest {
    @TempDir
    Path tmp;
    Path data;

    @BeforeEach
    void setUp() {
        data = tmp.resolve("data");
    }

    CliRun.Result run(String... args) {
        return CliRun.run(data, args);
    }

    /** Every file under the data dir with its size and content hash, and the certificate list. */
    String state() throws Exception {
        StringBuilder s = new StringBuilder();
        if (Files.exists(data.resolve("ca"))) {
            try (Stream<Path> files = Files.walk(data.resolve("ca"))) {
                for (Path p : files.sorted().toList()) {
                    if (Files.isRegularFile(p) && !p.getFileName().toString().equals(".lock")) {
                        s.append(data.relativize(p)).append(' ').append(java.util.Arrays.hashCode(Files.readAllBytes(p))).append('\n');
                    }
                }
            }
        }
        return s + run("cert", "list", "--all").out();
    }

    static void oneSentence(CliRun.Result r, String contains) {
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("bootdesk: ").contains(contains);
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void theWholeLifeOfAMachineCertificate() throws Exception {
        assertThat(run("ca", "show").out()).contains("no CA yet");
        Path pass = Files.writeString(tmp.resolve("pass"), "correct horse battery\n");

        CliRun.Result init = run("ca", "init", "--passphrase-file", pass.toString());
        assertThat(init.code()).as(init.err()).isZero();
        assertThat(init.out()).contains("created the CA CN=BootDesk CA").contains("PKCS#12, passphrase-protected")
                .containsPattern("sha-256 +([0-9a-f]{2}:){31}[0-9a-f]{2}");

        CliRun.Result issued = run("cert", "issue", "52:54:00:12:34:56", "--name", "lab-7", "--passphrase-file", pass.toString());
        assertThat(issued.code()).as(issued.err()).isZero();
        String serial = issued.out().split(" ")[1];
        assertThat(issued.out()).contains("for 52:54:00:12:34:56 (CN=lab-7,OU=machines,O=BootDesk)");

        assertThat(run("cert", "list").out()).contains(serial).contains("52:54:00:12:34:56").contains("valid")
                .contains("not delivered");

        Path ipxe = tmp.resolve("lab-7.ipxe");
        CliRun.Result export = run("cert", "export", "52:54:00:12:34:56", "--format", "ipxe", "--out", ipxe.toString());
        assertThat(export.code()).as(export.err()).isZero();
        assertThat(Files.readString(ipxe)).startsWith("#!ipxe\n").contains("\nset cert 30:82:").contains("\nset privkey 30:82:");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(ipxe))).isEqualTo("rw-------");
        assertThat(export.out()).doesNotContain("30:82");
        assertThat(run("cert", "list").out()).contains("exported file");

        CliRun.Result revoked = run("cert", "revoke", "52:54:00:12:34:56", "--reason", "key-compromise");
        assertThat(revoked.out()).isEqualTo("revoked " + serial + " of 52:54:00:12:34:56 (key-compromise)\n");
        assertThat(run("cert", "list").out()).contains("revoked").contains("(key-compromise)");
        assertThat(run("ca", "show").out()).contains("0 valid, 1 revoked");
    }

    @Test
    void exportsWriteEveryFormat() throws Exception {
        for (String f : List.of("pem", "der", "fingerprint", "esl", "fat-image", "crl")) {
            Path out = tmp.resolve("ca." + f);
            CliRun.Result r = run("ca", "export", "--format", f, "--out", out.toString());
            assertThat(r.code()).as(f + ": " + r.err()).isZero();
            assertThat(r.out()).isEqualTo("wrote " + out + "\n");
            assertThat(Files.size(out)).isPositive();
        }
        assertThat(Files.readString(tmp.resolve("ca.pem"))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(tmp.resolve("ca.fingerprint"))).matches("([0-9a-f]{2}:){31}[0-9a-f]{2}\n");
        assertThat(Files.readString(tmp.resolve("ca.fingerprint")).strip()).isEqualTo(
                run("ca", "show").out().lines().filter(l -> l.startsWith("sha-256")).findFirst().orElseThrow().substring(13));
        CliRun.Result recipe = run("ca", "export", "--format", "ipxe-recipe", "--out", tmp.resolve("recipe").toString(),
                "--script-url", "https://10.99.0.1/boot/${mac:hexhyp}.ipxe");
        assertThat(recipe.code()).as(recipe.err()).isZero();
        assertThat(Files.readString(tmp.resolve("recipe/README.txt"))).contains("make bin-x86_64-efi/ipxe.efi TRUST=");
    }

    @Test
    void badInputGetsOneSentenceAndChangesNothing() throws Exception {
        assertThat(run("cert", "issue", "52:54:00:12:34:56").code()).isZero();
        String before = state();

        oneSentence(run("cert", "issue", "52:54:00:12:34"), "not a MAC address: '52:54:00:12:34'");
        oneSentence(run("cert", "issue", "52:54:00:12:34:56"), "already has a valid certificate");
        oneSentence(run("cert", "issue", "52:54:00:12:34:57", "--days", "0"), "--days is 1 to 3650");
        oneSentence(run("cert", "revoke", "52:54:00:00:00:99"), "has no certificate that is not revoked already");
        oneSentence(run("cert", "revoke", "52:54:00:12:34:56", "--reason", "bored"), "'bored' is not a revocation reason");
        oneSentence(run("cert", "revoke"), "give either a MAC or --serial HEX");
        oneSentence(run("ca", "export", "--format", "png", "--out", tmp.resolve("x").toString()), "'png' is not an export format");
        oneSentence(run("ca", "export", "--format", "pem", "--out", tmp.resolve("no/such/dir/ca.pem").toString()), "does not exist");
        oneSentence(run("ca", "export", "--format", "pem", "--machine", "52:54:00:12:34:56", "--out", tmp.resolve("y").toString()),
                "--machine goes with --format ipxe-recipe only");
        oneSentence(run("ca", "init"), "a CA exists already");
        oneSentence(run("cert", "export", "52:54:00:00:00:99", "--format", "pem", "--out", tmp.resolve("z").toString()),
                "has no valid client certificate");
        oneSentence(run("ca", "rotate", "--passphrase-file", tmp.resolve("missing").toString()), "cannot read the passphrase file");

        assertThat(state()).isEqualTo(before);
        assertThat(tmp.resolve("x")).doesNotExist();
        assertThat(tmp.resolve("y")).doesNotExist();
    }

    @Test
    void rotationIsReportedAndShowTellsWhatToDo() throws Exception {
        assertThat(run("cert", "issue", "52:54:00:12:34:56").code()).isZero();
        assertThat(run("cert", "issue", "52:54:00:12:34:57").code()).isZero();
        String oldFp = run("ca", "show").out().lines().filter(l -> l.startsWith("sha-256")).findFirst().orElseThrow();

        CliRun.Result r = run("ca", "rotate");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("2 client certificate(s) of the old root revoked");

        String show = run("ca", "show").out();
        assertThat(show).doesNotContain(oldFp).contains("retired      CN=BootDesk CA")
                .contains("The root was rotated").contains("2 client certificate(s) were valid at rotation; 0 machine(s) have a new one")
                .contains("2 still need one (bootdesk cert issue MAC)");
        assertThat(run("cert", "list").out()).contains("revoked").contains("(superseded)");

        assertThat(run("cert", "issue", "52:54:00:12:34:56").code()).as("a fresh certificate under the new root").isZero();
        assertThat(run("ca", "show").out()).contains("1 machine(s) have a new one, 1 still need one");
        assertThat(run("ca", "rotate", "--reissue").out()).contains("1 client certificate(s) of the old root revoked, 1 re-issued");
    }
}
