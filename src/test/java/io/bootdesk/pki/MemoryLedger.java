package io.bootdesk.pki;

import io.bootdesk.model.CertificateInfo;
import io.bootdesk.model.KeyDelivery;
import io.bootdesk.model.RevocationReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ledger in memory for unit tests of the CA (the SQLite one is tested in store and the ITs). {@link #failNext}
 * makes the next write fail, to test that a failed write leaves everything as it was.
 */
final class MemoryLedger implements CertificateLedger {
    private final Map<String, CertificateInfo> rows = new LinkedHashMap<>();
    private long revision;
    boolean failNext;

    @Override
    public synchronized int record(Collection<CertificateInfo> issued, Collection<String> revoke, Instant at, RevocationReason reason) {
        if (failNext) {
            failNext = false;
            throw new IllegalStateException("disk full (test)");
        }
        for (CertificateInfo i : issued) {
            if (rows.putIfAbsent(i.serial(), i) != null) {
                throw new IllegalStateException("duplicate serial " + i.serial());
            }
        }
        int n = 0;
        for (String s : revoke) {
            CertificateInfo i = rows.get(s);
            if (i != null && !i.revoked()) {
                rows.put(s, i.withRevocation(at, reason));
                n++;
            }
        }
        if (!issued.isEmpty() || n > 0) {
            revision++;
        }
        return n;
    }

    @Override
    public synchronized boolean delivered(String serial, KeyDelivery how, Instant at) {
        CertificateInfo i = rows.get(serial);
        if (i == null) {
            return false;
        }
        rows.put(serial, i.withDelivery(how, at));
        revision++;
        return true;
    }

    @Override
    public synchronized List<CertificateInfo> all() {
        return new ArrayList<>(rows.values());
    }

    @Override
    public synchronized long revision() {
        return revision;
    }
}
