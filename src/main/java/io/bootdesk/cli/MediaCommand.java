package io.bootdesk.cli;

import io.bootdesk.engine.BootMedium;
import io.bootdesk.engine.Workspace;
import io.bootdesk.model.MacAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "media", mixinStandardHelpOptions = true, description = "Boot media that carry a machine's identity.",
        subcommands = {MediaCommand.Create.class})
final class MediaCommand implements Runnable {
    @ParentCommand
    BootdeskCommand root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Write a FAT disk image for a UEFI machine: stock iPXE as EFI/BOOT/BOOTX64.EFI and an",
                    "autoexec.ipxe that sets the machine's client certificate and key and chains its script over mutual",
                    "TLS. Write it to a USB stick (e.g. dd if=disk.img of=/dev/sdX bs=1M). It holds a private key:",
                    "keep it like one. The firmware must trust BootDesk's CA for HTTPS (ca export --format esl)."})
    static final class Create implements Callable<Integer> {
        @ParentCommand
        MediaCommand media;

        @Mixin
        PassphraseOptions passphrase;

        @Parameters(index = "0", paramLabel = "MAC")
        String mac;

        @Option(names = "--out", required = true, paramLabel = "FILE")
        Path out;

        @Option(names = "--server", paramLabel = "IP",
                description = "BootDesk's address on the boot network (default: ${next-server} from the DHCP answer,"
                        + " which BootDesk sets in full mode; give it in proxy mode).")
        String server;

        @Option(names = "--mtls-port", paramLabel = "N", defaultValue = "8443",
                description = "serve's mutual-TLS port. Default: ${DEFAULT-VALUE}.")
        int mtlsPort;

        @Option(names = "--ipxe-dir", paramLabel = "DIR", defaultValue = "/usr/lib/ipxe",
                description = "Where the x86_64 EFI iPXE is (ipxe-amd64.efi or ipxe.efi). Default: ${DEFAULT-VALUE}.")
        Path ipxeDir;

        @Option(names = "--ipxe-efi", paramLabel = "FILE", description = "The EFI iPXE to use (overrides --ipxe-dir).")
        Path ipxeEfi;

        @Override
        public Integer call() throws Exception {
            BootMedium m = new BootMedium(MacAddress.parse(mac), out, server, mtlsPort, ipxeDir, ipxeEfi);
            try (Workspace w = Workspace.open(media.root.dataDir)) {
                BootMedium.Written r = w.certificates(passphrase.input(false)).createBootMedium(m);
                System.out.println("wrote " + out + " for " + m.mac() + ": " + r.efi().getFileName() + ", certificate "
                        + r.certificate().serial() + ", chains " + r.scriptUrl());
            }
            return 0;
        }
    }
}
