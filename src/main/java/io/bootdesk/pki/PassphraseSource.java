package io.bootdesk.pki;

/**
 * Supplies the root key's passphrase when the CA needs it (creating or rotating the root, or unlocking a
 * protected key to sign). Asked lazily, so exporting the root certificate never asks.
 */
@FunctionalInterface
public interface PassphraseSource {

    /** No passphrase: a new root key is stored unencrypted (mode 0600); a protected one cannot be unlocked. */
    PassphraseSource NONE = () -> null;

    /** The passphrase, or null when none was given. */
    Passphrase passphrase();

    /** How the operator supplies one (for the message when a protected key cannot be unlocked). */
    default String hint() {
        return "no passphrase source is configured";
    }
}
