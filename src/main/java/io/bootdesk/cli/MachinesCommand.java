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
        description = "The machine table (NAME: bootdesk name MAC NAME; FIRMWARE says whether its iPXE has HTTPS when known).")
final class MachinesCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @ParentCommand
    BootdeskCommand root;

    @Override
    public Integer call() {
        try (Workspace w = Workspace.open(root.dataDir)) {
            Map<MacAddress, Assignment> assigned = w.assignments().stream()
                    .collect(Collectors.toMap(Assignment::mac, Function.identity()));
            Table t = new Table("MAC", "NAME", "IP", "VENDOR CLASS", "ARCH", "FIRMWARE", "STAGE", "IMAGE", "LAST SEEN");
            for (Machine m : w.machines()) {
                Assignment a = assigned.get(m.mac());
                t.row(m.mac(), m.name(), m.ip(), m.vendorClass(), m.arch().label(), firmware(m),
                        m.stage().name().toLowerCase(java.util.Locale.ROOT),
                        a == null ? "-" : a.image() + (a.once() ? " (once)" : ""), TIME.format(m.lastSeen()));
            }
            t.print(System.out, "no machines seen yet");
        }
        return 0;
    }

    /** "BIOS", "UEFI", or with what its iPXE can do when that is known: "BIOS, iPXE+HTTPS", "UEFI, iPXE no HTTPS". */
    static String firmware(Machine m) {
        String f = m.firmware().name();
        if (m.ipxeHttps() == null) {
            return f;
        }
        return f + (m.ipxeHttps() ? ", iPXE+HTTPS" : ", iPXE no HTTPS");
    }
}
