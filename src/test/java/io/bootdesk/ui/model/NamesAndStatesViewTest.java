package io.bootdesk.ui.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.BootStage;
import io.bootdesk.model.CertificateInfo;
import io.bootdesk.model.CertificateKind;
import io.bootdesk.model.ClientArch;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.KeyDelivery;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import io.bootdesk.model.RevocationReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Names from the store, forgotten rows, "verified" certificates and iPXE's HTTPS in words, without a window. */
class NamesAndStatesViewTest {
    static final MacAddress A = MacAddress.parse("52:54:00:00:0a:01");
    static final MacAddress B = MacAddress.parse("52:54:00:00:0a:02");
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    static Machine machine(MacAddress mac, ClientArch arch, ClientKind kind, String agent, String name, Boolean https) {
        return new Machine(mac, "10.99.0.10", null, arch, kind, null, BootStage.SCRIPT, "", -1, agent, T0, T0, name, https);
    }

    static CertificateInfo cert(MacAddress mac, Instant notAfter, Instant revoked, Instant verified) {
        return new CertificateInfo("0A", CertificateKind.CLIENT, mac, "CN=lab-7", "ff00", "ab12", T0.minus(Duration.ofDays(2)),
                notAfter, T0.minus(Duration.ofDays(2)), revoked, revoked == null ? null : RevocationReason.KEY_COMPROMISE,
                KeyDelivery.BOOT_MEDIUM, T0.minus(Duration.ofDays(1)), verified);
    }

    @Test
    void ipxeSaysWhetherItHasHttpsWhenThatIsKnown() {
        assertThat(Platforms.describe(machine(A, ClientArch.EFI_X64, ClientKind.IPXE, "iPXE/1.21.1+ (g4bd064de)", null, true)))
                .isEqualTo("iPXE 1.21.1 (HTTPS) · UEFI x64");
        assertThat(Platforms.describe(machine(A, ClientArch.BIOS_X86, ClientKind.IPXE, "iPXE/1.0.0+", null, false)))
                .isEqualTo("iPXE 1.0.0 (no HTTPS) · BIOS");
        assertThat(Platforms.describe(machine(A, ClientArch.UNKNOWN, ClientKind.IPXE, "iPXE/1.21.1", null, true)))
                .isEqualTo("iPXE 1.21.1 (HTTPS)");
        assertThat(Platforms.describe(machine(A, ClientArch.UNKNOWN, ClientKind.IPXE, null, null, false)))
                .isEqualTo("iPXE (no HTTPS)");
        assertThat(Platforms.describe(machine(A, ClientArch.EFI_X64, ClientKind.IPXE, "iPXE/1.21.1", null, null)))
                .as("not known: nothing said").isEqualTo("iPXE 1.21.1 · UEFI x64");
        assertThat(Platforms.describe(machine(A, ClientArch.BIOS_X86, ClientKind.PXE, null, null, null))).isEqualTo("BIOS");
    }

    @Test
    void aPresentedAndVerifiedCertificateShowsAsVerified() {
        CertificateView v = CertificateView.of(cert(A, T0.plus(Duration.ofDays(300)), null, T0.minusSeconds(120)), T0);
        assertThat(v.state()).isEqualTo(CertificateView.State.VERIFIED);
        assertThat(v.label()).isEqualTo("verified");
        assertThat(v.tooltip()).contains("serial 0A").contains("presented and verified 2026-11-22 09:58 UTC");

        CertificateView never = CertificateView.of(cert(A, T0.plus(Duration.ofDays(300)), null, null), T0);
        assertThat(never.state()).isEqualTo(CertificateView.State.ISSUED);
        assertThat(never.tooltip()).doesNotContain("verified");

        CertificateView revoked = CertificateView.of(cert(A, T0.plus(Duration.ofDays(300)), T0.minusSeconds(60),
                T0.minusSeconds(120)), T0);
        assertThat(revoked.state()).as("revoked wins over verified").isEqualTo(CertificateView.State.REVOKED);

        CertificateView expiring = CertificateView.of(cert(A, T0.plus(Duration.ofDays(5)), null, T0.minusSeconds(120)), T0);
        assertThat(expiring.state()).isEqualTo(CertificateView.State.EXPIRING);
        assertThat(expiring.tooltip()).contains("presented and verified 2026-11-22 09:58 UTC");

        CertificateView expired = CertificateView.of(cert(A, T0.minusSeconds(10), null, T0.minus(Duration.ofDays(3))), T0);
        assertThat(expired.label()).isEqualTo("expired");
    }

