package io.bootdesk.cli;

import io.bootdesk.engine.CaPassphrases;
import io.bootdesk.engine.Certificates;
import io.bootdesk.engine.Workspace;
import io.bootdesk.model.CertificateInfo;
import io.bootdesk.model.CertificateKind;
import io.bootdesk.model.CertificateStatus;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.RevocationReason;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "cert", mixinStandardHelpOptions = true,
        description = {"Per-machine client certificates for mutual TLS (RSA-2048, EKU clientAuth; the MAC is in the",
                "subjectAltName as otherName 1.3.6.1.1.1.1.22, RFC 2307 macAddress). BootDesk makes the key."},
        subcommands = {CertCommand.Issue.class, CertCommand.Revoke.class, CertCommand.ListCerts.class, CertCommand.Export.class,
                CertCommand.Approve.class})
final class CertCommand implements Runnable {
    @ParentCommand
    BootdeskCommand root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "issue", mixinStandardHelpOptions = true, description = "Issue a client certificate for a machine.")
    static final class Issue implements Callable<Integer> {
        @ParentCommand
        CertCommand cert;

        @Mixin
        PassphraseOptions passphrase;

        @Parameters(index = "0", paramLabel = "MAC")
        String mac;

        @Option(names = "--name", paramLabel = "NAME", description = "The subject's CN (default: the MAC).")
        String name;

        @Option(names = "--days", paramLabel = "N", description = "Lifetime in days (default: 825).")
        Integer days;

        @Option(names = "--replace", description = "If the machine has a valid certificate, revoke it (superseded) and issue a new one.")
        boolean replace;

        @Override
        public Integer call() {
            MacAddress m = MacAddress.parse(mac);
            try (Workspace w = Workspace.open(cert.root.dataDir)) {
                boolean creating = w.certificates(CaPassphrases.Input.NONE).show().isEmpty();
                CertificateInfo i = w.certificates(passphrase.input(creating)).issue(m, name, days, replace);
                System.out.println("issued " + i.serial() + " for " + m + " (" + i.subject() + "), valid "
                        + CaCommand.day(i.notBefore()) + " to " + CaCommand.day(i.notAfter()));
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a machine's certificate(s); a running serve answers OCSP and the CRL with it within a second.")
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        CertCommand cert;

        @Parameters(index = "0", paramLabel = "MAC", arity = "0..1", description = "The machine (or give --serial).")
        String mac;

        @Option(names = "--serial", paramLabel = "HEX", description = "Revoke this one certificate (also server or OCSP signer).")
        String serial;

        @Option(names = "--reason", paramLabel = "REASON", defaultValue = "unspecified",
                description = "unspecified, key-compromise, ca-compromise, affiliation-changed, superseded, "
                        + "cessation-of-operation or privilege-withdrawn. Default: ${DEFAULT-VALUE}.")
        String reason;

        @Override
        public Integer call() {
            RevocationReason r = RevocationReason.parse(reason);
            if ((mac == null) == (serial == null)) {
                throw new IllegalArgumentException("give either a MAC or --serial HEX");
            }
            try (Workspace w = Workspace.open(cert.root.dataDir)) {
                Certificates c = w.certificates(CaPassphrases.Input.NONE);
                List<CertificateInfo> done = mac != null ? c.revoke(MacAddress.parse(mac), r) : List.of(c.revokeSerial(serial, r));
                for (CertificateInfo i : done) {
                    System.out.println("revoked " + i.serial() + (i.mac() == null ? "" : " of " + i.mac()) + " ("
                            + r.label() + ")");
                }
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Client certificates (all certificates with --all).")
    static final class ListCerts implements Callable<Integer> {
        @ParentCommand
        CertCommand cert;

        @Option(names = "--all", description = "Also the roots, server certificates and OCSP signers.")
        boolean all;

        @Override
        public Integer call() {
            try (Workspace w = Workspace.open(cert.root.dataDir)) {
                Instant now = Instant.now();
                Table t = new Table("SERIAL", "KIND", "MAC", "SUBJECT", "NOT BEFORE", "NOT AFTER", "STATUS", "DELIVERY",
                        "VERIFIED");
                for (CertificateInfo i : w.certificates(CaPassphrases.Input.NONE).list()) {
                    if (!all && i.kind() != CertificateKind.CLIENT) {
                        continue;
                    }
                    t.row(i.serial(), i.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'), i.mac(), i.subject(),
                            CaCommand.day(i.notBefore()), CaCommand.day(i.notAfter()), status(i, now),
                            i.kind() != CertificateKind.CLIENT ? "-" : i.delivery().label()
                                    + (i.deliveredAt() == null ? "" : " " + CaCommand.day(i.deliveredAt())),
                            i.verifiedAt() == null ? "-" : "verified " + VERIFIED.format(i.verifiedAt()));
                }
                t.print(System.out, all ? "no certificates yet" : "no client certificates yet: bootdesk cert issue MAC");
            }
            return 0;
        }

        /** When a machine last presented it over mutual TLS and BootDesk accepted it. */
        static final java.time.format.DateTimeFormatter VERIFIED = java.time.format.DateTimeFormatter
                .ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(java.time.ZoneId.systemDefault());

        static String status(CertificateInfo i, Instant now) {
            CertificateStatus s = i.status(now);
            return switch (s) {
                case REVOKED -> "revoked " + CaCommand.day(i.revokedAt()) + " (" + i.reason().label() + ")";
                case EXPIRED -> "expired";
                case NOT_YET_VALID -> "not yet valid";
                case VALID -> "valid";
            };
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Write a machine's certificate and private key (a secret; mode 0600):",
                    "  pem   certificate + PKCS#8 key",
                    "  ipxe  'set cert 30:82:...' and 'set privkey 30:82:...' lines for a script or autoexec.ipxe"})
    static final class Export implements Callable<Integer> {
        @ParentCommand
        CertCommand cert;

        @Parameters(index = "0", paramLabel = "MAC")
        String mac;

        @Option(names = "--format", required = true, paramLabel = "pem|ipxe")
        String format;

        @Option(names = "--out", required = true, paramLabel = "FILE")
        Path out;

        @Override
        public Integer call() throws Exception {
            MacAddress m = MacAddress.parse(mac);
            Certificates.ClientFormat f = switch (format.toLowerCase(Locale.ROOT)) {
                case "pem" -> Certificates.ClientFormat.PEM;
                case "ipxe" -> Certificates.ClientFormat.IPXE;
                default -> throw new IllegalArgumentException("--format is pem or ipxe, not '" + format + "'");
            };
            try (Workspace w = Workspace.open(cert.root.dataDir)) {
                CertificateInfo i = w.certificates(CaPassphrases.Input.NONE).exportClient(m, f, out);
                System.out.println("wrote " + out + " (certificate " + i.serial() + " of " + m + " with its private key)");
            }
            return 0;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = {"Approve network enrolment: the machine's next script fetched over server-authenticated HTTPS",
                    "sets its client certificate and key (issued if it has none), once. Its certificate list entry then",
                    "says SCRIPT. --withdraw takes the approval back."})
    static final class Approve implements Callable<Integer> {
        @ParentCommand
        CertCommand cert;

        @Parameters(index = "0", paramLabel = "MAC")
        String mac;

        @Option(names = "--withdraw", description = "Withdraw a pending approval.")
        boolean withdraw;

        @Override
        public Integer call() {
            MacAddress m = MacAddress.parse(mac);
            try (Workspace w = Workspace.open(cert.root.dataDir)) {
                if (withdraw) {
                    System.out.println(w.withdrawEnrolment(m) ? "approval for " + m + " withdrawn" : m + " had no pending approval");
                } else {
                    w.approveEnrolment(m);
                    System.out.println(m + " approved: its next HTTPS script carries its certificate and key, once");
                }
            }
            return 0;
        }
    }
}
