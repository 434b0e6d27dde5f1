package io.bootdesk.http;

import io.bootdesk.model.CertificateInfo;
import io.bootdesk.model.CertificateStatus;
import io.bootdesk.model.MacAddress;
import io.bootdesk.pki.CertificateAuthority;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides, for a request on the mutual-TLS listener, which machine the client proved to be, or says in words why
 * it proved none: no certificate, another CA's, expired, revoked, not a BootDesk client certificate. A certificate
 * it accepts is reported to its {@link Witness} (the engine records it: the certificate column's "verified").
 */
final class ClientVerifier {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** Either {@code mac} (proven) or {@code reason} (not proven). */
    record Verdict(MacAddress mac, String reason) {
        static Verdict proven(MacAddress mac) {
            return new Verdict(mac, null);
        }

        static Verdict none(String reason) {
            return new Verdict(null, reason);
        }
    }

    /** Hears of every certificate accepted, on the I/O thread: must only hand it on. */
    @FunctionalInterface
    interface Witness {
        void verified(MacAddress mac, String serial);
    }

    private final CertificateAuthority ca;
    private final Witness witness;

    ClientVerifier(CertificateAuthority ca, Witness witness) {
        this.ca = ca;
        this.witness = witness;
    }

    Verdict verify(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return Verdict.none("no client certificate presented");
        }
        X509Certificate leaf = chain[0];
        String serial = leaf.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        String who = "client certificate " + serial + " (" + leaf.getSubjectX500Principal().getName() + ")";
        try {
            leaf.verify(ca.root().getPublicKey());
        } catch (GeneralSecurityException e) {
            return Verdict.none(who + " was not issued by this BootDesk's CA (issuer "
                    + leaf.getIssuerX500Principal().getName() + ")");
        }
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException e) {
            return Verdict.none(who + " expired on " + DATE.format(leaf.getNotAfter().toInstant()));
        } catch (CertificateNotYetValidException e) {
            return Verdict.none(who + " is not valid before " + DATE.format(leaf.getNotBefore().toInstant()));
        }
        Optional<MacAddress> mac = ca.authenticatedMachine(leaf);
        if (mac.isPresent()) {
            witness.verified(mac.get(), io.bootdesk.pki.Keys.serialHex(leaf.getSerialNumber()));
            return Verdict.proven(mac.get());
        }
        Optional<CertificateInfo> info = ca.certificates().stream()
                .filter(i -> i.serial().equalsIgnoreCase(serial)).findFirst();
        if (info.isPresent() && info.get().revokedAt() != null) {
            return Verdict.none(who + " was revoked on " + DATE.format(info.get().revokedAt())
                    + " (" + info.get().reason() + ")");
        }
        if (info.isPresent() && info.get().status(java.time.Instant.now()) != CertificateStatus.VALID) {
            return Verdict.none(who + " is " + info.get().status(java.time.Instant.now()).name().toLowerCase(Locale.ROOT));
        }
        return Verdict.none(who + " is not a current BootDesk client certificate");
    }
}
