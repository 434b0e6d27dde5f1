package io.bootdesk.ui.model;

import io.bootdesk.model.ClientArch;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.Machine;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A machine's firmware and boot client in words a technician reads at a glance. */
public final class Platforms {
    private static final Pattern IPXE_AGENT = Pattern.compile("iPXE/([0-9][0-9A-Za-z.]*)");

    private Platforms() {
    }

    /**
     * e.g. "BIOS", "UEFI x64", "UEFI x64 HTTP Boot", "iPXE 1.21.1 · UEFI x64", "unknown"; an iPXE that said whether
     * it has HTTPS (DHCP option 175, or an HTTPS request) reads "iPXE 1.21.1 (HTTPS) · UEFI x64" or
     * "iPXE 1.0.0 (no HTTPS) · BIOS".
     */
    public static String describe(Machine m) {
        ClientArch arch = m.arch() == null ? ClientArch.UNKNOWN : m.arch();
        String firmware = firmware(arch);
        String ipxe = ipxeVersion(m.userAgent());
        if (m.kind() == ClientKind.IPXE || ipxe != null) {
            String v = (ipxe == null ? "iPXE" : "iPXE " + ipxe)
                    + (m.ipxeHttps() == null ? "" : m.ipxeHttps() ? " (HTTPS)" : " (no HTTPS)");
            return arch == ClientArch.UNKNOWN ? v : v + " · " + firmware;
        }
        if (m.kind() == ClientKind.UEFI_HTTP || arch.httpBoot()) {
            return firmware(arch) + (firmware.endsWith("HTTP Boot") ? "" : " HTTP Boot");
        }
        if (m.kind() == ClientKind.OTHER && arch == ClientArch.UNKNOWN) {
            return m.userAgent() != null ? m.userAgent() : "unknown";
        }
        return firmware;
    }

    static String firmware(ClientArch arch) {
        return switch (arch) {
            case BIOS_X86 -> "BIOS";
            case EFI_IA32 -> "UEFI x86";
            case EFI_X64 -> "UEFI x64";
            case EFI_ARM32 -> "UEFI ARM";
            case EFI_ARM64 -> "UEFI ARM64";
            case EFI_IA32_HTTP -> "UEFI x86 HTTP Boot";
            case EFI_X64_HTTP -> "UEFI x64 HTTP Boot";
            case EFI_ARM64_HTTP -> "UEFI ARM64 HTTP Boot";
            case EFI_RISCV64 -> "UEFI RISC-V";
            case EFI_RISCV64_HTTP -> "UEFI RISC-V HTTP Boot";
            case UNKNOWN -> "unknown";
        };
    }

    /** "1.21.1" from a User-Agent such as "iPXE/1.21.1+ (g4bd064de)", else null. */
    static String ipxeVersion(String userAgent) {
        if (userAgent == null) {
            return null;
        }
        Matcher mt = IPXE_AGENT.matcher(userAgent);
        return mt.find() ? mt.group(1) : null;
    }
}
