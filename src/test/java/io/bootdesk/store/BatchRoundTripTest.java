package io.bootdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.BootEvent;
import io.bootdesk.model.BootStage;
import io.bootdesk.model.ClientArch;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.EventType;
import io.bootdesk.model.Lease;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever a batch writes comes back unchanged. */
class BatchRoundTripTest {
    @TempDir
    Path tmp;

    @Test
    void machinesLeasesAndEventsSurviveTheBatch() {
        try (Database db = Database.open(tmp)) {
            MacAddress mac = MacAddress.parse("52:54:00:12:34:56");
            Instant t = Instant.ofEpochMilli(1_700_000_000_123L);
            Machine m = new Machine(mac, "10.99.0.100", "PXEClient:Arch:00007:UNDI:003016", ClientArch.EFI_X64,
                    ClientKind.PXE, "a1b2c3d4-0000-1111-2222-333344445555", BootStage.DOWNLOADING,
                    "vmlinuz \"3.1\" of 14 MB\n\\ ü ✓ 😀", 0.25, "iPXE/1.21.1", t, t.plusSeconds(5), null, true);
            Lease l = new Lease("10.99.0.100", mac, t.plusSeconds(3600), false);
            Lease declined = new Lease("10.99.0.101", null, t.plusSeconds(60), true);
            BootEvent e = new BootEvent(t, mac, null, EventType.DHCP_ACK, "tab\there \u0001 \"quoted\"", 42);
            new Batch(List.of(e), List.of(m), List.of(l, declined), List.of()).commit(db);

            assertThat(new MachineStore(db).all()).containsExactly(m);
            assertThat(new LeaseStore(db).all()).containsExactlyInAnyOrder(l, declined);
            assertThat(new EventStore(db).recent(null, 10)).containsExactly(e);

            Machine later = new Machine(mac, "10.99.0.100", null, ClientArch.UNKNOWN, ClientKind.OTHER, null,
                    BootStage.BOOTED, "", -1, null, t.plusSeconds(99), t.plusSeconds(10), null, false);
            new Batch(List.of(), List.of(later), List.of(), List.of("10.99.0.100")).commit(db);
            Machine stored = new MachineStore(db).all().get(0);
            assertThat(stored.stage()).isEqualTo(BootStage.BOOTED);
            assertThat(stored.firstSeen()).as("first seen is kept").isEqualTo(t);
            assertThat(new LeaseStore(db).all()).containsExactly(declined);
        }
    }

    private static Database shared;

    private static synchronized Database shared() throws Exception {
        if (shared == null) {
            Path dir = Files.createTempDirectory("bd-roundtrip");
            dir.toFile().deleteOnExit();
            shared = Database.open(dir);
        }
        return shared;
    }

    @Property(tries = 300)
    void anyMessageTextRoundTrips(@ForAll @StringLength(max = 300) String text) throws Exception {
        Database db = shared();
        BootEvent e = new BootEvent(Instant.ofEpochMilli(5), null, "1.2.3.4", EventType.NOTICE, text, 0);
        new Batch(List.of(e), List.of(), List.of(), List.of()).commit(db);
        String back = new EventStore(db).recent(null, 1).get(0).message();
        // a lone UTF-16 surrogate cannot exist in UTF-8 text: SQLite stores U+FFFD for it
        assertThat(back).isEqualTo(text.replaceAll("[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]", "\ufffd"));
    }
}
