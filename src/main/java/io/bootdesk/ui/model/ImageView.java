package io.bootdesk.ui.model;

import io.bootdesk.model.BootImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One entry of the image library.
 *
 * @param kindText "Linux + initrd", "EFI program", "iPXE script"
 * @param size     bytes of its files in the image store (0 for a script)
 * @param icon     Ikonli Material Design 2 icon code for its kind
 */
public record ImageView(String name, String kindText, long size, String icon, String detail, BootImage image) {

    public static ImageView of(BootImage i, Path imageRoot) {
        long size = 0;
        for (String f : i.files()) {
            try {
                size += Files.size(imageRoot.resolve(i.name()).resolve(f));
            } catch (IOException | RuntimeException e) {
                // a missing file shows as 0 bytes; the HTTP server reports it when a machine asks
            }
        }
        return switch (i.kind()) {
            case LINUX -> new ImageView(i.name(), "Linux" + (i.initrds().isEmpty() ? ""
                    : i.initrds().size() == 1 ? " + initrd" : " + " + i.initrds().size() + " initrds"), size,
                    "mdi2p-penguin", i.cmdline().isEmpty() ? i.kernel() : i.kernel() + " " + i.cmdline(), i);
            case EFI -> new ImageView(i.name(), "EFI program", size, "mdi2c-chip", i.kernel(), i);
            case SCRIPT -> new ImageView(i.name(), "iPXE script", i.script() == null ? 0 : i.script().length(),
                    "mdi2s-script-text-outline", firstCommand(i.script()), i);
        };
    }

    public String sizeText() {
        return Sizes.bytes(size);
    }

    static String firstCommand(String script) {
        if (script == null) {
            return "";
        }
        for (String line : script.split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                return l.length() > 60 ? l.substring(0, 59) + "…" : l;
            }
        }
        return "";
    }
}
