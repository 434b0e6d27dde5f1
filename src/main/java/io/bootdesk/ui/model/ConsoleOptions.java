package io.bootdesk.ui.model;

import io.bootdesk.engine.DhcpProbe;
import io.bootdesk.engine.EngineConfig;
import io.bootdesk.model.DhcpMode;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the console runs: its data dir, the engine settings the set-up's choice is applied to, and the probe's
 * ports. The defaults are the real protocol ports; tests and the demo use loopback with unprivileged ports.
 *
 * @param engine        the engine settings; the set-up fills in interface and mode
 * @param showLoopback  offer the loopback interface in the set-up (tests, demos)
 * @param probeServerPort where the probe sends its DISCOVER (67)
 * @param probeClientPort where answers arrive (68)
 */
public record ConsoleOptions(Path dataDir, EngineConfig engine, boolean showLoopback, int probeServerPort,
                             int probeClientPort, Duration probeWait) {

    public static ConsoleOptions standard(Path dataDir) {
        return new ConsoleOptions(dataDir, EngineConfig.standard(dataDir, "lo", DhcpMode.PROXY), false,
                DhcpProbe.SERVER_PORT, DhcpProbe.CLIENT_PORT, Duration.ofSeconds(3));
    }
}
