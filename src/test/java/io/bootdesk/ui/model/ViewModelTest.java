package io.bootdesk.ui.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.Assignment;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.BootStage;
import io.bootdesk.model.ClientArch;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.EventType;
import io.bootdesk.model.ImageKind;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The table's view models without a window. */
class ViewModelTest {
    static final MacAddress A = MacAddress.parse("52:54:00:00:00:01");
    static final MacAddress B = MacAddress.parse("52:54:00:00:00:02");
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    static Machine machine(MacAddress mac, ClientArch arch, ClientKind kind, BootStage stage, String detail,
                           double progress, String agent) {
        return new Machine(mac, "10.99.0.10", "PXEClient:Arch:00007:UNDI:003016", arch, kind, null, stage, detail,
                progress, agent, T0, T0, null, null);
    }

    @Test
    void firmwareIsDescribedInWords() {
        assertThat(Platforms.describe(machine(A, ClientArch.BIOS_X86, ClientKind.PXE, BootStage.DISCOVERED, "", -1, null)))
                .isEqualTo("BIOS");
        assertThat(Platforms.describe(machine(A, ClientArch.EFI_X64, ClientKind.PXE, BootStage.DISCOVERED, "", -1, null)))
                .isEqualTo("UEFI x64");
        assertThat(Platforms.describe(machine(A, ClientArch.EFI_X64_HTTP, ClientKind.UEFI_HTTP, BootStage.DISCOVERED, "", -1, null)))
                .isEqualTo("UEFI x64 HTTP Boot");
        assertThat(Platforms.describe(machine(A, ClientArch.EFI_X64, ClientKind.IPXE, BootStage.SCRIPT, "", -1,
                "iPXE/1.21.1+ (g4bd064de)"))).isEqualTo("iPXE 1.21.1 · UEFI x64");
        assertThat(Platforms.describe(machine(A, ClientArch.UNKNOWN, ClientKind.IPXE, BootStage.SCRIPT, "", -1, null)))
                .isEqualTo("iPXE");
    }

    @Test
    void aDownloadShowsBytesAndRateAndTheAssignmentMarksOneShot() {
        TransferMeter meter = new TransferMeter();
        meter.accept(new BootEvent(T0, A, "10.99.0.10", EventType.HTTP_FILE_START, "sending vmlinuz of image deb, 14.0 MB", 0));
        meter.accept(new BootEvent(T0.plusSeconds(2), A, "10.99.0.10", EventType.HTTP_FILE_PROGRESS, "vmlinuz 50 %", 7_000_000));
        assertThat(meter.rate(A)).isEqualTo(3_500_000.0);
        Machine m = machine(A, ClientArch.EFI_X64, ClientKind.IPXE, BootStage.DOWNLOADING, "vmlinuz 7.0 MB of 14.0 MB", 0.5, null);
        MachineView v = MachineView.of(m, "rack 3", new Assignment(A, "deb", true, T0), CertificateView.NONE, meter.rate(A));
        assertThat(v.progress()).isEqualTo(0.5);
        assertThat(v.transfer()).isEqualTo("7.0 of 14.0 MB · 3.5 MB/s");
        assertThat(v.imageText()).isEqualTo("deb (once)");
        assertThat(v.certificate().label()).isEqualTo("none");
        MachineView idle = MachineView.of(machine(B, ClientArch.BIOS_X86, ClientKind.PXE, BootStage.WAITING, "waiting", -1, null),
                null, null, CertificateView.NONE, 0);
        assertThat(idle.progress()).isEqualTo(-1);
        assertThat(idle.transfer()).isEmpty();
        assertThat(idle.imageText()).isEqualTo("—");
        meter.accept(new BootEvent(T0.plusSeconds(3), A, null, EventType.BOOTED, "booted deb", 0));
        assertThat(meter.rate(A)).isZero();
    }

    @Test
    void theFilterNeedsEveryWordSomewhere() {
        MachineView v = MachineView.of(machine(A, ClientArch.EFI_X64, ClientKind.PXE, BootStage.WAITING, "", -1, null),
                "Rack-3 left", new Assignment(A, "debian-12", false, T0), CertificateView.NONE, 0);
        assertThat(new MachineFilter("").test(v)).isTrue();
        assertThat(new MachineFilter("52-54-00-00-00-01").test(v)).isTrue();
        assertThat(new MachineFilter("RACK-3 uefi").test(v)).isTrue();
        assertThat(new MachineFilter("waiting debian").test(v)).isTrue();
        assertThat(new MachineFilter("10.99.0.10 bios").test(v)).isFalse();
        assertThat(new MachineFilter("booted").test(v)).isFalse();
    }

