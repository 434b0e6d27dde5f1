package io.bootdesk.cli;

import io.bootdesk.engine.Workspace;
import io.bootdesk.model.MacAddress;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "forget", mixinStandardHelpOptions = true,
        description = {"Remove a machine from the machine table, with its assignment. Its events stay (bootdesk events",
                "MAC), and so do its certificates and secrets; a lease it has runs out as leases do. A running serve",
                "drops it within a second; if it boots again it comes back as a new machine."})
final class ForgetCommand implements Callable<Integer> {
    @ParentCommand
    BootdeskCommand root;

    @Parameters(paramLabel = "MAC")
    String mac;

    @Override
    public Integer call() {
        MacAddress m = MacAddress.parse(mac);
        try (Workspace w = Workspace.open(root.dataDir)) {
            if (w.machine(m).isEmpty() && w.assignment(m).isEmpty()) {
                throw new IllegalArgumentException("there is no machine " + m + " in the machine table");
            }
            Workspace.Forgotten f = w.forget(List.of(m)).get(0);
            System.out.println(m + " forgotten" + (f.assignment() == null ? ""
                    : " (its assignment of " + f.assignment().image() + " removed)"));
        }
        return 0;
    }
}
