package io.bootdesk.cli;

import io.bootdesk.engine.DataDirs;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(name = "bootdesk", mixinStandardHelpOptions = true, version = "BootDesk 0.1.0",
        description = "Secure network boot console: DHCP, proxyDHCP, TFTP and HTTP boot for a build network.",
        subcommands = {ServeCommand.class, ImageCommand.class, AssignCommand.class, UnassignCommand.class,
                MachinesCommand.class, EventsCommand.class, CaCommand.class, CertCommand.class, SecretCommand.class,
                MediaCommand.class})
public final class BootdeskCommand implements Runnable {

    @Option(names = "--data-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Where BootDesk keeps its database and images (default: ${DEFAULT-VALUE}).")
    Path dataDir = DataDirs.defaultDataDir();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
