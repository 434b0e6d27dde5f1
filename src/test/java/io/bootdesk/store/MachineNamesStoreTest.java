package io.bootdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.Assignment;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.BootStage;
import io.bootdesk.model.CertificateInfo;
import io.bootdesk.model.CertificateKind;
import io.bootdesk.model.ClientArch;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.EventType;
import io.bootdesk.model.ImageKind;
import io.bootdesk.model.KeyDelivery;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schema v5 through the stores: names, forgets, what iPXE can do, verified certificates. */
class MachineNamesStoreTest {
    static final MacAddress A = MacAddress.parse("52:54:00:00:05:01");
    static final MacAddress B = MacAddress.parse("52:54:00:00:05:02");
    static final Instant T = Instant.ofEpochMilli(1_700_000_000_000L);

    @TempDir
    Path tmp;

    static Machine row(MacAddress mac, BootStage stage, String name, Boolean https) {
        return new Machine(mac, "10.99.0.10", "PXEClient", ClientArch.BIOS_X86, ClientKind.IPXE, null, stage, "",
                -1, "iPXE/1.21.1", T, T.plusSeconds(1), name, https);
    }

    static BootEvent renamed(String before, String after) {
        return new BootEvent(T, A, null, EventType.MACHINE_RENAMED, before + " -> " + after, 0);
    }

