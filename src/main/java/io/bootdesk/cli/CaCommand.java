package io.bootdesk.cli;

import io.bootdesk.engine.CaPassphrases;
import io.bootdesk.engine.Certificates;
import io.bootdesk.engine.ExportFormat;
import io.bootdesk.engine.Workspace;
import io.bootdesk.model.CaRotation;
import io.bootdesk.model.CaSummary;
import io.bootdesk.model.CertificateInfo;
import io.bootdesk.model.MacAddress;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "ca", mixinStandardHelpOptions = true,
        description = {"BootDesk's certificate authority (in DATA-DIR/ca): created on first use, or by 'ca init'.",
                "The CA key's passphrase (optional) comes from --passphrase-file FILE, --ask-passphrase, or the",
                "environment: " + CaPassphrases.ENV_FILE + "=FILE (first line) or " + CaPassphrases.ENV_VALUE + "=TEXT."},
        subcommands = {CaCommand.Init.class, CaCommand.Show.class, CaCommand.Rotate.class, CaCommand.Export.class})
final class CaCommand implements Runnable {
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneId.systemDefault());
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    @ParentCommand
    BootdeskCommand root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create the CA now (RSA-3072 root, SHA-256, 10 years); protected by a passphrase if one is given.")
    static final class Init implements Callable<Integer> {
        @ParentCommand
        CaCommand ca;

        @Mixin
        PassphraseOptions passphrase;

        @Override
        public Integer call() {
            try (Workspace w = Workspace.open(ca.root.dataDir)) {
                CaSummary s = w.certificates(passphrase.input(true)).init();
                System.out.println("created the CA " + s.root().subject());
                print(System.out, s);
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "The root, its fingerprint, where its key is, the server certificate, and what rotations left behind.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        CaCommand ca;

        @Override
        public Integer call() {
            try (Workspace w = Workspace.open(ca.root.dataDir)) {
                var s = w.certificates(CaPassphrases.Input.NONE).show();
                if (s.isEmpty()) {
                    System.out.println("no CA yet: it is created on first use, or now with 'bootdesk ca init'");
                    return 0;
                }
                print(System.out, s.get());
            }
            return 0;
        }
    }

    static void print(PrintStream out, CaSummary s) {
        CertificateInfo r = s.root();
        out.println("folder       " + s.directory());
        out.println("root         " + r.subject());
        out.println("serial       " + r.serial());
        out.println("valid        " + DAY.format(r.notBefore()) + " to " + DAY.format(r.notAfter()));
        out.println("sha-256      " + s.fingerprint());
        out.println("key          " + s.keyFile() + (s.keyProtected()
                ? " (PKCS#12, passphrase-protected)" : " (not passphrase-protected; readable by its owner only)"));
        CertificateInfo srv = s.server();
        out.println("server       " + (srv == null ? "none yet (issued when HTTPS starts)"
                : srv.serial() + ", until " + DAY.format(srv.notAfter()) + ", for " + String.join(" ", s.serverNames())));
        CertificateInfo ocsp = s.ocspSigner();
        out.println("ocsp signer  " + (ocsp == null ? "none yet (issued on the first OCSP request)"
                : ocsp.serial() + ", until " + DAY.format(ocsp.notAfter())));
        out.println("clients      " + s.clientsValid() + " valid, " + s.clientsRevoked() + " revoked (bootdesk cert list)");
        for (CertificateInfo old : s.retiredRoots()) {
            out.println("retired      " + old.subject() + " (rotated " + TIME.format(old.revokedAt()) + ")");
        }
        if (!s.retiredRoots().isEmpty()) {
            int lost = s.lostByRotation().size();
            long missing = s.lostByRotation().stream().map(CertificateInfo::mac).distinct()
                    .filter(m -> !s.reissuedAfterRotation().contains(m)).count();
            out.println();
            out.println("The root was rotated: everything the old root issued is revoked (superseded). Firmware and");
            out.println("iPXE builds that trust the old root must get the new one (ca export --format esl|fat-image|");
            out.println("fingerprint|ipxe-recipe), and the server certificate is re-issued under the new root.");
            if (lost > 0) {
                out.println(lost + " client certificate(s) were valid at rotation; " + s.reissuedAfterRotation().size()
                        + " machine(s) have a new one" + (missing == 0 ? "." : ", " + missing
                        + " still need one (bootdesk cert issue MAC), and every machine needs its new key delivered."));
            }
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = {"Replace the root with a new one. Everything the old root issued is revoked (superseded) and",
                    "its key destroyed; the server certificate is re-issued on next use. Machines must be given the",
                    "new root and new client certificates (--reissue issues them now, same names)."})
    static final class Rotate implements Callable<Integer> {
        @ParentCommand
        CaCommand ca;

        @Mixin
        PassphraseOptions passphrase;

        @Option(names = "--reissue", description = "Issue new client certificates now for every machine that had a valid one.")
        boolean reissue;

        @Override
        public Integer call() {
            try (Workspace w = Workspace.open(ca.root.dataDir)) {
                Certificates c = w.certificates(passphrase.input(true));
                CaRotation r = c.rotate(reissue);
                System.out.println("new root " + r.newRoot().subject() + " (sha-256 " + c.fingerprint() + ")");
                System.out.println("retired  " + (r.oldRoot() == null ? "-" : r.oldRoot().subject()));
                System.out.println(r.clientsLost() + " client certificate(s) of the old root revoked"
                        + (reissue ? ", " + r.reissued().size() + " re-issued" : ""));
                for (CertificateInfo i : r.reissued()) {
                    System.out.println("  " + i.mac() + " -> " + i.serial());
                }
                System.out.println("Give machines the new root: bootdesk ca export --format esl|fat-image|fingerprint|ipxe-recipe");
            }
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Write the root for firmware and iPXE:",
                    "  pem, der      the root certificate",
                    "  fingerprint   SHA-256 in iPXE's form (aa:bb:...), for 'trust' / DHCP 175.90",
                    "  esl           EFI signature list: QEMU -fw_cfg name=etc/edk2/https/cacerts,file=OUT",
                    "  fat-image     FAT image with the root (DER, PEM, ESL) for firmware enrolment screens",
                    "  ipxe-recipe   folder OUT with TRUST=, EMBED= (and CERT=/PRIVKEY= with --machine) and the make line",
                    "  crl           the current CRL (DER)"})
    static final class Export implements Callable<Integer> {
        @ParentCommand
        CaCommand ca;

        @Mixin
        PassphraseOptions passphrase;

        @Option(names = "--format", required = true, paramLabel = "FORMAT",
                description = "pem, der, fingerprint, esl, fat-image, ipxe-recipe or crl.")
        String format;

        @Option(names = "--out", required = true, paramLabel = "PATH", description = "File to write (a folder for ipxe-recipe).")
        Path out;

        @Option(names = "--machine", paramLabel = "MAC", description = "ipxe-recipe: build this machine's client certificate and key in.")
        String machine;

        @Option(names = "--script-url", paramLabel = "URL",
                description = "ipxe-recipe: what the embedded script chains to (default: https://${next-server}/boot/${mac:hexhyp}.ipxe).")
        String scriptUrl;

        @Override
        public Integer call() throws Exception {
            ExportFormat f = ExportFormat.parse(format);
            MacAddress m = machine == null ? null : MacAddress.parse(machine);
            try (Workspace w = Workspace.open(ca.root.dataDir)) {
                boolean creating = w.certificates(CaPassphrases.Input.NONE).show().isEmpty();
                List<Path> written = w.certificates(passphrase.input(creating)).export(f, out, m, scriptUrl);
                for (Path p : written) {
                    System.out.println("wrote " + p);
                }
            }
            return 0;
        }
    }

    static String day(Instant t) {
        return t == null ? "-" : DAY.format(t);
    }
}
