package io.bootdesk.cli;

import io.bootdesk.engine.Workspace;
import io.bootdesk.model.MacAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "assign", mixinStandardHelpOptions = true,
        description = "Make a machine boot an image. A running serve picks it up within a second; a machine sitting "
                + "in the waiting script boots it without a reboot.")
final class AssignCommand implements Callable<Integer> {
    @ParentCommand
    BootdeskCommand root;

    @Parameters(index = "0", paramLabel = "MAC")
    String mac;

    @Parameters(index = "1", paramLabel = "IMAGE")
    String image;

    @Option(names = "--once", description = "Boot it once: the assignment ends after one successful boot.")
    boolean once;

    @Override
    public Integer call() {
        MacAddress m = MacAddress.parse(mac);
        try (Workspace w = Workspace.open(root.dataDir)) {
            w.assign(m, image, once);
        }
        System.out.println(m + " -> " + image + (once ? " (once)" : ""));
        return 0;
    }
}
