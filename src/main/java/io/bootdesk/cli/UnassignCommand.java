package io.bootdesk.cli;

import io.bootdesk.engine.Workspace;
import io.bootdesk.model.MacAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "unassign", mixinStandardHelpOptions = true,
        description = "Remove a machine's assignment; it then waits for one when it boots.")
final class UnassignCommand implements Callable<Integer> {
    @ParentCommand
    BootdeskCommand root;

    @Parameters(paramLabel = "MAC")
    String mac;

    @Override
    public Integer call() {
        MacAddress m = MacAddress.parse(mac);
        try (Workspace w = Workspace.open(root.dataDir)) {
            if (!w.unassign(m)) {
                System.out.println(m + " had no assignment");
                return 0;
            }
        }
        System.out.println(m + " unassigned");
        return 0;
    }
}
