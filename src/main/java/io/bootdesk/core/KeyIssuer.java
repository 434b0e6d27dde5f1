package io.bootdesk.core;

import io.bootdesk.model.MacAddress;

/**
 * Hands a machine its client certificate and key for mutual TLS inside a script (network enrolment). Implemented by
 * the engine over the certificate authority; the planner only decides when.
 */
public interface KeyIssuer {
    /**
     * The iPXE lines {@code set cert ...} and {@code set privkey ...} (hex DER) for the machine's valid client
     * certificate, issuing one first if it has none; records that the key went out in a script. A secret.
     */
    String ipxeSettings(MacAddress mac);
}
