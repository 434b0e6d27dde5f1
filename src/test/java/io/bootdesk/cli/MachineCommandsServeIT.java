package io.bootdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.engine.Engine;
import io.bootdesk.engine.EngineConfig;
import io.bootdesk.model.BootStage;
import io.bootdesk.model.ClientArch;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.DhcpMode;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import io.bootdesk.testing.CoreFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bootdesk name} and {@code forget} against a running engine on the same data dir (loopback, no restart):
 * the engine's in-memory table follows within a second and its own writes never undo them.
 */
class MachineCommandsServeIT {
    static final MacAddress MAC = MacAddress.parse("52:54:00:00:09:01");

    @TempDir
    Path tmp;

    static void await(BooleanSupplier done, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not within 5 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void nameAndForgetReachARunningServe() throws Exception {
        Path data = tmp.resolve("data");
        EngineConfig cfg = new EngineConfig(data, "lo", DhcpMode.FULL, "127.0.103.1-127.0.103.20", List.of(), null,
                List.of(), 600, CoreFixture.freePort(), CoreFixture.freePort(), CoreFixture.freePort(),
                CoreFixture.freePort(), tmp.resolve("ipxe"), null, false, EngineConfig.Tls.OFF);
        try (Engine e = Engine.start(cfg)) {
            e.inventory().observeDhcp(MAC, "127.0.103.5", "PXEClient", ClientArch.BIOS_X86, ClientKind.IPXE, null, false);
            e.journal().flush().get(10, TimeUnit.SECONDS);

            assertThat(Main.run("--data-dir", data.toString(), "name", MAC.toString(), "bench 4")).isZero();
            await(() -> "bench 4".equals(e.inventory().get(MAC).map(Machine::name).orElse(null)), "the engine has the name");
            // the machine keeps booting: the engine's rows carry the name and do not undo it in the database
            e.inventory().stage(MAC, BootStage.WAITING, "waiting", -1);
            e.journal().flush().get(10, TimeUnit.SECONDS);
            Thread.sleep(700);
            e.journal().flush().get(10, TimeUnit.SECONDS);
            assertThat(e.workspace().machine(MAC).map(Machine::name)).contains("bench 4");
            assertThat(e.workspace().machine(MAC).map(Machine::stage)).contains(BootStage.WAITING);
            assertThat(e.workspace().machine(MAC).map(Machine::ipxeHttps)).contains(false);

            e.inventory().stage(MAC, BootStage.BOOTED, "booted", -1); // a row of it waits in the journal
            assertThat(Main.run("--data-dir", data.toString(), "forget", MAC.toString())).isZero();
            await(() -> e.inventory().get(MAC).isEmpty(), "the engine forgot it");
            Thread.sleep(700);
            e.journal().flush().get(10, TimeUnit.SECONDS);
            assertThat(e.workspace().machine(MAC)).as("not written back by the engine").isEqualTo(Optional.empty());
            assertThat(e.inventory().get(MAC)).isEmpty();
        }
    }
}
