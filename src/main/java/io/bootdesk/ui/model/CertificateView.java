package io.bootdesk.ui.model;

import io.bootdesk.model.MacAddress;

/**
 * What the certificate column shows for one machine. Until BootDesk's certificate authority is wired into the
 * engine every machine shows {@link State#NONE}; a {@link Source} backed by the CA fills the rest.
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
