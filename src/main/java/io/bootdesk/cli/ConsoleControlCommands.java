package io.bootdesk.cli;

import io.bootdesk.console.MachineControl;
import io.bootdesk.console.MachineControl.Ability;
import io.bootdesk.console.MachineControl.PowerAction;
import io.bootdesk.engine.BootNow;
import io.bootdesk.engine.MachineActions;
import io.bootdesk.engine.Workspace;
import io.bootdesk.model.MacAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bootdesk console power|boot-now|key|snapshot|media|status}: the buttons of a machine's network console,
 * through {@link MachineActions} (each change journaled as a CONSOLE event of the machine). Failures print one
 * sentence and exit 1.
 */
final class ConsoleControlCommands {
    private ConsoleControlCommands() {
    }

    @Command(name = "power", mixinStandardHelpOptions = true,
            description = {"Switch a machine's power through its PiKVM, JetKVM or Redfish binding:",
                    "  on         power on (nothing when already on)",
                    "  off        a short press / GracefulShutdown (the OS shuts down)",
                    "  force-off  a long press / ForceOff (cuts power)",
                    "  reset      the reset button / ForceRestart"})
    static final class Power implements Callable<Integer> {
        @ParentCommand
        ConsoleCommand console;

        @Parameters(index = "0", paramLabel = "MAC")
        String mac;

        @Parameters(index = "1", paramLabel = "ACTION", description = "on, off, force-off or reset.")
        String action;

        @Override
        public Integer call() throws Exception {
            MacAddress m = MacAddress.parse(mac);
            PowerAction a = io.bootdesk.console.ConsoleBinding.parseEnum(PowerAction.class, action, "the power action");
            try (Workspace w = Workspace.open(console.root.dataDir); MachineActions actions = w.machineActions()) {
                String said = actions.power(m, a);
                System.out.println("power " + action.toLowerCase(Locale.ROOT) + " of " + m + ": " + said);
            }
            return 0;
        }
    }

    @Command(name = "boot-now", mixinStandardHelpOptions = true,
            description = {"Make a machine network-boot now, printing each step (also journaled):",
                    "  Redfish: a one-time PXE boot override, then ForceRestart when on or On when off;",
                    "  PiKVM/JetKVM: reset when on, power on when off, then the binding's boot key about",
                    "  once a second for --key-seconds. Ctrl-C cancels (exit 130)."})
    static final class BootNowCmd implements Callable<Integer> {
        @ParentCommand
        ConsoleCommand console;

        @Parameters(index = "0", paramLabel = "MAC")
        String mac;

        @Option(names = "--key-seconds", paramLabel = "N", defaultValue = "20",
                description = "KVM: how long to press the boot key, about once a second (default ${DEFAULT-VALUE}).")
        int keySeconds;

