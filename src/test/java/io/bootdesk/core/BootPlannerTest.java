package io.bootdesk.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bootdesk.model.Assignment;
import io.bootdesk.model.ClientArch;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.MacAddress;
import io.bootdesk.store.AssignmentStore;
import io.bootdesk.testing.CoreFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootPlannerTest {
    static final MacAddress MAC = MacAddress.parse("52-54-00-00-00-07");

    @TempDir
    Path tmp;
    CoreFixture core;

    @BeforeEach
    void setUp() throws Exception {
        core = new CoreFixture(tmp, "10.99.0.1", 80);
        Files.write(core.ipxeDir.resolve("undionly.kpxe"), new byte[] {1});
        Files.write(core.ipxeDir.resolve("snponly.efi"), new byte[] {1});
    }

    @AfterEach
    void tearDown() {
        core.close();
    }

    private BootPlan dhcp(ClientKind kind, ClientArch arch) {
        return core.planner.plan(new BootRequest(MAC, null, arch, kind, null, false, BootRequest.Step.DHCP));
    }

    private void assign(String image, boolean once) {
        new AssignmentStore(core.db).put(new Assignment(MAC, image, once, Instant.now()));
        core.catalog.refresh();
    }

    @Test
    void ipxeGetsItsScriptUrlNeverIpxeAgain() {
        for (ClientArch arch : List.of(ClientArch.BIOS_X86, ClientArch.EFI_X64, ClientArch.EFI_ARM64)) {
            BootPlan p = dhcp(ClientKind.IPXE, arch);
            assertThat(p).isInstanceOf(BootPlan.ScriptUrl.class);
            assertThat(((BootPlan.ScriptUrl) p).url()).isEqualTo("http://10.99.0.1/boot/52-54-00-00-00-07.ipxe");
        }
    }

    @Test
    void pxeFirmwareGetsTheIpxeBuildForItsArchitecture() {
        assertThat(dhcp(ClientKind.PXE, ClientArch.BIOS_X86)).isEqualTo(
                new BootPlan.TftpLoader("undionly.kpxe", false, "PXE, BIOS x86: iPXE (undionly.kpxe) by TFTP"));
        assertThat(((BootPlan.TftpLoader) dhcp(ClientKind.PXE, ClientArch.fromCode(7))).file()).isEqualTo("snponly.efi");
        assertThat(((BootPlan.TftpLoader) dhcp(ClientKind.PXE, ClientArch.fromCode(9))).file()).isEqualTo("snponly.efi");
    }

    @Test
    void aMissingLoaderIsExplained() {
        BootPlan p = dhcp(ClientKind.PXE, ClientArch.EFI_ARM64);
        assertThat(p).isInstanceOf(BootPlan.Nothing.class);
        assertThat(p.why()).contains("no iPXE binary for UEFI arm64").contains("ipxe-arm64.efi").contains(core.ipxeDir.toString());
    }

    @Test
    void uefiHttpBootGetsIpxeOverHttpOrTheAssignedEfiImageDirectly() throws Exception {
        BootPlan p = dhcp(ClientKind.UEFI_HTTP, ClientArch.EFI_X64_HTTP);
        assertThat(((BootPlan.HttpEfi) p).url()).isEqualTo("http://10.99.0.1/ipxe/snponly.efi");
        core.images.addEfi("uki", Files.write(tmp.resolve("linux.efi"), new byte[] {'M', 'Z'}));
        assign("uki", false);
        BootPlan direct = dhcp(ClientKind.UEFI_HTTP, ClientArch.EFI_X64_HTTP);
        assertThat(((BootPlan.HttpEfi) direct).url()).isEqualTo("http://10.99.0.1/images/uki/linux.efi?mac=52-54-00-00-00-07");
        assertThat(((BootPlan.HttpEfi) direct).image().name()).isEqualTo("uki");
    }

    @Test
    void notNetworkBootingGetsNoBootInformation() {
        assertThat(dhcp(ClientKind.OTHER, ClientArch.UNKNOWN)).isInstanceOf(BootPlan.Nothing.class);
    }

    @Test
    void scriptBootsTheAssignedImageWithRenderedCommandLine() throws Exception {
        Path k = Files.write(tmp.resolve("vmlinuz"), new byte[] {1});
        Path i1 = Files.write(tmp.resolve("initrd.img"), new byte[] {2});
        Path i2 = Files.write(tmp.resolve("extra.cpio"), new byte[] {3});
        core.images.addLinux("deb", k, List.of(i1, i2), "console=ttyS0 url={{ files }}/x mac={{ mac }} ip=${ip}");
        assign("deb", true);
        BootPlan p = core.planner.plan(BootRequest.script(MAC, BootRequest.Step.SCRIPT));
        assertThat(p).isInstanceOf(BootPlan.Script.class);
        String s = ((BootPlan.Script) p).text();
        assertThat(s).startsWith("#!ipxe\n")
                .contains("kernel http://10.99.0.1/images/deb/vmlinuz?mac=52-54-00-00-00-07 initrd=initrd.img initrd=extra.cpio"
                        + " console=ttyS0 url=http://10.99.0.1/images/deb/x mac=52:54:00:00:00:07 ip=${ip} || goto failed")
                .contains("initrd http://10.99.0.1/images/deb/initrd.img?mac=52-54-00-00-00-07 || goto failed")
                .contains("initrd http://10.99.0.1/images/deb/extra.cpio?mac=52-54-00-00-00-07 || goto failed")
                .contains("boot || goto failed");
        assertThat(p.why()).isEqualTo("one-time assignment: linux image deb");
    }

    @Test
    void unassignedGetsTheWaitingScriptAndPollsGetAnEmptyOne() {
        BootPlan first = core.planner.plan(BootRequest.script(MAC, BootRequest.Step.SCRIPT));
        assertThat(((BootPlan.Wait) first).text()).contains("chain --autofree http://10.99.0.1/boot/52-54-00-00-00-07.ipxe?poll=1");
        BootPlan poll = core.planner.plan(BootRequest.script(MAC, BootRequest.Step.POLL));
        assertThat(((BootPlan.Wait) poll).text()).isEqualTo("#!ipxe\n");
    }

    @Test
    void scriptImagesAreTemplates() throws Exception {
        Path f = Files.writeString(tmp.resolve("s.ipxe"), "#!ipxe\necho {{ image }} for {{mac_hyphen}} from {{ server }}\n");
        core.images.addScript("custom", f);
        assign("custom", false);
        BootPlan p = core.planner.plan(BootRequest.script(MAC, BootRequest.Step.SCRIPT));
        assertThat(((BootPlan.Script) p).text()).isEqualTo("#!ipxe\necho custom for 52-54-00-00-00-07 from http://10.99.0.1\n");
    }

    @Test
    void unknownPlaceholdersAreErrorsNotEmptyStrings() {
        assertThatThrownBy(() -> Templates.render("a {{ nope }} b", java.util.Map.of("x", "y")))
                .hasMessageContaining("unknown placeholder {{ nope }}");
        assertThat(Templates.render("${mac} {{x}}", java.util.Map.of("x", "y"))).isEqualTo("${mac} y");
    }
}
