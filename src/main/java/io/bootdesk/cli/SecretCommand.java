package io.bootdesk.cli;

import io.bootdesk.engine.Workspace;
import io.bootdesk.model.MacAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "secret", mixinStandardHelpOptions = true,
        description = {"Per-machine secrets, used in scripts and kernel command lines as {{ secret.NAME }}. A script",
                "that uses one is served only over mutual TLS to the machine whose certificate it is. Values are never",
                "printed, logged or journaled."},
        subcommands = {SecretCommand.Set.class, SecretCommand.Unset.class, SecretCommand.ListNames.class})
final class SecretCommand implements Runnable {
    @ParentCommand
    BootdeskCommand root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Set (or replace) a machine's secret.")
    static final class Set implements Callable<Integer> {
        @ParentCommand
        SecretCommand secret;

        @Parameters(index = "0", paramLabel = "MAC")
        String mac;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Parameters(index = "2", paramLabel = "VALUE", description = "The value; '-' reads it from standard input.")
        String value;

        @Override
        public Integer call() throws Exception {
            MacAddress m = MacAddress.parse(mac);
            String v = value.equals("-") ? new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip() : value;
            try (Workspace w = Workspace.open(secret.root.dataDir)) {
                w.setSecret(m, name, v);
            }
            System.out.println("secret " + name + " of " + m + " set");
            return 0;
        }
    }

    @Command(name = "unset", mixinStandardHelpOptions = true, description = "Remove a machine's secret.")
    static final class Unset implements Callable<Integer> {
        @ParentCommand
        SecretCommand secret;

        @Parameters(index = "0", paramLabel = "MAC")
        String mac;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            MacAddress m = MacAddress.parse(mac);
            try (Workspace w = Workspace.open(secret.root.dataDir)) {
                System.out.println(w.unsetSecret(m, name) ? "secret " + name + " of " + m + " removed" : m + " has no secret " + name);
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The names of a machine's secrets (not their values).")
    static final class ListNames implements Callable<Integer> {
        @ParentCommand
        SecretCommand secret;

        @Parameters(index = "0", paramLabel = "MAC")
        String mac;

        @Override
        public Integer call() {
            MacAddress m = MacAddress.parse(mac);
            try (Workspace w = Workspace.open(secret.root.dataDir)) {
                var names = w.secretNames(m);
                System.out.println(names.isEmpty() ? m + " has no secrets" : String.join("\n", names));
            }
            return 0;
        }
    }
}
