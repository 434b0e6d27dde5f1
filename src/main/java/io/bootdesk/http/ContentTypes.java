package io.bootdesk.http;

import java.util.Locale;

/**
 * Content types that matter to boot firmware: edk2's HTTP Boot accepts an image by exact Content-Type
 * (application/efi, application/vnd.efi-iso, application/vnd.efi-img, no parameters) or else by the URL's
 * extension, so both are kept right.
 */
final class ContentTypes {
    private ContentTypes() {
    }

    static String of(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".efi")) {
            return "application/efi";
        }
        if (n.endsWith(".iso")) {
            return "application/vnd.efi-iso";
        }
        if (n.endsWith(".img")) {
            return "application/vnd.efi-img";
        }
        if (n.endsWith(".ipxe") || n.endsWith(".txt") || n.endsWith(".cfg")) {
            return "text/plain; charset=utf-8";
        }
        return "application/octet-stream";
    }
}
