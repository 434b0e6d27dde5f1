package io.bootdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bootdesk.core.Inventory;
import io.bootdesk.core.Journal;
import io.bootdesk.model.Assignment;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.BootStage;
import io.bootdesk.model.ClientArch;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.EventType;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import io.bootdesk.store.Database;
import io.bootdesk.store.MachineStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names and forgets against the engine's in-memory machine table, wired as the engine wires it (journal writing the
 * rows every half second): the operator's write through a workspace in the same or another process must never be
 * undone by the next write of an older in-memory row.
 */
class MachineNamesTest {
    static final MacAddress A = MacAddress.parse("52:54:00:00:06:01");
    static final MacAddress B = MacAddress.parse("52:54:00:00:06:02");

    @TempDir
    Path tmp;

    /** The engine's half: database, journal, inventory. */
    record Serve(Database db, Journal journal, Inventory inventory) implements AutoCloseable {
        static Serve open(Path dataDir) {
            Database db = Database.open(dataDir);
            Journal j = new Journal(db);
            return new Serve(db, j, new Inventory(db, j));
        }

        void flush() throws Exception {
            journal.flush().get(10, TimeUnit.SECONDS);
        }

        Optional<Machine> stored(MacAddress mac) {
            return new MachineStore(db).get(mac);
        }

        @Override
        public void close() {
            journal.close();
            db.close();
        }
    }

    /** Keeps updating the machine's row, as a busy boot does, until closed. */
    static final class Busy implements AutoCloseable {
        final AtomicBoolean run = new AtomicBoolean(true);
        final AtomicLong updates = new AtomicLong();
        final Thread t;

        Busy(Inventory inv, MacAddress mac) {
            t = Thread.ofPlatform().start(() -> {
                int i = 0;
                while (run.get()) {
                    inv.stage(mac, BootStage.DOWNLOADING, "vmlinuz " + i++, 0.5);
                    inv.observeHttp(mac, "10.99.0.10", "iPXE/1.21.1", null);
                    updates.incrementAndGet();
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                }
            });
        }

        @Override
        public void close() throws InterruptedException {
            run.set(false);
            t.join(10_000);
        }
    }

    @Test
    void aRenameIsNotOverwrittenByTheNextFlushOfTheOlderInMemoryRow() throws Exception {
        try (Serve serve = Serve.open(tmp.resolve("data"))) {
            serve.inventory().observeDhcp(A, "10.99.0.10", "PXEClient", ClientArch.BIOS_X86, ClientKind.PXE, null, null);
            serve.flush();
            // another process: its own connection, as bootdesk name has
            try (Workspace other = Workspace.open(tmp.resolve("data")); Busy busy = new Busy(serve.inventory(), A)) {
                for (int round = 0; round < 6; round++) {
                    String name = "rack " + round;
                    long before = busy.updates.get();
                    other.rename(A, name);
                    // the in-memory row still has the old name; the journal writes it (forced, and by its timer)
                    serve.flush();
                    Thread.sleep(600); // longer than the journal's machine flush interval (500 ms)
                    serve.flush();
                    assertThat(busy.updates.get()).as("the engine kept updating the row").isGreaterThan(before);
                    assertThat(serve.stored(A).orElseThrow().name()).as("round " + round).isEqualTo(name);
                    // the serve's poll applies it to memory; later rows carry it
                    assertThat(serve.inventory().refresh()).isTrue();
                    assertThat(serve.inventory().get(A).orElseThrow().name()).isEqualTo(name);
                    Thread.sleep(50);
                    assertThat(serve.inventory().get(A).orElseThrow().name()).isEqualTo(name);
                    assertThat(serve.inventory().get(A).orElseThrow().stage()).isEqualTo(BootStage.DOWNLOADING);
                }
                other.rename(A, "   ");
                serve.flush();
                assertThat(serve.stored(A).orElseThrow().name()).as("blank clears").isNull();
                serve.inventory().refresh();
                assertThat(serve.inventory().get(A).orElseThrow().name()).isNull();
            }
            assertThat(serve.stored(A).orElseThrow().stage()).isEqualTo(BootStage.DOWNLOADING);
            assertThat(new io.bootdesk.store.EventStore(serve.db()).recent(A, 100)).filteredOn(
                    e -> e.type() == EventType.MACHINE_RENAMED).extracting(BootEvent::message)
                    .startsWith("named 'rack 0'", "renamed 'rack 0' to 'rack 1'").endsWith("name 'rack 5' cleared");
        }
    }

