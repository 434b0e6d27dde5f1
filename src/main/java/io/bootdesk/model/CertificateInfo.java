package io.bootdesk.model;

import java.time.Instant;
import java.util.Locale;

/**
 * What BootDesk remembers of a certificate it issued (the certificate and key themselves are files in the data
 * dir's {@code ca/} folder). Never carries key material.
 *
 * @param serial            the serial number, upper-case hex as {@code openssl x509 -serial} prints it
 * @param mac               the machine of a {@link CertificateKind#CLIENT} certificate, else null
 * @param subject           the subject DN (RFC 4514)
 * @param issuerFingerprint SHA-256 of the DER of the root that signed it (lower-case hex, no colons); a root's own
 * @param fingerprint       SHA-256 of this certificate's DER (lower-case hex, no colons)
 * @param revokedAt         null while not revoked
 * @param reason            null while not revoked
 * @param delivery          for client certificates: how the machine got its key
 * @param deliveredAt       when it was last handed out (null: never)
 * @param verifiedAt        for client certificates: when a machine last presented it over mutual TLS and BootDesk
 *                          accepted it (recorded at most once a minute; null: never)
 */
public record CertificateInfo(String serial, CertificateKind kind, MacAddress mac, String subject,
                              String issuerFingerprint, String fingerprint, Instant notBefore, Instant notAfter,
                              Instant issued, Instant revokedAt, RevocationReason reason, KeyDelivery delivery,
                              Instant deliveredAt, Instant verifiedAt) {

    /** A certificate that was never presented (what the CA records when it issues one). */
    public CertificateInfo(String serial, CertificateKind kind, MacAddress mac, String subject, String issuerFingerprint,
                           String fingerprint, Instant notBefore, Instant notAfter, Instant issued, Instant revokedAt,
                           RevocationReason reason, KeyDelivery delivery, Instant deliveredAt) {
        this(serial, kind, mac, subject, issuerFingerprint, fingerprint, notBefore, notAfter, issued, revokedAt, reason,
                delivery, deliveredAt, null);
    }

    public CertificateInfo {
        if (serial == null || serial.isEmpty() || kind == null || subject == null || issuerFingerprint == null
                || fingerprint == null || notBefore == null || notAfter == null || issued == null || delivery == null) {
            throw new IllegalArgumentException("a certificate record needs serial, kind, subject, fingerprints, validity and delivery");
        }
        serial = serial.toUpperCase(Locale.ROOT);
        if ((revokedAt == null) != (reason == null)) {
            throw new IllegalArgumentException("a revoked certificate has both a revocation time and a reason");
        }
        if (kind == CertificateKind.CLIENT && mac == null) {
            throw new IllegalArgumentException("a client certificate names its machine's MAC");
        }
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    public CertificateStatus status(Instant now) {
        if (revokedAt != null) {
            return CertificateStatus.REVOKED;
        }
        if (now.isBefore(notBefore)) {
            return CertificateStatus.NOT_YET_VALID;
        }
        if (now.isAfter(notAfter)) {
            return CertificateStatus.EXPIRED;
        }
        return CertificateStatus.VALID;
    }

    public CertificateInfo withRevocation(Instant at, RevocationReason why) {
        return new CertificateInfo(serial, kind, mac, subject, issuerFingerprint, fingerprint, notBefore, notAfter,
                issued, at, why, delivery, deliveredAt, verifiedAt);
    }

    public CertificateInfo withDelivery(KeyDelivery how, Instant at) {
        return new CertificateInfo(serial, kind, mac, subject, issuerFingerprint, fingerprint, notBefore, notAfter,
                issued, revokedAt, reason, how, at, verifiedAt);
    }
}
