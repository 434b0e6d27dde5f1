package io.bootdesk.cli;

import io.bootdesk.engine.demo.DemoImage;
import io.bootdesk.engine.demo.DemoLab;
import io.bootdesk.engine.demo.DemoMachine;
import io.bootdesk.engine.demo.DemoPrerequisites;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bootdesk demo}: the console's Demo sandbox without a window (the CLI commands work on its data dir). */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Try BootDesk without a real network: a private network namespace, a BootDesk engine serving it"
                + " and QEMU machines booting from it, until Ctrl-C (then everything is removed).",
                "Needs root, Java 22+, iproute2, qemu-system-x86, seabios, ipxe-qemu, ipxe, busybox-static (ovmf for a"
                        + " UEFI machine); --check says what is missing."})
final class DemoCommand implements Callable<Integer> {
    static final String READY_LINE = "BootDesk demo is running";

    @Option(names = "--check", description = "Only say whether this machine can run the demo and what to install.")
    boolean check;

    @Option(names = "--machines", paramLabel = "1|2", defaultValue = "2",
            description = "QEMU machines: 1 (BIOS) or 2 (BIOS and UEFI, with OVMF). Default: ${DEFAULT-VALUE}.")
    int machines;

    @Option(names = "--kernel", paramLabel = "FILE",
            description = "Kernel of the demo image (default: a readable /boot/vmlinuz-* or one downloaded before).")
    Path kernel;

    @Option(names = "--download-kernel",
            description = "Without a readable kernel: download Debian's " + DemoImage.KERNEL_META
                    + " (about 30 MB, apt-get download) for the demo image.")
    boolean download;

    @Option(names = "--keep", paramLabel = "DIR",
            description = "Keep the demo's data dir and machine logs in DIR (default: a temporary folder, removed).")
    Path keep;

    @Override
    public Integer call() throws Exception {
        if (kernel != null) {
            System.setProperty("bootdesk.demo.kernel", kernel.toAbsolutePath().toString()); // what the check reports
        }
        DemoPrerequisites pre = DemoPrerequisites.check();
        System.out.print(pre.message());
        if (check || !pre.ready()) {
            return pre.ready() ? 0 : 1;
        }
        DemoLab.Options o = DemoLab.Options.defaults().withMachines(machines).withKernel(kernel)
                .withDownloadKernel(download);
        if (keep != null) {
            o = o.keepingFiles(keep);
        }
        DemoLab lab = DemoLab.start(o, System.out::println);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            lab.close();
            if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
                ctx.stop();
            }
            stopped.countDown();
        }, "bootdesk-demo-shutdown"));
        String data = lab.dataDir().toString();
        System.out.println("Machines (serial consoles in their logs):");
        for (DemoMachine m : lab.machines()) {
            System.out.println("  " + m.name() + "  " + m.mac() + "  " + m.firmware() + "  QEMU pid " + m.pid()
                    + "  tail -f " + m.serialLog());
        }
        System.out.println("Watch and assign with the CLI on the demo's data dir:");
        System.out.println("  bootdesk --data-dir " + data + " machines");
        if (lab.hasImage() && !lab.machines().isEmpty()) {
            System.out.println("  bootdesk --data-dir " + data + " assign " + lab.machines().get(0).mac() + " "
                    + DemoImage.NAME);
        }
        System.out.println(READY_LINE + " in namespace " + lab.namespace() + " (" + lab.net(0)
                + "/24). Stop with Ctrl-C.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