        @Override
        public Integer call() throws Exception {
            MacAddress m = MacAddress.parse(mac);
            if (keySeconds < 1 || keySeconds > 600) {
                throw new IllegalArgumentException("--key-seconds is 1 to 600 (got " + keySeconds + ")");
            }
            try (Workspace w = Workspace.open(console.root.dataDir);
                 MachineActions actions = w.machineActions(e -> System.out.println(e.message()))) {
                BootNow b = actions.bootNow(m, Duration.ofSeconds(keySeconds));
                Thread hook = new Thread(b::cancel, "bootdesk-boot-now-cancel");
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    BootNow.Outcome o = b.done().get();
                    return switch (o) {
                        case DONE -> 0;
                        case FAILED -> {
                            System.err.println("bootdesk: boot now of " + m + " failed (the step above says why)");
                            yield 1;
                        }
                        case CANCELLED -> 130;
                    };
                } finally {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook is running: Ctrl-C
                    }
                }
            }
        }
    }

    @Command(name = "key", mixinStandardHelpOptions = true,
            description = {"Press a key or chord on a machine through its KVM, e.g. F12, Esc, Enter, Ctrl+B,",
                    "Ctrl+Alt+Del."})
    static final class Key implements Callable<Integer> {
        @ParentCommand
        ConsoleCommand console;

        @Parameters(index = "0", paramLabel = "MAC")
        String mac;

        @Parameters(index = "1", paramLabel = "CHORD")
        String chord;

        @Override
        public Integer call() throws Exception {
            MacAddress m = MacAddress.parse(mac);
            io.bootdesk.console.KeyChord.parse(chord); // a typo is named before anything is opened or journaled
            try (Workspace w = Workspace.open(console.root.dataDir); MachineActions actions = w.machineActions()) {
                actions.pressKeys(m, chord);
            }
            System.out.println("pressed " + chord + " on " + m);
            return 0;
        }
    }

    @Command(name = "snapshot", mixinStandardHelpOptions = true,
            description = "Save a JPEG of a machine's screen (full size) through its KVM.")
    static final class Snapshot implements Callable<Integer> {
        @ParentCommand
        ConsoleCommand console;

        @Parameters(index = "0", paramLabel = "MAC")
        String mac;

        @Parameters(index = "1", paramLabel = "FILE.jpg")
        Path file;

        @Override
        public Integer call() throws Exception {
            MacAddress m = MacAddress.parse(mac);
            byte[] jpeg;
            try (Workspace w = Workspace.open(console.root.dataDir); MachineActions actions = w.machineActions()) {
                jpeg = actions.snapshot(m, 0, 0);
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".part");
            Files.write(tmp, jpeg);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            System.out.println("snapshot of " + m + " saved to " + file + " (" + jpeg.length + " bytes)");
            return 0;
        }
    }

    @Command(name = "media", mixinStandardHelpOptions = true,
            description = {"Attach an image to a machine as virtual media through its KVM: the KVM downloads URL",
                    "(e.g. an ISO BootDesk serves) and connects it as a CD-ROM, or with --disk as a flash drive."})
    static final class Media implements Callable<Integer> {
        @ParentCommand
        ConsoleCommand console;

        @Parameters(index = "0", paramLabel = "MAC")
        String mac;

        @Parameters(index = "1", paramLabel = "URL")
        String url;

        @Option(names = "--disk", description = "Connect it as a flash drive instead of a CD-ROM.")
        boolean disk;

        @Override
        public Integer call() throws Exception {
            MacAddress m = MacAddress.parse(mac);
            URI u = URI.create(url);
            if (u.getScheme() == null || !u.getScheme().matches("https?")) {
                throw new IllegalArgumentException("the image is given by an http:// or https:// URL (got '" + url + "')");
            }
            try (Workspace w = Workspace.open(console.root.dataDir); MachineActions actions = w.machineActions()) {
                actions.mountMedia(m, u, !disk);
            }
            System.out.println(u + " connected to " + m + " as a " + (disk ? "flash drive" : "CD-ROM"));
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "What a machine's network console can do, and whether the machine is on.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        ConsoleCommand console;

        @Parameters(index = "0", paramLabel = "MAC")
        String mac;

        @Override
        public Integer call() throws Exception {
            MacAddress m = MacAddress.parse(mac);
            try (Workspace w = Workspace.open(console.root.dataDir); MachineActions actions = w.machineActions();
                 MachineControl c = actions.open(m)) {
                System.out.println("console:   " + c.describe());
                String power = c.abilities().contains(Ability.POWER_STATE) ? c.powerState().name().toLowerCase(Locale.ROOT)
                        : "unknown (this console cannot tell)";
                // a PiKVM learns here whether it has its ATX board
                System.out.println("power:     " + power);
                System.out.println("abilities: " + String.join(", ", c.abilities().stream()
                        .map(a -> a.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList()));
                if (c.webUi() != null) {
                    System.out.println("web UI:    " + c.webUi());
                }
            }
            return 0;
        }
    }
}