    @Test
    void theTableTakesNamesFromTheRowsAndDropsForgottenMachines() {
        MachineTableModel t = new MachineTableModel();
        t.reset(List.of(machine(A, ClientArch.BIOS_X86, ClientKind.PXE, null, "rack 3", null),
                machine(B, ClientArch.BIOS_X86, ClientKind.PXE, null, null, null)), Map.of());
        assertThat(t.row(A).name()).isEqualTo("rack 3");
        assertThat(t.row(B).name()).isEmpty();

        // renamed here: shown at once, and kept by the next row (which carries the stored name)
        assertThat(t.rename(B, " spare ").name()).isEqualTo("spare");
        UpdateCoalescer c = new UpdateCoalescer();
        c.machine(machine(B, ClientArch.BIOS_X86, ClientKind.PXE, null, "spare", null));
        c.machine(machine(A, ClientArch.BIOS_X86, ClientKind.PXE, null, "rack 3", null));
        c.forgotten(A); // forgotten after its last row: the row goes
        UpdateCoalescer.Batch b = c.drain();
        assertThat(b.forgotten()).containsExactly(A);
        assertThat(b.machines()).extracting(Machine::mac).containsExactly(B);
        List<MachineView> changed = t.apply(b);
        assertThat(changed).extracting(MachineView::mac).containsExactly(B);
        assertThat(t.row(A)).isNull();
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.counts().seen()).isEqualTo(1);
        assertThat(t.counts().booting()).isEqualTo(1);
        assertThat(t.rename(A, "gone")).isNull();

        // forgotten, then seen again before the drain: a row again
        c.forgotten(B);
        c.machine(machine(B, ClientArch.BIOS_X86, ClientKind.PXE, null, null, null));
        UpdateCoalescer.Batch again = c.drain();
        assertThat(again.forgotten()).isEmpty();
        assertThat(t.apply(again)).extracting(MachineView::name).containsExactly("");
    }

    @Test
    void aNewCertificateSnapshotChangesOnlyTheRowsWhoseStateChanged() {
        MachineTableModel t = new MachineTableModel();
        t.reset(List.of(machine(A, ClientArch.BIOS_X86, ClientKind.PXE, null, null, null),
                machine(B, ClientArch.BIOS_X86, ClientKind.PXE, null, null, null)), Map.of());
        assertThat(t.row(A).certificate()).isEqualTo(CertificateView.NONE);
        CertificateView verified = CertificateView.of(cert(A, T0.plus(Duration.ofDays(300)), null, T0), T0);

        UpdateCoalescer c = new UpdateCoalescer();
        c.certificates(Map.of(A, verified));
        assertThat(c.pending()).isTrue();
        List<MachineView> changed = t.apply(c.drain());
        assertThat(changed).extracting(MachineView::mac).containsExactly(A);
        assertThat(t.row(A).certificate().state()).isEqualTo(CertificateView.State.VERIFIED);
        assertThat(t.row(B).certificate()).isEqualTo(CertificateView.NONE);
        assertThat(t.apply(new UpdateCoalescer.Batch(List.of(), List.of(), 0, null, Set.of(), Map.of(A, verified))))
                .as("the same states again: no row").isEmpty();
    }
}
