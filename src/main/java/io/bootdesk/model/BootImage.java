package io.bootdesk.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A boot image in the image store. Files are names relative to the image's folder in the store
 * ({@code <data-dir>/images/<name>/}); the HTTP server serves them at {@code /images/<name>/<file>}.
 *
 * @param kernel  LINUX: the kernel file; EFI: the .efi file; SCRIPT: null
 * @param initrds LINUX: initrd files in load order; otherwise empty
 * @param cmdline LINUX: kernel command line (may be empty)
 * @param script  SCRIPT: the iPXE script template; otherwise null
 */
public record BootImage(String name, ImageKind kind, String kernel, List<String> initrds, String cmdline,
                        String script, Instant created) {

    public BootImage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        initrds = initrds == null ? List.of() : List.copyOf(initrds);
        cmdline = cmdline == null ? "" : cmdline;
        if (!validName(name)) {
            throw new IllegalArgumentException("image name '" + name
                    + "' must be 1-64 characters of letters, digits, '.', '_' or '-', not starting with '.'");
        }
    }

    public static boolean validName(String name) {
        return name != null && name.matches("[A-Za-z0-9_\\-][A-Za-z0-9_.\\-]{0,63}");
    }

    /** The files a client fetches to boot this image, in order. */
    public List<String> files() {
        return switch (kind) {
            case LINUX -> {
                var all = new java.util.ArrayList<String>();
                all.add(kernel);
                all.addAll(initrds);
                yield List.copyOf(all);
            }
            case EFI -> List.of(kernel);
            case SCRIPT -> List.of();
        };
    }
}
