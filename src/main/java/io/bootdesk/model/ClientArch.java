package io.bootdesk.model;

/**
 * Client system architecture, DHCP option 93 (RFC 4578, IANA "Processor Architecture Types").
 * Code 9 is treated as x64 UEFI as well as 7: RFC 4578 listed them the other way round and some firmware still
 * sends 9 for x64.
 */
public enum ClientArch {
    BIOS_X86(0, Firmware.BIOS, "x86", false),
    EFI_IA32(6, Firmware.UEFI, "i386", false),
    EFI_X64(7, Firmware.UEFI, "x86_64", false),
    EFI_ARM32(0x0a, Firmware.UEFI, "arm32", false),
    EFI_ARM64(0x0b, Firmware.UEFI, "arm64", false),
    EFI_IA32_HTTP(0x0f, Firmware.UEFI, "i386", true),
    EFI_X64_HTTP(0x10, Firmware.UEFI, "x86_64", true),
    EFI_ARM64_HTTP(0x13, Firmware.UEFI, "arm64", true),
    EFI_RISCV64(0x1b, Firmware.UEFI, "riscv64", false),
    EFI_RISCV64_HTTP(0x1c, Firmware.UEFI, "riscv64", true),
    UNKNOWN(-1, Firmware.UNKNOWN, "unknown", false);

    private final int code;
    private final Firmware firmware;
    private final String cpu;
    private final boolean http;

    ClientArch(int code, Firmware firmware, String cpu, boolean http) {
        this.code = code;
        this.firmware = firmware;
        this.cpu = cpu;
        this.http = http;
    }

    public static ClientArch fromCode(int code) {
        if (code == 9) {
            return EFI_X64;
        }
        for (ClientArch a : values()) {
            if (a.code == code) {
                return a;
            }
        }
        return UNKNOWN;
    }

    public int code() {
        return code;
    }

    public Firmware firmware() {
        return firmware;
    }

    /** CPU family as iPXE's {@code ${buildarch}} names it (x86_64, i386, arm64, ...). */
    public String cpu() {
        return cpu;
    }

    /** One of the UEFI HTTP Boot codes (0x0f, 0x10, 0x13, ...). */
    public boolean httpBoot() {
        return http;
    }

    public String label() {
        return switch (this) {
            case BIOS_X86 -> "BIOS x86";
            case UNKNOWN -> "unknown";
            default -> "UEFI " + cpu + (http ? " HTTP" : "");
        };
    }
}
