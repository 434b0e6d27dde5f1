package io.bootdesk.cli;

import io.bootdesk.engine.DataDirs;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(name = "bootdesk", mixinStandardHelpOptions = true, version = "BootDesk 0.1.0",
        description = "Secure network boot console: DHCP, proxyDHCP, TFTP and HTTP boot for a build network.",
        subcommands = {ServeCommand.class, ImageCommand.class, AssignCommand.class, UnassignCommand.class,
                MachinesCommand.class, NameCommand.class, ForgetCommand.class, EventsCommand.class, CaCommand.class,
                CertCommand.class, SecretCommand.class, ConsoleCommand.class, MediaCommand.class, DemoCommand.class})
public final class BootdeskCommand implements Runnable {

    @Option(names = "--data-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Where BootDesk keeps its database and images (default: ${DEFAULT-VALUE}).")
    Path dataDir = DataDirs.defaultDataDir();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** No command: open the console window (the GUI is loaded by name; the CLI does not depend on it). */
    @Override
    public void run() {
        try {
            Class.forName(GUI_LAUNCHER).getMethod("main", String[].class)
                    .invoke(null, (Object) new String[] {"--data-dir", dataDir.toString()});
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite && ite.getCause() != null
                    ? ite.getCause() : e;
            spec.commandLine().getErr().println("bootdesk: cannot open the console window (" + Main.message(cause)
                    + "). Is there a display? The commands below work without one.");
            spec.commandLine().usage(spec.commandLine().getErr());
            throw new picocli.CommandLine.ExecutionException(spec.commandLine(), "no window", cause);
        }
    }

    static final String GUI_LAUNCHER = "io.bootdesk.ui.Launcher";
}
