package io.bootdesk.model;

import java.util.List;

/**
 * What {@code bootdesk ca rotate} did.
 *
 * @param oldRoot      the replaced root (now revoked, reason superseded)
 * @param newRoot      the new root
 * @param clientsLost  client certificates that were valid under the old root (all revoked with it)
 * @param reissued     new client certificates issued under the new root (when asked to re-issue)
 */
public record CaRotation(CertificateInfo oldRoot, CertificateInfo newRoot, int clientsLost, List<CertificateInfo> reissued) {
    public CaRotation {
        reissued = List.copyOf(reissued);
    }
}
