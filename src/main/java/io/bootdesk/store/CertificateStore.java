package io.bootdesk.store;

import io.bootdesk.model.CertificateInfo;
import io.bootdesk.model.CertificateKind;
import io.bootdesk.model.KeyDelivery;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.RevocationReason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The certificates the CA issued: serial, machine, validity, revocation and key delivery. Every change bumps
 * {@code meta.cert_rev} (triggers), which a running serve polls to see revocations made by other processes.
 */
public final class CertificateStore {
    private static final String COLUMNS = "serial, kind, mac, subject, issuer_fp, fingerprint, not_before, not_after,"
            + " issued, revoked_at, revoke_reason, key_delivery, delivered_at, verified_at";
    /** A certificate's verification is written at most this often (a busy machine presents it on every connection). */
    public static final long VERIFIED_INTERVAL_MS = 60_000;

    private final Database db;

    public CertificateStore(Database db) {
        this.db = db;
    }

    /**
     * In one transaction: records {@code issued} and revokes the certificates named in {@code revoke} (those not
     * revoked already) at {@code revokedAt} for {@code reason}. Returns how many it revoked.
     */
    public int record(Collection<CertificateInfo> issued, Collection<String> revoke, Instant revokedAt,
                      RevocationReason reason) {
        return db.write("recording certificates", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO certificates (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (CertificateInfo i : issued) {
                    bind(ps, i);
                    ps.executeUpdate();
                }
            }
            return revoke(c, revoke, revokedAt, reason);
        });
    }

    /** Revokes the named certificates that are not revoked yet; returns how many changed. */
    public int revoke(Collection<String> serials, Instant at, RevocationReason reason) {
        return db.write("revoking certificates", c -> revoke(c, serials, at, reason));
    }

    private static int revoke(Connection c, Collection<String> serials, Instant at, RevocationReason reason)
            throws SQLException {
        int n = 0;
        if (serials.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE certificates SET revoked_at = ?, revoke_reason = ?"
                + " WHERE serial = ? AND revoked_at IS NULL")) {
            for (String s : serials) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, reason.name());
                ps.setString(3, s);
                n += ps.executeUpdate();
            }
        }
        return n;
    }

    /** Records how the key of {@code serial} was handed out; false if there is no such certificate. */
    public boolean delivered(String serial, KeyDelivery how, Instant at) {
        return db.write("recording the delivery of certificate " + serial, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE certificates SET key_delivery = ?, delivered_at = ? WHERE serial = ?")) {
                ps.setString(1, how.name());
                ps.setLong(2, at.toEpochMilli());
                ps.setString(3, serial);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /**
     * Records that the certificates were presented over mutual TLS and accepted (serial -> when); a certificate whose
     * last recorded verification is less than {@link #VERIFIED_INTERVAL_MS} older keeps it (no write). Does not bump
     * {@code cert_rev}: the revocation view does not change.
     */
    static void verified(Connection c, java.util.Map<String, Instant> verified) throws SQLException {
        if (verified.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE certificates SET verified_at = ? WHERE serial = ?"
                + " AND (verified_at IS NULL OR verified_at <= ?)")) {
            for (var e : verified.entrySet()) {
                long at = e.getValue().toEpochMilli();
                ps.setLong(1, at);
                ps.setString(2, e.getKey());
                ps.setLong(3, at - VERIFIED_INTERVAL_MS);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** {@link #verified(Connection, java.util.Map)} in its own transaction. */
    public void verified(String serial, Instant at) {
        db.write("recording the verification of certificate " + serial, c -> {
            verified(c, java.util.Map.of(serial, at));
            return null;
        });
    }

    /**
     * Changes when any certificate changes, including verifications (which {@link #revision()} leaves out): what a
     * window showing certificate states polls.
     */
    public String stateStamp() {
        return db.read("reading the certificate state", c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT (SELECT cert_rev FROM meta WHERE id = 1),"
                    + " (SELECT COALESCE(MAX(verified_at), 0) FROM certificates), (SELECT COUNT(*) FROM certificates)")) {
                return rs.next() ? rs.getLong(1) + "/" + rs.getLong(2) + "/" + rs.getLong(3) : "";
            }
        });
    }

    /** Every certificate, oldest first (in the order recorded). */
    public List<CertificateInfo> all() {
        return db.read("listing certificates", c -> query(c, "SELECT " + COLUMNS
                + " FROM certificates ORDER BY issued, rowid", null));
    }

    public Optional<CertificateInfo> bySerial(String serial) {
        return db.read("reading certificate " + serial, c -> query(c, "SELECT " + COLUMNS
                + " FROM certificates WHERE serial = ?", serial).stream().findFirst());
    }

    public List<CertificateInfo> byMac(MacAddress mac) {
        return db.read("listing the certificates of " + mac, c -> query(c, "SELECT " + COLUMNS
                + " FROM certificates WHERE mac = ? ORDER BY issued, rowid", mac.toString()));
    }

    /** A counter bumped by every change to certificates, by any process. */
    public long revision() {
        return db.read("reading the certificate revision", c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT cert_rev FROM meta WHERE id = 1")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    private static List<CertificateInfo> query(Connection c, String sql, String arg) throws SQLException {
        List<CertificateInfo> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (arg != null) {
                ps.setString(1, arg);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
        }
        return out;
    }

    private static void bind(PreparedStatement ps, CertificateInfo i) throws SQLException {
        ps.setString(1, i.serial());
        ps.setString(2, i.kind().name());
        ps.setString(3, i.mac() == null ? null : i.mac().toString());
        ps.setString(4, i.subject());
        ps.setString(5, i.issuerFingerprint());
        ps.setString(6, i.fingerprint());
        ps.setLong(7, i.notBefore().toEpochMilli());
        ps.setLong(8, i.notAfter().toEpochMilli());
        ps.setLong(9, i.issued().toEpochMilli());
        setInstant(ps, 10, i.revokedAt());
        ps.setString(11, i.reason() == null ? null : i.reason().name());
        ps.setString(12, i.delivery().name());
        setInstant(ps, 13, i.deliveredAt());
        setInstant(ps, 14, i.verifiedAt());
    }

    private static void setInstant(PreparedStatement ps, int index, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, t.toEpochMilli());
        }
    }

    private static CertificateInfo row(ResultSet rs) throws SQLException {
        String mac = rs.getString(3);
        String reason = rs.getString(11);
        return new CertificateInfo(rs.getString(1), CertificateKind.valueOf(rs.getString(2)),
                mac == null ? null : MacAddress.parse(mac), rs.getString(4), rs.getString(5), rs.getString(6),
                Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8)),
                Instant.ofEpochMilli(rs.getLong(9)), instant(rs, 10),
                reason == null ? null : RevocationReason.valueOf(reason), KeyDelivery.valueOf(rs.getString(12)),
                instant(rs, 13), instant(rs, 14));
    }

    private static Instant instant(ResultSet rs, int index) throws SQLException {
        long v = rs.getLong(index);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
