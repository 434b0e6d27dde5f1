package io.bootdesk.core;

import io.bootdesk.model.ClientArch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The iPXE binaries BootDesk hands to firmware, found in the configured iPXE directory (Debian: /usr/lib/ipxe) or
 * the TFTP root. For UEFI the SNP-only build is preferred: it drives the NIC through the firmware's own driver,
 * which works on every NIC the firmware can boot from.
 */
public final class Loaders {

    private final List<Path> dirs;
    private final Path ipxeDir;

    public Loaders(Path ipxeDir, Path tftpRoot) {
        List<Path> d = new ArrayList<>();
        if (tftpRoot != null) {
            d.add(tftpRoot);
        }
        if (ipxeDir != null) {
            d.add(ipxeDir);
        }
        this.dirs = List.copyOf(d);
        this.ipxeDir = ipxeDir;
    }

    /** Candidate file names for an architecture, best first. */
    public static List<String> candidates(ClientArch arch) {
        return switch (arch) {
            case BIOS_X86 -> List.of("undionly.kpxe", "undionly.kkpxe", "ipxe.pxe");
            // the last two: Fedora's names (ipxe-bootimgs-x86, /usr/share/ipxe)
            case EFI_X64, EFI_X64_HTTP -> List.of("snponly.efi", "ipxe.efi", "ipxe-amd64.efi", "snponly-x86_64.efi",
                    "ipxe-snponly-x86_64.efi", "ipxe-x86_64.efi");
            case EFI_IA32, EFI_IA32_HTTP -> List.of("snponly-i386.efi", "ipxe-i386.efi");
            case EFI_ARM64, EFI_ARM64_HTTP -> List.of("snponly-arm64.efi", "ipxe-arm64.efi");
            case EFI_RISCV64, EFI_RISCV64_HTTP -> List.of("ipxe-riscv64.efi");
            default -> List.of();
        };
    }

    /** The first candidate that exists, as a file name (the TFTP and /ipxe/ HTTP name). */
    public Optional<String> find(ClientArch arch) {
        for (String name : candidates(arch)) {
            if (resolve(name).isPresent()) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /** A loader file by name, from the TFTP root first, then the iPXE directory; only plain names. */
    public Optional<Path> resolve(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            return Optional.empty();
        }
        return resolvePath(name);
    }

    /**
     * A file by relative path, from the TFTP root first, then the iPXE directory: {@code pxelinux.cfg/default},
     * also with one leading {@code /} as many PXE ROMs send it (taken as relative to the root). Refused (empty):
     * {@code ..} segments and hidden segments ({@code .name}, as {@link #resolve} refuses them), absolute paths
     * after stripping that one slash, backslashes, NUL, and anything whose real path (symlinks followed) lies
     * outside the root it was found in; such a root is skipped and the next one is tried. The answer is the
     * file's real path, so what is opened is what was checked.
     */
    public Optional<Path> resolvePath(String requested) {
        if (requested == null || requested.indexOf('\0') >= 0 || requested.indexOf('\\') >= 0) {
            return Optional.empty();
        }
        String rel = requested.startsWith("/") ? requested.substring(1) : requested;
        if (rel.isEmpty() || rel.startsWith("/")) {
            return Optional.empty();
        }
        for (String segment : rel.split("/", -1)) {
            if (segment.equals("..") || segment.length() > 1 && segment.startsWith(".")) {
                return Optional.empty();
            }
        }
        for (Path dir : dirs) {
            try {
                Path root = dir.toRealPath();
                Path candidate = root.resolve(rel).normalize();
                if (candidate.isAbsolute() && candidate.startsWith(root) && !candidate.equals(root)
                        && Files.isRegularFile(candidate)) {
                    Path real = candidate.toRealPath();
                    // The iPXE directory is a distribution's package folder, where links are normal (Debian:
                    // /usr/lib/ipxe/ipxe.efi -> /boot/ipxe.efi); in the operator's TFTP root a link must stay inside.
                    if ((real.startsWith(root) || dir.equals(ipxeDir)) && Files.isRegularFile(real)) {
                        return Optional.of(real);
                    }
                }
            } catch (IOException | InvalidPathException | SecurityException e) {
                // a missing root, an unreadable link or a name the file system cannot hold: not here
            }
        }
        return Optional.empty();
    }

    public List<Path> dirs() {
        return dirs;
    }
}
