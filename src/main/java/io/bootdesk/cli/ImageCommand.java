package io.bootdesk.cli;

import io.bootdesk.engine.Workspace;
import io.bootdesk.model.BootImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "image", mixinStandardHelpOptions = true, description = "Manage boot images.",
        subcommands = {ImageCommand.Add.class, ImageCommand.ListImages.class, ImageCommand.Rename.class,
                ImageCommand.Edit.class, ImageCommand.Remove.class})
final class ImageCommand implements Runnable {
    @ParentCommand
    BootdeskCommand root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add an image (replaces one of the same name).",
            subcommands = {AddLinux.class, AddScript.class, AddEfi.class})
    static final class Add implements Runnable {
        @ParentCommand
        ImageCommand image;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "linux", mixinStandardHelpOptions = true,
            description = "A Linux kernel with initrd(s) and a command line; BootDesk writes the iPXE script.")
    static final class AddLinux implements Callable<Integer> {
        @ParentCommand
        Add add;

        @Option(names = "--name", required = true, description = "Image name (letters, digits, '.', '_', '-').")
        String name;

        @Option(names = "--kernel", required = true, paramLabel = "FILE")
        Path kernel;

        @Option(names = "--initrd", paramLabel = "FILE", description = "Initrd, repeatable, loaded in the order given.")
        List<Path> initrds = new ArrayList<>();

        @Option(names = "--cmdline", paramLabel = "TEXT", defaultValue = "",
                description = "Kernel command line; may use {{ server }}, {{ mac }}, {{ image }}, {{ files }}.")
        String cmdline;

        @Override
        public Integer call() throws Exception {
            try (Workspace w = Workspace.open(add.image.root.dataDir)) {
                BootImage i = w.addLinuxImage(name, kernel, initrds, cmdline);
                System.out.println("added linux image " + i.name() + " (" + String.join(", ", i.files()) + ")");
            }
            return 0;
        }
    }

    @Command(name = "script", mixinStandardHelpOptions = true,
            description = "An iPXE script (#!ipxe) of your own; may use {{ server }}, {{ mac }}, {{ image }}.")
    static final class AddScript implements Callable<Integer> {
        @ParentCommand
        Add add;

        @Option(names = "--name", required = true)
        String name;

        @Option(names = "--file", required = true, paramLabel = "FILE.ipxe")
        Path file;

        @Override
        public Integer call() throws Exception {
            try (Workspace w = Workspace.open(add.image.root.dataDir)) {
                System.out.println("added script image " + w.addScriptImage(name, file).name());
            }
            return 0;
        }
    }

    @Command(name = "efi", mixinStandardHelpOptions = true,
            description = "An EFI program (e.g. a unified kernel image): chained by iPXE, or handed straight to UEFI HTTP Boot.")
    static final class AddEfi implements Callable<Integer> {
        @ParentCommand
        Add add;

        @Option(names = "--name", required = true)
        String name;

        @Option(names = "--file", required = true, paramLabel = "FILE.efi")
        Path file;

        @Override
        public Integer call() throws Exception {
            try (Workspace w = Workspace.open(add.image.root.dataDir)) {
                System.out.println("added efi image " + w.addEfiImage(name, file).name());
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List images.")
    static final class ListImages implements Callable<Integer> {
        @ParentCommand
        ImageCommand image;

        @Override
        public Integer call() {
            try (Workspace w = Workspace.open(image.root.dataDir)) {
                Table t = new Table("NAME", "KIND", "FILES", "CMDLINE");
                for (BootImage i : w.images()) {
                    t.row(i.name(), i.kind().name().toLowerCase(java.util.Locale.ROOT),
                            i.files().isEmpty() ? "-" : String.join(" ", i.files()), i.cmdline().isEmpty() ? "-" : i.cmdline());
                }
                t.print(System.out, "no images yet: add one with 'bootdesk image add linux|script|efi ...'");
            }
            return 0;
        }
    }

    @Command(name = "rename", mixinStandardHelpOptions = true,
            description = "Rename an image: its files move, and machines assigned to it stay assigned under the new name.")
    static final class Rename implements Callable<Integer> {
        @ParentCommand
        ImageCommand image;

        @Parameters(index = "0", paramLabel = "OLD")
        String from;

        @Parameters(index = "1", paramLabel = "NEW", description = "New name (letters, digits, '.', '_', '-').")
        String to;

        @Override
        public Integer call() throws Exception {
            try (Workspace w = Workspace.open(image.root.dataDir)) {
                var r = w.renameImage(from, to);
                int n = r.machines().size();
                System.out.println("renamed image " + from + " to " + r.image().name()
                        + (n == 0 ? "" : " (" + n + (n == 1 ? " machine follows it)" : " machines follow it)")));
            }
            return 0;
        }
    }

    @Command(name = "edit", mixinStandardHelpOptions = true,
            description = "Replace a script image's iPXE script with a file's (#!ipxe, as for 'image add script').")
    static final class Edit implements Callable<Integer> {
        @ParentCommand
        ImageCommand image;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--file", required = true, paramLabel = "FILE.ipxe")
        Path file;

        @Override
        public Integer call() throws Exception {
            try (Workspace w = Workspace.open(image.root.dataDir)) {
                System.out.println("replaced the script of image " + w.editScriptImage(name, file).name());
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an image and its files.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        ImageCommand image;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            try (Workspace w = Workspace.open(image.root.dataDir)) {
                if (!w.removeImage(name)) {
                    System.err.println("bootdesk: there is no image named '" + name + "'");
                    return 1;
                }
                System.out.println("removed image " + name);
            }
            return 0;
        }
    }
}
