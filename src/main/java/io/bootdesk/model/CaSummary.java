package io.bootdesk.model;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code bootdesk ca show} tells the operator.
 *
 * @param fingerprint          SHA-256 of the root's DER in iPXE's {@code trust} form (aa:bb:...)
 * @param keyFile              the file holding the root key
 * @param keyProtected         true when that key is in a passphrase-protected PKCS#12 keystore
 * @param server               the current server certificate, if one was issued under this root
 * @param serverNames          its SAN entries (IP addresses and host names), as text
 * @param ocspSigner           the current delegated OCSP signer, if any
 * @param retiredRoots         earlier roots, replaced by {@code ca rotate} (revoked with reason superseded)
 * @param lostByRotation       client certificates that were still valid under an earlier root when it was rotated
 * @param reissuedAfterRotation the machines among those that have a valid certificate under the current root
 */
public record CaSummary(Path directory, CertificateInfo root, String fingerprint, Path keyFile, boolean keyProtected,
                        CertificateInfo server, List<String> serverNames, CertificateInfo ocspSigner,
                        int clientsValid, int clientsRevoked, List<CertificateInfo> retiredRoots,
                        List<CertificateInfo> lostByRotation, List<MacAddress> reissuedAfterRotation) {

    public CaSummary {
        serverNames = List.copyOf(serverNames);
        retiredRoots = List.copyOf(retiredRoots);
        lostByRotation = List.copyOf(lostByRotation);
        reissuedAfterRotation = List.copyOf(reissuedAfterRotation);
    }
}
