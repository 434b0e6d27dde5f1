package io.bootdesk.cli;

import io.bootdesk.engine.Workspace;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.MacAddress;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "events", mixinStandardHelpOptions = true, description = "The boot event journal, oldest first.")
final class EventsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    @ParentCommand
    BootdeskCommand root;

    @Parameters(arity = "0..1", paramLabel = "MAC", description = "Only this machine's events.")
    String mac;

    @Option(names = {"-n", "--limit"}, defaultValue = "100", description = "How many of the newest events. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    public Integer call() {
        MacAddress m = mac == null ? null : MacAddress.parse(mac);
        try (Workspace w = Workspace.open(root.dataDir)) {
            var list = w.events(m, limit);
            if (list.isEmpty()) {
                System.out.println("no events" + (m == null ? "" : " for " + m));
            }
            for (BootEvent e : list) {
                System.out.println(TIME.format(e.time()) + "  " + (e.mac() == null ? "-                " : e.mac())
                        + "  " + String.format("%-15s", e.ip() == null ? "-" : e.ip()) + "  "
                        + String.format("%-18s", e.type()) + "  " + e.message());
            }
        }
        return 0;
    }
}
