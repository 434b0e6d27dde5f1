package io.bootdesk.engine.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.MacAddress;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoPrerequisitesTest {
    private static final Set<String> ALL_COMMANDS = Set.of("ip", "qemu-system-x86_64", "apt-get", "apt-cache",
            "dpkg-deb", "tar");
    private static final Set<Path> ALL_FILES = Set.of(DemoPrerequisites.SEABIOS, DemoPrerequisites.VIRTIO_ROM,
            DemoPrerequisites.UNDIONLY, DemoPrerequisites.OVMF_CODE, DemoPrerequisites.OVMF_VARS, DemoPrerequisites.TUN);
    private static final long NET_AND_SYS_ADMIN = (1L << 12) | (1L << 21);
    /** CapEff of root on a host (all 41 capabilities of Linux 6.1). */
    private static final long ROOT_CAPS = 0x1ffffffffffL;

    private static DemoPrerequisites.Facts facts(int java, boolean root, long capEff, long capAmb, Set<String> commands,
                                                 Set<Path> files, boolean busybox, Path kernel) {
        return new DemoPrerequisites.Facts("Linux", java, java >= 22,
                java >= 22 ? "" : "binding to one interface needs Java 22 or newer (java.lang.foreign); this is Java " + java,
                root, capEff, capAmb, commands, files, busybox, kernel);
    }

    @Test
    void everythingThereIsReady() {
        DemoPrerequisites p = DemoPrerequisites.check(facts(25, true, ROOT_CAPS, 0, ALL_COMMANDS, ALL_FILES, true,
                Path.of("/boot/vmlinuz-6.1.0-28-amd64")));
        assertThat(p.ready()).isTrue();
        assertThat(p.uefi()).isTrue();
        assertThat(p.packages()).isEmpty();
        assertThat(p.problem()).isEmpty();
        assertThat(p.message()).isEqualTo("""
                Ready: this machine can run the demo (a private network namespace, BootDesk serving it, a BIOS and a \
                UEFI QEMU machine on it).
                Demo image: the Linux kernel /boot/vmlinuz-6.1.0-28-amd64 with a tiny busybox initramfs.
                """);
    }

    @Test
    void nothingThereNamesEveryPieceAndOneAptLine() {
        DemoPrerequisites p = DemoPrerequisites.check(facts(21, false, 0, 0, Set.of(), Set.of(), false, null));
        assertThat(p.ready()).isFalse();
        assertThat(p.packages()).containsExactly("iproute2", "qemu-system-x86", "seabios", "ipxe-qemu", "ipxe",
                "busybox-static");
        assertThat(p.message()).isEqualTo("""
                The demo cannot start on this machine yet. Missing:
                  - a JDK 22 or newer: the demo moves its engine into the private namespace with setns(2) through \
                java.lang.foreign (binding to one interface needs Java 22 or newer (java.lang.foreign); this is Java \
                21); run BootDesk with Java 22+
                  - root privileges: creating a network namespace, a bridge and tap devices and entering the namespace \
                need CAP_SYS_ADMIN and CAP_NET_ADMIN (also for the ip and QEMU processes it starts): start BootDesk \
                with sudo
                  - the ip command: apt-get install iproute2
                  - QEMU (qemu-system-x86_64): apt-get install qemu-system-x86
                  - SeaBIOS (/usr/share/seabios/bios-256k.bin): apt-get install seabios
                  - Debian's iPXE ROMs for QEMU (/usr/lib/ipxe/qemu/efi-virtio.rom): apt-get install ipxe-qemu
                  - Debian's iPXE binaries (/usr/lib/ipxe/undionly.kpxe): apt-get install ipxe
                  - tap devices (/dev/net/tun): load the tun module: sudo modprobe tun
                  - a static busybox (/bin/busybox) for the demo image: apt-get install busybox-static
                Install the packages with:
                  sudo apt-get install --no-install-recommends iproute2 qemu-system-x86 seabios ipxe-qemu ipxe \
                busybox-static
                Optional: a second, UEFI machine (OVMF, /usr/share/OVMF/OVMF_CODE_4M.fd): apt-get install ovmf
                Demo image: no readable Linux kernel here (/boot/vmlinuz-*) and no apt-get/dpkg-deb to fetch one; the \
                machines will wait without an image to boot.
                """);
    }

    @Test
    void onlyQemuMissingGivesOnePackageAndOffersTheKernelDownload() {
        Set<Path> files = Set.of(DemoPrerequisites.SEABIOS, DemoPrerequisites.VIRTIO_ROM, DemoPrerequisites.UNDIONLY,
                DemoPrerequisites.TUN);
        DemoPrerequisites p = DemoPrerequisites.check(facts(22, true, ROOT_CAPS, 0,
                Set.of("ip", "apt-get", "apt-cache", "dpkg-deb", "tar"), files, true, null));
        assertThat(p.missing()).extracting(DemoPrerequisites.Missing::what).containsExactly("QEMU (qemu-system-x86_64)");
        assertThat(p.message()).contains("sudo apt-get install --no-install-recommends qemu-system-x86\n")
                .contains("Optional: a second, UEFI machine")
                .contains("the demo can download Debian's linux-image-cloud-amd64 (about 30 MB, apt-get download) if"
                        + " you allow it");
        assertThat(p.uefi()).isFalse();
        assertThat(p.canDownloadKernel()).isTrue();
    }

    @Test
    void capabilitiesInsteadOfRootMustAlsoBeAmbientForTheChildProcesses() {
        DemoPrerequisites both = DemoPrerequisites.check(facts(25, false, NET_AND_SYS_ADMIN, NET_AND_SYS_ADMIN,
                ALL_COMMANDS, ALL_FILES, true, null));
        assertThat(both.ready()).isTrue();
        DemoPrerequisites effectiveOnly = DemoPrerequisites.check(facts(25, false, NET_AND_SYS_ADMIN, 0,
                ALL_COMMANDS, ALL_FILES, true, null));
        assertThat(effectiveOnly.missing()).extracting(DemoPrerequisites.Missing::what).containsExactly("root privileges");
        assertThat(effectiveOnly.packages()).isEmpty();
        assertThat(effectiveOnly.message()).doesNotContain("apt-get install --no-install-recommends");
    }

    @Test
    void rootWithoutTheCapabilitiesIsAContainerThatCannotMakeNamespaces() {
        long withoutSysAdmin = ROOT_CAPS & ~(1L << 21);
        DemoPrerequisites p = DemoPrerequisites.check(facts(25, true, withoutSysAdmin, 0, ALL_COMMANDS, ALL_FILES,
                true, null));
        assertThat(p.missing()).extracting(DemoPrerequisites.Missing::what)
                .containsExactly("CAP_SYS_ADMIN and CAP_NET_ADMIN");
        assertThat(p.message()).contains("--cap-add SYS_ADMIN --cap-add NET_ADMIN");
    }

    @Test
    void notLinux() {
        DemoPrerequisites p = DemoPrerequisites.check(new DemoPrerequisites.Facts("Mac OS X", 25, false, "not Linux",
                false, 0, 0, Set.of(), Set.of(), false, null));
        assertThat(p.missing().get(0).fix()).isEqualTo("the demo uses Linux network namespaces; this is Mac OS X");
    }

    @Test
    void theInitramfsHoldsBusyboxAndAnInitThatPrintsTheMarker() throws IOException {
        byte[] gz = DemoImage.initramfs("not really busybox".getBytes(StandardCharsets.UTF_8));
        String cpio;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            cpio = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        assertThat(cpio).startsWith("070701").contains("bin/busybox\0").contains("dev/ttyS0\0").contains("init\0")
                .contains("not really busybox").contains(DemoImage.MARKER + " mac=${m:-none}").endsWith("\0")
                .contains("TRAILER!!!");
        assertThat(cpio.length() % 4).isZero();
    }

    @Test
    void onlyAStaticElfCountsAsBusyboxStatic(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("busybox");
        Files.writeString(script, "#!/bin/sh\n");
        assertThat(DemoImage.isStaticElf(script)).isFalse();
        // a 64-bit ELF header with one PT_INTERP program header: dynamically linked
        byte[] elf = new byte[64 + 56];
        elf[0] = 0x7f;
        elf[1] = 'E';
        elf[2] = 'L';
        elf[3] = 'F';
        elf[4] = 2;
        elf[5] = 1;
        elf[0x20] = 64; // e_phoff
        elf[0x36] = 56; // e_phentsize
        elf[0x38] = 1; // e_phnum
        elf[64] = 3; // p_type PT_INTERP
        Files.write(script, elf);
        assertThat(DemoImage.isStaticElf(script)).isFalse();
        elf[64] = 1; // PT_LOAD
        Files.write(script, elf);
        assertThat(DemoImage.isStaticElf(script)).isTrue();
    }

    @Test
    void qemuBootsFromTheNetworkOnItsTapWithTheSerialConsoleInALog(@TempDir Path dir) throws IOException {
        List<String> c = DemoMachine.command("tap0", MacAddress.parse("52:54:00:de:01:02"), DemoMachine.Firmware.BIOS, dir);
        assertThat(String.join(" ", c)).contains("-netdev tap,id=n0,ifname=tap0,script=no,downscript=no")
                .contains("virtio-net-pci,netdev=n0,mac=52:54:00:de:01:02,bootindex=1")
                .contains("-serial file:" + dir.resolve("serial.log"))
                .contains("-accel tcg").contains("-boot n").doesNotContain("-drive");
        assertThat(Files.readAllBytes(dir.resolve("sercon-port"))).containsExactly(0xf8, 0x03);
    }
}
