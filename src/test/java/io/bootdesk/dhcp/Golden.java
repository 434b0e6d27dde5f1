package io.bootdesk.dhcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The DHCP packets captured from real clients by {@code src/test/resources/dhcp/golden/capture.sh} (see the README
 * there): one UDP payload per {@code .hex} file, '#' lines are provenance comments.
 */
final class Golden {
    private static final String ROOT = "/dhcp/golden/";

    private Golden() {
    }

    /** The payload of fixture {@code name}, e.g. "efi-pxe/discover". */
    static byte[] bytes(String name) {
        try (InputStream in = Golden.class.getResourceAsStream(ROOT + name + ".hex")) {
            if (in == null) {
                throw new IllegalArgumentException("no golden fixture " + ROOT + name + ".hex");
            }
            StringBuilder hex = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.startsWith("#")) {
                    hex.append(line.replaceAll("\\s", ""));
                }
            }
            return HexFormat.of().parseHex(hex);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DhcpMessage message(String name) {
        try {
            return DhcpCodec.decode(bytes(name));
        } catch (DhcpDecodeException e) {
            throw new AssertionError("golden fixture " + name + " does not decode: " + e.getMessage(), e);
        }
    }

    /** Every fixture name, sorted ("bios-ipxe/ack", ...). */
    static List<String> all() {
        try {
            Path root = Path.of(Golden.class.getResource(ROOT).toURI());
            try (Stream<Path> files = Files.walk(root)) {
                return files.filter(p -> p.toString().endsWith(".hex"))
                        .map(p -> root.relativize(p).toString().replace('\\', '/'))
                        .map(s -> s.substring(0, s.length() - ".hex".length()))
                        .sorted()
                        .toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fixtures sent by clients (BOOTREQUEST). */
    static List<String> requests() {
        return all().stream().filter(n -> bytes(n)[0] == DhcpMessage.BOOTREQUEST).toList();
    }

    /**
     * A captured BootDesk answer as BootDesk answers now: the capture predates terminating option 67 with a NUL
     * (which edk2 needs, see DhcpResponder.bootfile; dnsmasq sends it that way and the same clients accept it),
     * so the captured message with only that changed, re-encoded.
     */
    static byte[] answerWithTerminatedBootfile(String name) {
        DhcpMessage m = message(name);
        byte[] file = m.option(DhcpOption.BOOTFILE);
        if (file == null || file.length > 0 && file[file.length - 1] == 0) {
            return bytes(name);
        }
        return DhcpCodec.encode(m.toBuilder().option(DhcpOption.BOOTFILE, java.util.Arrays.copyOf(file, file.length + 1)).build());
    }
}
