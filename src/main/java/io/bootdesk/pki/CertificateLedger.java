package io.bootdesk.pki;

import io.bootdesk.model.CertificateInfo;
import io.bootdesk.model.KeyDelivery;
import io.bootdesk.model.RevocationReason;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Where the CA remembers what it issued and revoked. The engine backs it with the SQLite database shared by every
 * BootDesk process; {@link #revision()} changes whenever any process changes it.
 */
public interface CertificateLedger {

    /**
     * In one transaction: records {@code issued} and revokes the certificates named in {@code revoke} that are not
     * revoked yet. Returns how many it revoked. Either all of it happens or nothing does.
     */
    int record(Collection<CertificateInfo> issued, Collection<String> revoke, Instant revokedAt, RevocationReason reason);

    /** Records how the key of {@code serial} was handed out; false if there is no such certificate. */
    boolean delivered(String serial, KeyDelivery how, Instant at);

    /** Every certificate, oldest first. */
    List<CertificateInfo> all();

    /** Changes whenever the ledger changes (in any process). */
    long revision();
}