    @Test
    void aRenameSurvivesLaterWritesOfTheRowAndIsJournaled() {
        try (Database db = Database.open(tmp)) {
            MachineStore store = new MachineStore(db);
            new Batch(List.of(), List.of(row(A, BootStage.DISCOVERED, null, null)), List.of(), List.of()).commit(db);
            long rev = store.revision();

            assertThat(store.rename(A, "rack 3 left", MachineNamesStoreTest::renamed)).isNull();
            assertThat(store.revision()).isGreaterThan(rev);
            // the serve's next write carries its older in-memory row (no name, or another one): the name stays
            new Batch(List.of(), List.of(row(A, BootStage.BOOTED, null, true)), List.of(), List.of()).commit(db);
            new Batch(List.of(), List.of(row(A, BootStage.BOOTED, "stale", true)), List.of(), List.of()).commit(db);
            Machine m = store.get(A).orElseThrow();
            assertThat(m.name()).isEqualTo("rack 3 left");
            assertThat(m.stage()).isEqualTo(BootStage.BOOTED);
            assertThat(m.ipxeHttps()).isTrue();

            assertThat(store.rename(A, null, MachineNamesStoreTest::renamed)).isEqualTo("rack 3 left");
            assertThat(store.get(A).orElseThrow().name()).isNull();
            assertThat(new EventStore(db).recent(A, 10)).extracting(BootEvent::type, BootEvent::message).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(EventType.MACHINE_RENAMED, "null -> rack 3 left"),
                    org.assertj.core.groups.Tuple.tuple(EventType.MACHINE_RENAMED, "rack 3 left -> null"));
        }
    }

    @Test
    void aMachineNotSeenYetCanBeNamedAndKeepsTheNameWhenItIsSeen() {
        try (Database db = Database.open(tmp)) {
            MachineStore store = new MachineStore(db);
            store.rename(B, "spare", MachineNamesStoreTest::renamed);
            assertThat(store.get(B).orElseThrow()).extracting(Machine::name, Machine::stage, Machine::ip)
                    .containsExactly("spare", BootStage.DISCOVERED, null);
            new Batch(List.of(), List.of(row(B, BootStage.WAITING, null, false)), List.of(), List.of()).commit(db);
            assertThat(store.get(B).orElseThrow()).extracting(Machine::name, Machine::stage, Machine::ip, Machine::ipxeHttps)
                    .containsExactly("spare", BootStage.WAITING, "10.99.0.10", false);
        }
    }

    @Test
    void aNewRowTakesItsInMemoryNameAndIpxeHttpsMayBeUnknown() {
        try (Database db = Database.open(tmp)) {
            new Batch(List.of(), List.of(row(A, BootStage.SCRIPT, "from memory", null)), List.of(), List.of()).commit(db);
            Machine m = new MachineStore(db).get(A).orElseThrow();
            assertThat(m.name()).isEqualTo("from memory");
            assertThat(m.ipxeHttps()).isNull();
        }
    }

    @Test
    void forgetRemovesTheRowAndTheAssignmentKeepsTheEventsAndTheLease() {
        try (Database db = Database.open(tmp)) {
            MachineStore store = new MachineStore(db);
            new ImageStore(db).put(new io.bootdesk.model.BootImage("deb", ImageKind.LINUX, "vmlinuz", List.of(), "", null, T));
            new AssignmentStore(db).put(new Assignment(A, "deb", true, T));
            BootEvent ack = new BootEvent(T, A, "10.99.0.10", EventType.DHCP_ACK, "leased", 0);
            new Batch(List.of(ack), List.of(row(A, BootStage.WAITING, "old", null)),
                    List.of(new io.bootdesk.model.Lease("10.99.0.10", A, T.plusSeconds(3600), false)), List.of()).commit(db);
            long rev = store.revision();

            MachineStore.Forgotten f = store.forget(A, x -> new BootEvent(T, A, null, EventType.MACHINE_FORGOTTEN,
                    "forgot " + x.machine().name() + " with " + x.assignment().image(), 0));
            assertThat(f.knew()).isTrue();
            assertThat(f.assignment().once()).isTrue();
            assertThat(store.get(A)).isEmpty();
            assertThat(new AssignmentStore(db).all()).isEmpty();
            assertThat(new LeaseStore(db).all()).extracting(io.bootdesk.model.Lease::ip).containsExactly("10.99.0.10");
            assertThat(store.revision()).isGreaterThan(rev);
            assertThat(new EventStore(db).recent(A, 10)).extracting(BootEvent::type)
                    .containsExactly(EventType.DHCP_ACK, EventType.MACHINE_FORGOTTEN);
            assertThat(new EventStore(db).since(0, EventType.MACHINE_FORGOTTEN)).extracting(EventStore.Mark::mac)
                    .containsExactly(A);
            assertThat(store.forget(B, x -> new BootEvent(T, B, null, EventType.MACHINE_FORGOTTEN, "nothing", 0)).knew())
                    .isFalse();
        }
    }

    @Test
    void theServeDeletesAForgottenRowBeforeWritingRowsOfTheSameBatch() {
        try (Database db = Database.open(tmp)) {
            new Batch(List.of(), List.of(row(A, BootStage.WAITING, "old", null), row(B, BootStage.WAITING, "b", null)),
                    List.of(), List.of()).commit(db);
            Machine again = new Machine(A, null, null, ClientArch.UNKNOWN, ClientKind.OTHER, null, BootStage.DISCOVERED,
                    "", -1, null, T.plusSeconds(60), T.plusSeconds(60), null, null);
            new Batch(List.of(), List.of(again), List.of(), List.of(), List.of(A, B), Map.of()).commit(db);
            List<Machine> all = new MachineStore(db).all();
            assertThat(all).extracting(Machine::mac).containsExactly(A);
            assertThat(all.get(0).name()).as("a new machine, not the forgotten one").isNull();
            assertThat(all.get(0).firstSeen()).isEqualTo(T.plusSeconds(60));
        }
    }

    @Test
    void aVerificationIsWrittenAtMostOnceAMinuteAndDoesNotBumpTheRevocationRevision() throws Exception {
        try (Database db = Database.open(tmp)) {
            CertificateStore certs = new CertificateStore(db);
            CertificateInfo c = new CertificateInfo("0A1B", CertificateKind.CLIENT, A, "CN=a", "ff", "ee", T,
                    T.plusSeconds(86_400 * 300L), T, null, null, KeyDelivery.NONE, null);
            certs.record(List.of(c), List.of(), null, null);
            long rev = certs.revision();
            String stamp = certs.stateStamp();

            Instant v1 = T.plusSeconds(100);
            new Batch(List.of(), List.of(), List.of(), List.of(), List.of(), Map.of("0A1B", v1)).commit(db);
            assertThat(certs.bySerial("0A1B").orElseThrow().verifiedAt()).isEqualTo(v1);
            assertThat(certs.revision()).as("no reload of the revocation view, no new CRL").isEqualTo(rev);
            assertThat(certs.stateStamp()).as("the window sees it").isNotEqualTo(stamp);

            certs.verified("0A1B", v1.plusSeconds(30));
            assertThat(certs.bySerial("0A1B").orElseThrow().verifiedAt()).as("within the minute").isEqualTo(v1);
            certs.verified("0A1B", v1.plusSeconds(60));
            assertThat(certs.bySerial("0A1B").orElseThrow().verifiedAt()).isEqualTo(v1.plusSeconds(60));

            certs.delivered("0A1B", KeyDelivery.FILE, v1);
            assertThat(certs.revision()).as("other changes still bump it").isGreaterThan(rev);
            assertThat(certs.all().get(0).verifiedAt()).isEqualTo(v1.plusSeconds(60));
        }
    }

    @Test
    void migrationFiveAddsItsColumns() {
        try (Database db = Database.open(tmp)) {
            List<String> cols = db.read("columns", c -> {
                List<String> out = new java.util.ArrayList<>();
                for (String t : List.of("machines", "certificates", "meta")) {
                    try (var s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(" + t + ")")) {
                        while (rs.next()) {
                            out.add(t + "." + rs.getString("name") + ":" + rs.getString("type"));
                        }
                    }
                }
                return out;
            });
            assertThat(cols).contains("machines.name:TEXT", "machines.ipxe_https:INTEGER",
                    "certificates.verified_at:INTEGER", "meta.machine_rev:INTEGER");
        }
    }
}
