package io.bootdesk.ui.model;

import io.bootdesk.model.MacAddress;

/**
 * What the certificate column shows for one machine, from the CA's ledger ({@link #byMachine}); a machine without a
 * client certificate shows {@link State#NONE}.
 *
 * @param tooltip subject, serial and fingerprint when there is a certificate; what "none" means otherwise
 */
public record CertificateView(State state, String label, String tooltip) {

    public enum State {
        NONE, ISSUED, VERIFIED, EXPIRING, REVOKED
    }

    public static final CertificateView NONE = new CertificateView(State.NONE, "none",
            "No client certificate issued for this machine. It boots over plain HTTP.");

    /** Looks up a machine's certificate state; must be cheap (called per row update). */
    @FunctionalInterface
    public interface Source {
        CertificateView of(MacAddress mac);

        Source NONE = mac -> CertificateView.NONE;
    }

    /** Days before its end from which a valid certificate shows as expiring. */
    public static final long EXPIRING_DAYS = 30;

    /** "2026-11-22 10:03 UTC": when a certificate was last presented and verified. */
    private static final java.time.format.DateTimeFormatter WHEN = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm 'UTC'", java.util.Locale.ROOT).withZone(java.time.ZoneOffset.UTC);

    /**
     * What the column shows for a machine's newest client certificate: valid and never presented is "issued"; valid,
     * not revoked, and presented over mutual TLS and accepted by the HTTPS server ({@code verifiedAt}, recorded at
     * most once a minute) is "verified"; ending within {@link #EXPIRING_DAYS} days is "expires in N d" whether
     * verified or not (the tooltip says when it was verified).
     */
    public static CertificateView of(io.bootdesk.model.CertificateInfo c, java.time.Instant now) {
        java.time.format.DateTimeFormatter day = java.time.format.DateTimeFormatter.ISO_LOCAL_DATE
                .withZone(java.time.ZoneOffset.UTC);
        String fp = c.fingerprint();
        String base = c.subject() + "\nserial " + c.serial() + "\nSHA-256 " + fp;
        if (c.revoked()) {
            return new CertificateView(State.REVOKED, "revoked", base + "\nrevoked " + day.format(c.revokedAt())
                    + " (" + c.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")");
        }
        return switch (c.status(now)) {
            case EXPIRED -> new CertificateView(State.EXPIRING, "expired", base + "\nexpired " + day.format(c.notAfter()));
            case NOT_YET_VALID -> new CertificateView(State.ISSUED, "not yet valid", base + "\nvalid from "
                    + day.format(c.notBefore()));
            case REVOKED -> new CertificateView(State.REVOKED, "revoked", base);
            case VALID -> {
                long days = java.time.Duration.between(now, c.notAfter()).toDays();
                String until = "\nvalid until " + day.format(c.notAfter())
                        + (c.deliveredAt() == null ? ", not yet delivered" : ", delivered " + day.format(c.deliveredAt()))
                        + (c.verifiedAt() == null ? "" : "\npresented and verified " + WHEN.format(c.verifiedAt()));
                yield days < EXPIRING_DAYS
                        ? new CertificateView(State.EXPIRING, "expires in " + days + " d", base + until)
                        : c.verifiedAt() != null
                        ? new CertificateView(State.VERIFIED, "verified", base + until)
                        : new CertificateView(State.ISSUED, "issued", base + until);
            }
        };
    }

    /** Each machine's newest client certificate, as the column shows it. */
    public static java.util.Map<MacAddress, CertificateView> byMachine(java.util.List<io.bootdesk.model.CertificateInfo> all,
                                                                      java.time.Instant now) {
        java.util.Map<MacAddress, io.bootdesk.model.CertificateInfo> newest = new java.util.HashMap<>();
        for (io.bootdesk.model.CertificateInfo c : all) {
            if (c.kind() == io.bootdesk.model.CertificateKind.CLIENT && c.mac() != null) {
                newest.merge(c.mac(), c, (a, b) -> b.issued().isAfter(a.issued()) ? b : a);
            }
        }
        java.util.Map<MacAddress, CertificateView> out = new java.util.HashMap<>();
        newest.forEach((mac, c) -> out.put(mac, of(c, now)));
        return out;
    }

    public static CertificateView of(State state, String subject, String serial, String fingerprint, String when) {
        String label = switch (state) {
            case NONE -> "none";
            case ISSUED -> "issued";
            case VERIFIED -> "verified";
            case EXPIRING -> "expiring";
            case REVOKED -> "revoked";
        };
        return new CertificateView(state, label, subject + "\nserial " + serial + "\nSHA-256 " + fingerprint
                + (when == null || when.isEmpty() ? "" : "\n" + when));
    }
}