    @Test
    void theCoalescerKeepsTheNewestRowPerMachineAndCapsEvents() {
        UpdateCoalescer c = new UpdateCoalescer();
        assertThat(c.pending()).isFalse();
        for (int i = 0; i < 100; i++) {
            c.machine(machine(A, ClientArch.BIOS_X86, ClientKind.PXE, BootStage.DOWNLOADING, "step " + i, i / 100.0, null));
        }
        c.machine(machine(B, ClientArch.BIOS_X86, ClientKind.PXE, BootStage.WAITING, "", -1, null));
        for (int i = 0; i < UpdateCoalescer.MAX_EVENTS + 5; i++) {
            c.event(BootEvent.of(A, null, EventType.NOTICE, "e" + i));
        }
        c.assignments(Map.of(A, new Assignment(A, "x", false, T0)));
        c.assignments(Map.of());
        UpdateCoalescer.Batch b = c.drain();
        assertThat(b.machines()).hasSize(2);
        assertThat(b.machines()).filteredOn(m -> m.mac().equals(A)).singleElement()
                .extracting(Machine::detail).isEqualTo("step 99");
        assertThat(b.events()).hasSize(UpdateCoalescer.MAX_EVENTS);
        assertThat(b.droppedEvents()).isEqualTo(5);
        assertThat(b.assignments()).isEmpty();
        assertThat(c.pending()).isFalse();
        assertThat(c.drain().isEmpty()).isTrue();
    }