    @Test
    void namesAreTrimmedAndAtMost64Characters() throws Exception {
        try (Workspace w = Workspace.open(tmp.resolve("data"))) {
            assertThat(w.rename(A, "  left\tof door  ")).isEqualTo("left of door");
            assertThat(w.rename(A, "x".repeat(64))).hasSize(64);
            assertThatThrownBy(() -> w.rename(A, "x".repeat(65))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at most 64");
            assertThat(w.machine(A).orElseThrow().name()).isEqualTo("x".repeat(64));
            assertThat(w.rename(A, "")).isNull();
            assertThat(w.machine(A).orElseThrow().name()).isNull();
        }
    }

    @Test
    void aForgetMadeElsewhereIsAppliedByTheServeAndNotUndoneByItsPendingRow() throws Exception {
        try (Serve serve = Serve.open(tmp.resolve("data"))) {
            List<MacAddress> forgotten = new CopyOnWriteArrayList<>();
            serve.inventory().onForget(forgotten::add);
            serve.inventory().observeDhcp(A, "10.99.0.10", "PXEClient", ClientArch.BIOS_X86, ClientKind.PXE, null, null);
            serve.inventory().observeDhcp(B, "10.99.0.11", "PXEClient", ClientArch.BIOS_X86, ClientKind.PXE, null, null);
            serve.flush();
            try (Workspace other = Workspace.open(tmp.resolve("data"))) {
                other.rename(A, "old one");
                // a row of A waits in the journal, not yet written, when the operator forgets it elsewhere
                serve.inventory().stage(A, BootStage.WAITING, "waiting", -1);
                assertThat(other.forget(List.of(A))).singleElement().extracting(Workspace.Forgotten::knew)
                        .isEqualTo(true);
                assertThat(serve.inventory().refresh()).isTrue();
                assertThat(forgotten).containsExactly(A);
                assertThat(serve.inventory().get(A)).isEmpty();
                assertThat(serve.inventory().macOf("10.99.0.10")).isEmpty();
                serve.flush();
                Thread.sleep(600);
                serve.flush();
                assertThat(serve.stored(A)).as("the pending row did not bring it back").isEmpty();
                assertThat(serve.inventory().refresh()).isFalse();
                assertThat(serve.inventory().get(A)).as("not read back either").isEmpty();
                assertThat(serve.stored(B)).isPresent();
                assertThat(other.events(A, 10)).extracting(BootEvent::type).contains(EventType.MACHINE_FORGOTTEN);
                assertThat(other.events(A, 10)).filteredOn(e -> e.type() == EventType.MACHINE_FORGOTTEN)
                        .singleElement().extracting(BootEvent::message).asString().contains("was named 'old one'");

                // it boots again: a new machine, without the old name
                serve.inventory().observeDhcp(A, "10.99.0.12", "PXEClient", ClientArch.BIOS_X86, ClientKind.PXE, null, null);
                serve.flush();
                assertThat(serve.stored(A).orElseThrow().name()).isNull();
                assertThat(serve.stored(A).orElseThrow().ip()).isEqualTo("10.99.0.12");
            }
        }
    }

    @Test
    void aMachineNamedElsewhereBeforeTheServeSawItKeepsItsName() throws Exception {
        try (Serve serve = Serve.open(tmp.resolve("data")); Workspace other = Workspace.open(tmp.resolve("data"))) {
            other.rename(B, "spare");
            assertThat(serve.inventory().refresh()).isTrue();
            assertThat(serve.inventory().get(B).orElseThrow().name()).isEqualTo("spare");
            serve.inventory().observeDhcp(B, "10.99.0.11", "iPXE", ClientArch.EFI_X64, ClientKind.IPXE, null, true);
            serve.flush();
            Machine m = serve.stored(B).orElseThrow();
            assertThat(m.name()).isEqualTo("spare");
            assertThat(m.ipxeHttps()).isTrue();
            assertThat(serve.inventory().get(B).orElseThrow().name()).isEqualTo("spare");
        }
    }

    @Test
    void forgetRemovesTheAssignmentAndAServeStartedLaterDoesNotHaveTheMachine() throws Exception {
        Path data = tmp.resolve("data");
        try (Serve serve = Serve.open(data)) {
            serve.inventory().observeDhcp(A, "10.99.0.10", "PXEClient", ClientArch.BIOS_X86, ClientKind.PXE, null, null);
            serve.flush();
        }
        try (Workspace w = Workspace.open(data)) {
            Path k = Files.writeString(tmp.resolve("vmlinuz"), "kernel");
            w.addLinuxImage("deb", k, List.of(), "");
            w.assign(A, "deb", false);
            Workspace.Forgotten f = w.forget(List.of(A)).get(0);
            assertThat(f.assignment()).extracting(Assignment::image).isEqualTo("deb");
            assertThat(w.assignment(A)).isEmpty();
            assertThat(w.machine(A)).isEmpty();
        }
        try (Serve serve = Serve.open(data)) {
            assertThat(serve.inventory().get(A)).isEmpty();
            assertThat(serve.inventory().refresh()).isFalse();
        }
    }

    @Test
    void theOldNamesFileIsImportedOnceAndRenamed() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("machine-names.properties"), "# BootDesk machine names\n"
                + "52\\:54\\:00\\:00\\:06\\:01=rack 3 left\n"
                + "not-a-mac=skipped\n"
                + "52\\:54\\:00\\:00\\:06\\:02=\\u00fcber\n");
        try (Workspace w = Workspace.open(data)) {
            assertThat(w.machine(A).orElseThrow().name()).isEqualTo("rack 3 left");
            assertThat(w.machine(B).orElseThrow().name()).isEqualTo("über");
            assertThat(w.events(A, 10)).extracting(BootEvent::type, BootEvent::message).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(EventType.MACHINE_RENAMED,
                            "named 'rack 3 left' (imported from machine-names.properties)"));
        }
        assertThat(data.resolve("machine-names.properties")).doesNotExist();
        assertThat(data.resolve("machine-names.properties.imported")).exists();
        try (Workspace w = Workspace.open(data)) {
            w.rename(A, "moved");
        }
        try (Serve serve = Serve.open(data)) {
            assertThat(serve.inventory().get(A).orElseThrow().name()).as("not imported again").isEqualTo("moved");
        }
    }
}
