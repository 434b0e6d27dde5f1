package io.bootdesk.cli;

import io.bootdesk.engine.Workspace;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "name", mixinStandardHelpOptions = true,
        description = {"Name a machine (at most " + Machine.MAX_NAME_LENGTH + " characters; \"\" clears the name).",
                "Journaled; a running serve and the window show it within a second."})
final class NameCommand implements Callable<Integer> {
    @ParentCommand
    BootdeskCommand root;

    @Parameters(index = "0", paramLabel = "MAC")
    String mac;

    @Parameters(index = "1", paramLabel = "NAME", description = "The name; an empty string clears it.")
    String name;

    @Override
    public Integer call() {
        MacAddress m = MacAddress.parse(mac);
        try (Workspace w = Workspace.open(root.dataDir)) {
            boolean known = w.machine(m).isPresent();
            String n = w.rename(m, name);
            System.out.println(n == null ? m + ": name cleared"
                    : m + " is now '" + n + "'" + (known ? "" : " (not seen yet: it shows under that name once it boots)"));
        }
        return 0;
    }
}
