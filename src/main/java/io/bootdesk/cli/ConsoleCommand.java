package io.bootdesk.cli;

import io.bootdesk.console.ConsoleBinding;
import io.bootdesk.console.ConsoleLogs;
import io.bootdesk.engine.Workspace;
import io.bootdesk.model.MacAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "console", mixinStandardHelpOptions = true,
        description = {"Out-of-band consoles bound to a machine. A running serve attaches a bound serial console",
                "(within a second) and copies it into DATA-DIR/console/<mac>.log. Through a JetKVM, PiKVM or Redfish",
                "binding BootDesk switches power, presses keys, attaches virtual media, takes snapshots and boots now.",
                "Exit codes: 0 done, 1 failed or a bad value (one sentence on stderr), 2 bad usage, 130 cancelled."},
        subcommands = {ConsoleCommand.Bind.class, ConsoleCommand.Unbind.class, ConsoleCommand.ListBindings.class,
                ConsoleCommand.Log.class, ConsoleCommand.Send.class, ConsoleControlCommands.Power.class,
                ConsoleControlCommands.BootNowCmd.class, ConsoleControlCommands.Key.class,
                ConsoleControlCommands.Snapshot.class, ConsoleControlCommands.Media.class,
                ConsoleControlCommands.Status.class})
final class ConsoleCommand implements Runnable {
    @ParentCommand
    BootdeskCommand root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "bind", mixinStandardHelpOptions = true,
            description = {"Bind a machine's console (replaces its binding):",
                    "  console bind MAC serial PORT [BAUD]      (default 115200 8N1, no flow control)",
                    "  console bind MAC jetkvm ADDRESS [--password-stdin] [--boot-key KEY] [--tls-sha256 FP]",
                    "  console bind MAC pikvm ADDRESS [--user U] [--password-stdin] [--boot-key KEY] [--tls-sha256 FP]",
                    "  console bind MAC redfish ADDRESS [--user U] [--system ID] [--password-stdin] [--tls-sha256 FP]",
                    "A password is kept as the machine's secret 'console-password', never in the binding."})
    static final class Bind implements Callable<Integer> {
        @ParentCommand
        ConsoleCommand console;

        @Parameters(index = "0", paramLabel = "MAC")
        String mac;

        @Parameters(index = "1", paramLabel = "KIND", description = "serial, jetkvm, pikvm or redfish.")
        String kind;

        @Parameters(index = "2", paramLabel = "PORT|ADDRESS")
        String address;

        @Parameters(index = "3", arity = "0..1", paramLabel = "BAUD", description = "serial: the baud rate (default 115200).")
        Integer baud;

        @Option(names = "--data-bits", defaultValue = "8", description = "serial: 5 to 8 (default ${DEFAULT-VALUE}).")
        int dataBits;

        @Option(names = "--parity", defaultValue = "none", description = "serial: none, odd, even, mark, space (default ${DEFAULT-VALUE}).")
        String parity;

        @Option(names = "--stop-bits", defaultValue = "1", description = "serial: 1, 1.5 or 2 (default ${DEFAULT-VALUE}).")
        String stopBits;

        @Option(names = "--flow", defaultValue = "none", description = "serial: none, rtscts, xonxoff (default ${DEFAULT-VALUE}).")
        String flow;

        @Option(names = "--user", description = "pikvm, redfish: the user to log in as.")
        String user;

        @Option(names = "--system", description = "redfish: the ComputerSystem id (default: the only one).")
        String systemId;

        @Option(names = "--password-stdin", description = "jetkvm, pikvm, redfish: read the password from standard input.")
        boolean passwordStdin;

        @Option(names = "--boot-key", description = "jetkvm, pikvm: the key that picks network boot during POST,"
                + " e.g. F12, F8, Esc or Ctrl+B (default F12).")
        String bootKey;

        @Option(names = "--tls-sha256", paramLabel = "FP", description = "jetkvm, pikvm, redfish: trust exactly this"
                + " certificate (SHA-256 fingerprint, hex with or without colons) of a self-signed device.")
        String tlsSha256;

        @Override
        public Integer call() throws Exception {
            MacAddress m = MacAddress.parse(mac);
            String k = kind.toLowerCase(java.util.Locale.ROOT);
            if (baud != null && !k.equals("serial")) {
                throw new IllegalArgumentException("only a serial console takes a baud rate");
            }
            if (bootKey != null && !(k.equals("jetkvm") || k.equals("pikvm"))) {
                throw new IllegalArgumentException("only a JetKVM or PiKVM presses a boot key (a Redfish BMC sets a one-time"
                        + " boot override instead)");
            }
            String pin = tlsSha256 == null ? null : io.bootdesk.console.client.PinnedTls.normalize(tlsSha256);
            ConsoleBinding b = switch (k) {
                case "serial" -> new ConsoleBinding.Serial(address, baud == null ? ConsoleBinding.Serial.DEFAULT_BAUD : baud,
                        dataBits, ConsoleBinding.parseEnum(ConsoleBinding.Parity.class, parity, "parity"),
                        ConsoleBinding.StopBits.parse(stopBits),
                        ConsoleBinding.parseEnum(ConsoleBinding.FlowControl.class, flow, "flow control"));
                case "jetkvm" -> new ConsoleBinding.JetKvm(address, pin, bootKey);
                case "pikvm" -> new ConsoleBinding.PiKvm(address, user, pin, bootKey);
                case "redfish" -> new ConsoleBinding.Redfish(address, user, systemId, pin);
                default -> throw new IllegalArgumentException("a console is serial, jetkvm, pikvm or redfish (got '" + kind + "')");
            };
            String password = null;
            if (passwordStdin) {
                if (k.equals("serial")) {
                    throw new IllegalArgumentException("a " + k + " console takes no password here");
                }
                password = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            try (Workspace w = Workspace.open(console.root.dataDir)) {
                w.bindConsole(m, b, password);
            }
            System.out.println("console of " + m + ": " + b.describe());
            return 0;
        }
    }

    @Command(name = "unbind", mixinStandardHelpOptions = true, description = "Remove a machine's console binding (and its password).")
    static final class Unbind implements Callable<Integer> {
        @ParentCommand
        ConsoleCommand console;

        @Parameters(index = "0", paramLabel = "MAC")
        String mac;

        @Override
        public Integer call() {
            MacAddress m = MacAddress.parse(mac);
            try (Workspace w = Workspace.open(console.root.dataDir)) {
                if (!w.unbindConsole(m)) {
                    System.err.println("bootdesk: " + m + " has no console binding");
                    return 1;
                }
            }
            System.out.println("console of " + m + " unbound");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every machine's console binding.")
    static final class ListBindings implements Callable<Integer> {
        @ParentCommand
        ConsoleCommand console;

        @Override
        public Integer call() {
            try (Workspace w = Workspace.open(console.root.dataDir)) {
                Table t = new Table("MAC", "KIND", "PORT/ADDRESS", "SETTINGS");
                w.consoleBindings().forEach((m, b) -> t.row(m, b.kind(), b.address(), switch (b) {
                    case ConsoleBinding.Serial s -> s.settings();
                    case ConsoleBinding.JetKvm j -> "boot key " + j.bootKey() + pinned(j.tlsSha256());
                    case ConsoleBinding.PiKvm p -> (p.user() == null ? "" : "user " + p.user() + " ") + "boot key "
                            + p.bootKey() + pinned(p.tlsSha256());
                    case ConsoleBinding.Redfish r -> ((r.user() == null ? "" : "user " + r.user() + " ")
                            + (r.systemId() == null ? "" : "system " + r.systemId()) + pinned(r.tlsSha256())).strip();
                }));
                t.print(System.out, "no console bindings");
            }
            return 0;
        }

        private static String pinned(String fp) {
            return fp == null ? "" : " pinned " + fp.substring(0, 11) + "...";
        }
    }

    @Command(name = "log", mixinStandardHelpOptions = true,
            description = "Print a machine's console log (DATA-DIR/console/<mac>.log); --follow streams what is appended.")
    static final class Log implements Callable<Integer> {
        @ParentCommand
        ConsoleCommand console;

        @Parameters(index = "0", paramLabel = "MAC")
        String mac;

        @Option(names = {"-f", "--follow"}, description = "Keep printing what the console writes (Ctrl-C ends).")
        boolean follow;

        @Override
        public Integer call() throws Exception {
            MacAddress m = MacAddress.parse(mac);
            Path file = ConsoleLogs.file(console.root.dataDir, m);
            if (!follow && !java.nio.file.Files.exists(file)) {
                System.err.println("bootdesk: no console log for " + m + " (" + file + ")");
                return 1;
            }
            ConsoleLogs.copy(file, 0, System.out, () -> follow);
            return 0;
        }
    }

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = {"Type on a machine's attached serial console (through the running serve's",
                    "DATA-DIR/console/<mac>.sock). TEXT may hold \\r, \\n, \\t, \\\\ and \\xHH (e.g. \\x02 is Ctrl-B);",
                    "nothing is added at the end. Bytes go out --char-delay apart, as typed: firmware that polls",
                    "its UART (iPXE, BIOS set-up) drops characters that arrive in a burst."})
    static final class Send implements Callable<Integer> {
        @ParentCommand
        ConsoleCommand console;

        @picocli.CommandLine.Option(names = "--char-delay", paramLabel = "MS", defaultValue = "20",
                description = "Milliseconds between bytes (default ${DEFAULT-VALUE}; 0 sends them at once).")
        int charDelayMs;

        @Parameters(index = "0", paramLabel = "MAC")
        String mac;

        @Parameters(index = "1", paramLabel = "TEXT")
        String text;

        @Override
        public Integer call() throws Exception {
            MacAddress m = MacAddress.parse(mac);
            byte[] bytes = unescape(text);
            io.bootdesk.console.ConsoleSocket.send(io.bootdesk.console.ConsoleSocket.path(console.root.dataDir, m), bytes,
                    java.time.Duration.ofMillis(Math.max(0, charDelayMs)));
            System.out.println("sent " + bytes.length + " byte" + (bytes.length == 1 ? "" : "s") + " to the console of " + m);
            return 0;
        }

        static byte[] unescape(String s) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] raw = s.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] != '\\' || i + 1 == raw.length) {
                    out.write(raw[i]);
                    continue;
                }
                char c = (char) raw[++i];
                switch (c) {
                    case 'r' -> out.write('\r');
                    case 'n' -> out.write('\n');
                    case 't' -> out.write('\t');
                    case '\\' -> out.write('\\');
                    case 'x' -> {
                        String hex = i + 2 < raw.length ? new String(raw, i + 1, 2, StandardCharsets.US_ASCII) : "";
                        if (!hex.matches("[0-9A-Fa-f]{2}")) {
                            throw new IllegalArgumentException("\\x needs two hex digits (e.g. \\x02 for Ctrl-B)");
                        }
                        out.write(Integer.parseInt(hex, 16));
                        i += 2;
                    }
                    default -> throw new IllegalArgumentException("unknown escape \\" + c + " (use \\r, \\n, \\t, \\\\ or \\xHH)");
                }
            }
            return out.toByteArray();
        }
    }
}