    @Test
    void theCoalescerNeverBlocksProducersWhileTheUiDrains() throws Exception {
        UpdateCoalescer c = new UpdateCoalescer();
        int producers = 4;
        int perProducer = 50_000;
        Thread[] ts = new Thread[producers];
        for (int p = 0; p < producers; p++) {
            int id = p;
            ts[p] = new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    MacAddress mac = new MacAddress(0x525400000000L + id * 1000 + i % 1000);
                    c.machine(machine(mac, ClientArch.BIOS_X86, ClientKind.PXE, BootStage.DOWNLOADING, "", 0.1, null));
                    c.event(BootEvent.of(mac, null, EventType.HTTP_FILE_PROGRESS, "p"));
                }
            });
            ts[p].start();
        }
        java.util.Set<MacAddress> seen = new java.util.HashSet<>();
        long events = 0;
        long dropped = 0;
        while (java.util.Arrays.stream(ts).anyMatch(Thread::isAlive) || c.pending()) {
            UpdateCoalescer.Batch b = c.drain();
            b.machines().forEach(m -> seen.add(m.mac()));
            events += b.events().size();
            dropped += b.droppedEvents();
            Thread.sleep(5);
        }
        assertThat(seen).hasSize(producers * 1000);
        assertThat(events + dropped).isEqualTo((long) producers * perProducer);
    }

    @Test
    void theTableModelCountsStagesAndReportsOnlyChangedRows() {
        MachineTableModel t = new MachineTableModel();
        t.reset(List.of(machine(A, ClientArch.BIOS_X86, ClientKind.PXE, BootStage.WAITING, "", -1, null),
                machine(B, ClientArch.EFI_X64, ClientKind.PXE, BootStage.DOWNLOADING, "", 0.2, null)), Map.of());
        assertThat(t.counts()).isEqualTo(new MachineTableModel.Counts(2, 1, 1, 0, 0));
        List<MachineView> changed = t.apply(new UpdateCoalescer.Batch(
                List.of(machine(B, ClientArch.EFI_X64, ClientKind.PXE, BootStage.BOOTED, "", -1, null)), List.of(), 0,
                Map.of(A, new Assignment(A, "deb", false, T0))));
        assertThat(changed).extracting(MachineView::mac).containsExactlyInAnyOrder(A, B);
        assertThat(t.row(A).image()).isEqualTo("deb");
        assertThat(t.counts()).isEqualTo(new MachineTableModel.Counts(2, 0, 1, 1, 0));
        // an unchanged assignment snapshot changes no row
        assertThat(t.apply(new UpdateCoalescer.Batch(List.of(), List.of(), 0, Map.of(A, new Assignment(A, "deb", false, T0)))))
                .isEmpty();
        assertThat(t.assume(java.util.Collections.singletonMap(A, null))).extracting(MachineView::image).containsExactly("");
        assertThat(t.rename(B, " rack 2 ").name()).isEqualTo("rack 2");
    }

    @Test
    void theTimelineShowsTheLatestBootWithTheEnginesReasons() {
        List<BootEvent> ev = List.of(
                new BootEvent(T0, A, null, EventType.DHCP_OFFER, "DISCOVER from PXE (BIOS x86): offered 10.99.0.10; old boot", 0),
                new BootEvent(T0.plusSeconds(5), A, null, EventType.BOOTED, "booted old", 0),
                new BootEvent(T0.plusSeconds(60), A, null, EventType.DHCP_OFFER,
                        "DISCOVER from PXE (BIOS x86, PXEClient): offered 10.99.0.10; PXE, BIOS x86: iPXE (undionly.kpxe) by TFTP", 0),
                new BootEvent(T0.plusSeconds(61), A, null, EventType.DHCP_ACK, "REQUEST: acknowledged", 0),
                new BootEvent(T0.plusSeconds(62), A, null, EventType.TFTP_START, "sending undionly.kpxe (70000 bytes, octet)", 0),
                new BootEvent(T0.plusSeconds(63), A, null, EventType.TFTP_DONE, "sent undionly.kpxe", 70000),
                new BootEvent(T0.plusMillis(64_500), A, null, EventType.HTTP_SCRIPT, "script served: assigned: linux image deb", 0),
                new BootEvent(T0.plusSeconds(65), A, null, EventType.HTTP_FILE_START, "sending vmlinuz of image deb, 14.0 MB", 0),
                new BootEvent(T0.plusSeconds(66), A, null, EventType.HTTP_FILE_PROGRESS, "vmlinuz 50 %", 7_000_000),
                new BootEvent(T0.plusSeconds(67), A, null, EventType.HTTP_FAILED, "vmlinuz: transfer broken off (reset)", 0));
        List<BootTimeline.Step> steps = BootTimeline.latestBoot(ev);
        assertThat(steps).extracting(BootTimeline.Step::title).containsExactly("DHCP offer", "DHCP address",
                "TFTP undionly.kpxe", "TFTP done", "script", "HTTP vmlinuz", "HTTP failed");
        assertThat(steps.get(0).why()).endsWith("iPXE (undionly.kpxe) by TFTP");
        assertThat(steps.get(0).offsetText()).isEqualTo("+0.00 s");
        assertThat(steps.get(4).offsetText()).isEqualTo("+4.50 s");
        assertThat(steps.get(4).why()).isEqualTo("script served: assigned: linux image deb");
        assertThat(steps.get(6).status()).isEqualTo(BootTimeline.Status.FAILED);
        // iPXE's own DHCP in the same boot does not start a new one
        assertThat(BootTimeline.latestBoot(ev.subList(2, 6))).hasSize(4);
        assertThat(BootTimeline.latestBoot(List.of())).isEmpty();
        assertThat(Duration.ofMinutes(5)).isEqualTo(BootTimeline.NEW_BOOT_GAP);
    }

    @Test
    void secretsInScriptsAreMasked() {
        String s = "#!ipxe\nset password hunter2\nset keymap de\nset privkey-pw abc\n"
                + "kernel http://x/vmlinuz rootpw=s3cret token=abc quiet\nset cert http://x/c.pem\n";
        String m = ScriptMask.mask(s);
        assertThat(m).doesNotContain("hunter2", "s3cret", "token=abc", "privkey-pw abc")
                .contains("set keymap de", "set cert http://x/c.pem", "quiet", "set password " + ScriptMask.MASK,
                        "rootpw=" + ScriptMask.MASK);
    }

    @Test
    void droppedFilesMakeTheRightImage() {
        ImageDrop linux = ImageDrop.of(List.of(Path.of("/srv/debian-12/initrd.gz"), Path.of("/srv/debian-12/vmlinuz")));
        assertThat(linux.ok()).isTrue();
        assertThat(linux.kind()).isEqualTo(ImageKind.LINUX);
        assertThat(linux.name()).isEqualTo("debian-12");
        assertThat(linux.main()).isEqualTo(Path.of("/srv/debian-12/vmlinuz"));
        assertThat(linux.initrds()).containsExactly(Path.of("/srv/debian-12/initrd.gz"));
        ImageDrop efi = ImageDrop.of(List.of(Path.of("/tmp/fedora uki.efi")));
        assertThat(efi.kind()).isEqualTo(ImageKind.EFI);
        assertThat(efi.name()).isEqualTo("fedora-uki");
        assertThat(ImageDrop.of(List.of(Path.of("/tmp/menu.ipxe"))).kind()).isEqualTo(ImageKind.SCRIPT);
        assertThat(ImageDrop.of(List.of(Path.of("/srv/alpine-3.20/vmlinuz-lts"))).name()).isEqualTo("alpine-3.20");
        assertThat(ImageDrop.of(List.of(Path.of("/tmp/debian.iso"))).problem()).contains("ISO images are not supported yet");
        assertThat(ImageDrop.of(List.of(Path.of("/tmp/vmlinuz"), Path.of("/tmp/notes.txt"))).problem())
                .contains("do not know what notes.txt is");
        assertThat(ImageDrop.of(List.of()).ok()).isFalse();
    }

    @Test
    void sizesAndAgesReadNaturally() {
        assertThat(Sizes.bytes(999)).isEqualTo("999 B");
        assertThat(Sizes.bytes(14_200_000)).isEqualTo("14.2 MB");
        assertThat(Sizes.bytes(2_500_000_000L)).isEqualTo("2.50 GB");
        assertThat(Sizes.rate(11_000_000)).isEqualTo("11.0 MB/s");
        assertThat(Sizes.age(T0, T0.plusSeconds(1))).isEqualTo("just now");
        assertThat(Sizes.age(T0, T0.plusSeconds(130))).isEqualTo("2 min ago");
    }

    @Test
    void theCertificateColumnShowsEachMachinesNewestClientCertificate() {
        Instant now = T0;
        io.bootdesk.model.CertificateInfo old = cert("0A", A, now.minus(Duration.ofDays(400)), now.plus(Duration.ofDays(400)), null);
        io.bootdesk.model.CertificateInfo newer = cert("0B", A, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(10)), null);
        io.bootdesk.model.CertificateInfo revoked = cert("0C", B, now.minus(Duration.ofDays(5)), now.plus(Duration.ofDays(800)),
                now.minus(Duration.ofDays(1)));
        Map<MacAddress, CertificateView> m = CertificateView.byMachine(List.of(old, newer, revoked), now);
        assertThat(m.get(A).state()).isEqualTo(CertificateView.State.EXPIRING);
        assertThat(m.get(A).label()).isEqualTo("expires in 10 d");
        assertThat(m.get(A).tooltip()).contains("serial 0B", "SHA-256 ab12", "valid until 2026-12-02");
        assertThat(m.get(B).state()).isEqualTo(CertificateView.State.REVOKED);
        assertThat(m.get(B).tooltip()).contains("revoked 2026-11-21 (key compromise)");
        assertThat(CertificateView.byMachine(List.of(cert("0D", A, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(300)),
                null)), now).get(A)).extracting(CertificateView::state, CertificateView::label)
                .containsExactly(CertificateView.State.ISSUED, "issued");
    }

    static io.bootdesk.model.CertificateInfo cert(String serial, MacAddress mac, Instant from, Instant to, Instant revoked) {
        return new io.bootdesk.model.CertificateInfo(serial, io.bootdesk.model.CertificateKind.CLIENT, mac, "CN=" + mac,
                "ff00", "ab12" + serial, from, to, from, revoked, revoked == null ? null : io.bootdesk.model.RevocationReason.KEY_COMPROMISE,
                io.bootdesk.model.KeyDelivery.values()[0], null);
    }

    @Test
    void theShownScriptKeepsItsShebangFirstAndThePlannersReasonUnderIt() {
        assertThat(ConsoleSession.withWhy("assigned: linux image debian-12", "#!ipxe\nkernel k\nboot\n"))
                .isEqualTo("#!ipxe\n# assigned: linux image debian-12\nkernel k\nboot\n");
        assertThat(ConsoleSession.withWhy("no script", "")).isEqualTo("# no script\n");
    }
}
