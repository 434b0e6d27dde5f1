package io.bootdesk.engine;

import io.bootdesk.model.CertificateInfo;
import io.bootdesk.model.KeyDelivery;
import io.bootdesk.model.RevocationReason;
import io.bootdesk.pki.CertificateLedger;
import io.bootdesk.store.CertificateStore;
import io.bootdesk.store.Database;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** The CA's ledger in the shared SQLite database (pki knows no store; the engine joins them). */
final class StoredLedger implements CertificateLedger {
    private final CertificateStore store;

    StoredLedger(Database db) {
        this.store = new CertificateStore(db);
    }

    @Override
    public int record(Collection<CertificateInfo> issued, Collection<String> revoke, Instant revokedAt, RevocationReason reason) {
        return store.record(issued, revoke, revokedAt, reason);
    }

    @Override
    public boolean delivered(String serial, KeyDelivery how, Instant at) {
        return store.delivered(serial, how, at);
    }

    @Override
    public List<CertificateInfo> all() {
        return store.all();
    }

    @Override
    public long revision() {
        return store.revision();
    }
}
