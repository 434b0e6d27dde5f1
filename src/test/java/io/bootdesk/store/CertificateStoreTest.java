package io.bootdesk.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bootdesk.model.CertificateInfo;
import io.bootdesk.model.CertificateKind;
import io.bootdesk.model.KeyDelivery;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.RevocationReason;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateStoreTest {
    @TempDir
    Path tmp;

    static final Instant T = Instant.parse("2026-11-22T10:00:00.123Z");

    static CertificateInfo client(String serial, String mac) {
        return new CertificateInfo(serial, CertificateKind.CLIENT, MacAddress.parse(mac), "CN=" + mac + ",OU=machines,O=BootDesk",
                "aa", "fp-" + serial, T.minus(2, ChronoUnit.DAYS), T.plus(825, ChronoUnit.DAYS), T, null, null, KeyDelivery.NONE, null);
    }

    @Test
    void recordsRoundTripAndEveryChangeBumpsTheCertificateRevisionOnly() {
        try (Database db = Database.open(tmp)) {
            CertificateStore store = new CertificateStore(db);
            long rev0 = store.revision();
            long config0 = db.configRevision();
            CertificateInfo a = client("0A1B", "52:54:00:00:00:01");
            CertificateInfo root = new CertificateInfo("77", CertificateKind.ROOT, null, "CN=BootDesk CA", "aa", "aa",
                    T, T.plus(3650, ChronoUnit.DAYS), T, null, null, KeyDelivery.NONE, null);
            assertThat(store.record(List.of(root, a), List.of(), T, RevocationReason.SUPERSEDED)).isZero();
            assertThat(store.revision()).isGreaterThan(rev0);
            assertThat(db.configRevision()).isEqualTo(config0);
            assertThat(store.all()).containsExactly(root, a);
            assertThat(store.bySerial("0a1b")).isEmpty(); // serials are kept upper-case
            assertThat(store.bySerial("0A1B")).contains(a);
            assertThat(store.byMac(MacAddress.parse("52:54:00:00:00:01"))).containsExactly(a);

            long rev1 = store.revision();
            assertThat(store.revoke(List.of("0A1B", "FFFF"), T.plusSeconds(60), RevocationReason.KEY_COMPROMISE)).isEqualTo(1);
            assertThat(store.revision()).isGreaterThan(rev1);
            assertThat(store.bySerial("0A1B")).contains(a.withRevocation(T.plusSeconds(60), RevocationReason.KEY_COMPROMISE));
            assertThat(store.revoke(List.of("0A1B"), T.plusSeconds(120), RevocationReason.UNSPECIFIED))
                    .as("a revocation is not overwritten").isZero();
            assertThat(store.bySerial("0A1B").orElseThrow().revokedAt()).isEqualTo(T.plusSeconds(60));

            assertThat(store.delivered("0A1B", KeyDelivery.BOOT_MEDIUM, T.plusSeconds(5))).isTrue();
            assertThat(store.bySerial("0A1B").orElseThrow().delivery()).isEqualTo(KeyDelivery.BOOT_MEDIUM);
            assertThat(store.delivered("FFFF", KeyDelivery.FILE, T)).isFalse();
        }
    }

    @Test
    void aFailedRecordChangesNothing() {
        try (Database db = Database.open(tmp)) {
            CertificateStore store = new CertificateStore(db);
            CertificateInfo a = client("01", "52:54:00:00:00:01");
            store.record(List.of(a), List.of(), T, RevocationReason.SUPERSEDED);
            long rev = store.revision();
            // the second insert repeats a's serial: the whole transaction, revocation included, rolls back
            assertThatThrownBy(() -> store.record(List.of(client("02", "52:54:00:00:00:02"), a), List.of("01"), T,
                    RevocationReason.SUPERSEDED)).isInstanceOf(StoreException.class);
            assertThat(store.all()).containsExactly(a);
            assertThat(store.revision()).isEqualTo(rev);
        }
    }

    @Test
    void anotherConnectionSeesRevocationsThroughTheRevision() {
        try (Database serve = Database.open(tmp); Database cli = Database.open(tmp)) {
            CertificateStore s = new CertificateStore(serve);
            CertificateStore c = new CertificateStore(cli);
            c.record(List.of(client("01", "52:54:00:00:00:01")), List.of(), T, RevocationReason.SUPERSEDED);
            long seen = s.revision();
            c.revoke(List.of("01"), T, RevocationReason.CESSATION_OF_OPERATION);
            assertThat(s.revision()).isGreaterThan(seen);
            assertThat(s.bySerial("01").orElseThrow().reason()).isEqualTo(RevocationReason.CESSATION_OF_OPERATION);
        }
    }

    @Test
    void aVersionOneDatabaseIsMigratedKeepingItsData() throws Exception {
        String url = "jdbc:sqlite:" + tmp.resolve(Database.FILE_NAME);
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("1").load().migrate();
        try (var c = DriverManager.getConnection(url); var st = c.createStatement()) {
            st.execute("INSERT INTO images (name, kind, created) VALUES ('deb', 'SCRIPT', 1)");
        }
        try (Database db = Database.open(tmp)) {
            assertThat(new CertificateStore(db).revision()).isZero();
            assertThat(new ImageStore(db).all()).extracting(i -> i.name()).containsExactly("deb");
        }
    }
}
