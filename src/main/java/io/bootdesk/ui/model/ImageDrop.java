package io.bootdesk.ui.model;

import io.bootdesk.model.BootImage;
import io.bootdesk.model.ImageKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What files dropped on the image library (or picked in the dialog) make: a kernel with its initrds, an EFI
 * program, or an iPXE script; or a sentence saying why they make no image.
 *
 * @param problem "" when the files make an image
 */
public record ImageDrop(ImageKind kind, String name, Path main, List<Path> initrds, String problem) {

    public boolean ok() {
        return problem.isEmpty();
    }

    public static ImageDrop of(List<Path> files) {
        if (files.isEmpty()) {
            return failed("no files");
        }
        List<Path> efi = new ArrayList<>();
        List<Path> scripts = new ArrayList<>();
        List<Path> kernels = new ArrayList<>();
        List<Path> initrds = new ArrayList<>();
        List<Path> other = new ArrayList<>();
        for (Path f : files) {
            String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
            if (n.endsWith(".iso")) {
                return failed(f.getFileName() + ": ISO images are not supported yet. Drop the kernel and initrd"
                        + " from the ISO (e.g. casper/vmlinuz and casper/initrd, or install/vmlinuz and install/initrd.gz).");
            } else if (n.endsWith(".efi")) {
                efi.add(f);
            } else if (n.endsWith(".ipxe") || n.endsWith(".pxe.txt")) {
                scripts.add(f);
            } else if (n.startsWith("vmlinuz") || n.startsWith("bzimage") || n.startsWith("linux") || n.startsWith("kernel")
                    || n.startsWith("vmlinux")) {
                kernels.add(f);
            } else if (n.startsWith("initrd") || n.startsWith("initramfs") || n.endsWith(".cpio") || n.endsWith(".cpio.gz")
                    || n.endsWith(".img") || n.endsWith(".cpio.xz") || n.endsWith(".cpio.zst")) {
                initrds.add(f);
            } else {
                other.add(f);
            }
        }
        if (!efi.isEmpty() && files.size() == 1) {
            return new ImageDrop(ImageKind.EFI, nameOf(efi.get(0)), efi.get(0), List.of(), "");
        }
        if (!scripts.isEmpty() && files.size() == 1) {
            return new ImageDrop(ImageKind.SCRIPT, nameOf(scripts.get(0)), scripts.get(0), List.of(), "");
        }
        if (kernels.size() == 1 && efi.isEmpty() && scripts.isEmpty()) {
            if (!other.isEmpty()) {
                return failed("do not know what " + other.get(0).getFileName() + " is: drop a kernel (vmlinuz*) with"
                        + " its initrd files (initrd*, initramfs*, *.img, *.cpio*)");
            }
            initrds.sort(Comparator.comparing(p -> p.getFileName().toString()));
            Path k = kernels.get(0);
            Path parent = k.getParent();
            String name = parent != null && parent.getFileName() != null ? folderName(parent) : nameOf(k);
            return new ImageDrop(ImageKind.LINUX, name, k, List.copyOf(initrds), "");
        }
        if (kernels.size() > 1) {
            return failed("drop one kernel at a time (got " + kernels.size() + ")");
        }
        return failed("drop one .efi program, one .ipxe script, or a kernel (vmlinuz*) with its initrds");
    }

    private static ImageDrop failed(String why) {
        return new ImageDrop(null, "", null, List.of(), why);
    }

    /** A valid image name made from a file name without its extension (".efi", ".ipxe", ".pxe.txt"). */
    static String nameOf(Path p) {
        String n = p.getFileName().toString();
        String lower = n.toLowerCase(Locale.ROOT);
        for (String ext : new String[] {".pxe.txt", ".ipxe", ".efi"}) {
            if (lower.endsWith(ext)) {
                n = n.substring(0, n.length() - ext.length());
                break;
            }
        }
        return valid(n);
    }

    /** A valid image name made from a folder name (dots kept: "debian-12.7"). */
    static String folderName(Path p) {
        return valid(p.getFileName().toString());
    }

    private static String valid(String name) {
        String n = name.replaceAll("[^A-Za-z0-9_.\\-]", "-").replaceAll("^[.\\-]+", "");
        if (n.length() > 64) {
            n = n.substring(0, 64);
        }
        return BootImage.validName(n) ? n : "image";
    }
}
