package io.bootdesk.ui.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.engine.Workspace;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.BootStage;
import io.bootdesk.model.CertificateInfo;
import io.bootdesk.model.CertificateKind;
import io.bootdesk.model.ClientArch;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.EventType;
import io.bootdesk.model.KeyDelivery;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import io.bootdesk.store.Batch;
import io.bootdesk.store.CertificateStore;
import io.bootdesk.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's session beside a serve that writes the data dir (no engine, no window): names and forgets made in
 * the window go through the store like the CLI's, and those made by the CLI reach the window's updates.
 */
class ConsoleSessionNamesTest {
    static final MacAddress A = MacAddress.parse("52:54:00:00:0b:01");
    static final MacAddress B = MacAddress.parse("52:54:00:00:0b:02");

    @TempDir
    Path tmp;

    static Machine row(MacAddress mac) {
        Instant t = Instant.now();
        return new Machine(mac, "10.99.0.10", null, ClientArch.BIOS_X86, ClientKind.PXE, null, BootStage.WAITING, "", -1,
                null, t, t, null, null);
    }

    /** Drains until a batch matches (the session polls the database once a second). */
    static UpdateCoalescer.Batch await(ConsoleSession s, Predicate<UpdateCoalescer.Batch> p, String what)
            throws InterruptedException {
        List<UpdateCoalescer.Batch> seen = new ArrayList<>();
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < until) {
            UpdateCoalescer.Batch b = s.updates().drain();
            if (!b.isEmpty()) {
                seen.add(b);
                if (p.test(b)) {
                    return b;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not within 5 s: " + what + "; drained " + seen);
    }

    @Test
    void namesAndForgetsGoThroughTheStoreBothWays() throws Exception {
        Path data = tmp.resolve("data");
        try (Database db = Database.open(data)) {
            new Batch(List.of(), List.of(row(A), row(B)), List.of(), List.of()).commit(db);
        }
        try (ConsoleSession s = new ConsoleSession(ConsoleOptions.standard(data)); Workspace cli = Workspace.open(data)) {
            await(s, b -> b.machines().size() == 2, "both rows");

            // the window renames: the database has it, journaled like bootdesk name
            assertThat(s.rename(A, "  rack 1 ")).isEqualTo("rack 1");
            assertThat(cli.machine(A).orElseThrow().name()).isEqualTo("rack 1");
            assertThat(cli.events(A, 5)).extracting(BootEvent::type).containsExactly(EventType.MACHINE_RENAMED);
            assertThat(s.rename(A, "")).isEmpty();
            assertThat(cli.machine(A).orElseThrow().name()).isNull();

            // bootdesk name in another process: the row comes with the name
            cli.rename(B, "bench");
            await(s, b -> b.machines().stream().anyMatch(m -> m.mac().equals(B) && "bench".equals(m.name())),
                    "B's row with its new name");

            // bootdesk forget in another process: the row leaves the table
            cli.forget(List.of(B));
            await(s, b -> b.forgotten().contains(B), "B forgotten");

            // the window forgets: at once, and in the database
            assertThat(s.forget(List.of(A))).isEqualTo(1);
            await(s, b -> b.forgotten().contains(A), "A forgotten");
            assertThat(cli.machines()).isEmpty();
            assertThat(cli.events(A, 5)).extracting(BootEvent::type).endsWith(EventType.MACHINE_FORGOTTEN);
        }
    }

    @Test
    void aVerificationRecordedByTheServeReachesTheCertificateColumn() throws Exception {
        Path data = tmp.resolve("data");
        Instant now = Instant.now();
        try (Database db = Database.open(data)) {
            new Batch(List.of(), List.of(row(A)), List.of(), List.of()).commit(db);
            new CertificateStore(db).record(List.of(new CertificateInfo("0A", CertificateKind.CLIENT, A, "CN=a", "ff", "ee",
                    now.minus(Duration.ofDays(2)), now.plus(Duration.ofDays(300)), now, null, null, KeyDelivery.NONE,
                    null)), List.of(), null, null);
        }
        try (ConsoleSession s = new ConsoleSession(ConsoleOptions.standard(data))) {
            await(s, b -> b.certificates() != null && b.certificates().get(A).state() == CertificateView.State.ISSUED,
                    "issued");
            try (Database db = Database.open(data)) {
                new Batch(List.of(), List.of(), List.of(), List.of(), List.of(), java.util.Map.of("0A", now)).commit(db);
            }
            UpdateCoalescer.Batch b = await(s, x -> x.certificates() != null, "the new certificate states");
            assertThat(b.certificates().get(A).state()).isEqualTo(CertificateView.State.VERIFIED);
            assertThat(b.certificates().get(A).tooltip()).contains("presented and verified");
        }
    }
}
