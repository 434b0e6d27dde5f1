package io.bootdesk.cli;

import io.bootdesk.engine.Workspace;
import io.bootdesk.model.Assignment;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "machines", mixinStandardHelpOptions = true,
        description = "The machine table (NAME: bootdesk name MAC NAME; IPXE HTTPS: whether its iPXE has HTTPS, when known).")
final class MachinesCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @ParentCommand
    BootdeskCommand root;

    @Override
    public Integer call() {
        try (Workspace w = Workspace.open(root.dataDir)) {
            Map<MacAddress, Assignment> assigned = w.assignments().stream()
                    .collect(Collectors.toMap(Assignment::mac, Function.identity()));
            // new columns go last: scripts that read the columns by position keep working
            Table t = new Table("MAC", "IP", "VENDOR CLASS", "ARCH", "FIRMWARE", "STAGE", "IMAGE", "LAST SEEN", "VENDOR",
                    "NAME", "IPXE HTTPS");
            java.util.List<Machine> machines = w.machines();
            Function<MacAddress, String> vendors = machines.isEmpty() ? mac -> "" : w.macVendors();
            for (Machine m : machines) {
                Assignment a = assigned.get(m.mac());
                String vendor = vendors.apply(m.mac());
                t.row(m.mac(), m.ip(), m.vendorClass(), m.arch().label(), m.firmware().name(),
                        m.stage().name().toLowerCase(java.util.Locale.ROOT),
                        a == null ? "-" : a.image() + (a.once() ? " (once)" : ""), TIME.format(m.lastSeen()),
                        vendor.isEmpty() ? "-" : vendor, m.name(), ipxeHttps(m));
            }
            t.print(System.out, "no machines seen yet");
        }
        return 0;
    }

    /** Whether the iPXE the machine last ran has HTTPS: "yes", "no", or "-" when not known. */
    static String ipxeHttps(Machine m) {
        return m.ipxeHttps() == null ? "-" : m.ipxeHttps() ? "yes" : "no";
    }
}
