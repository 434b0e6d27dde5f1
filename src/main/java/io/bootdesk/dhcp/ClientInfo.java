package io.bootdesk.dhcp;

import io.bootdesk.core.BootRequest;
import io.bootdesk.model.ClientArch;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.MacAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

/**
 * What a DHCP request says about its sender: the classification of RFC 4578 / PXE / iPXE clients.
 *
 * @param uuid        option 97 in canonical UUID text (un-mangled from the GUID byte order clients send), or null
 * @param vendorClass option 60, or null
 * @param ipxe        option 77 is "iPXE" or option 175 is present
 * @param ipxeHttps   option 175 carries feature 0x14 (HTTPS)
 */
public record ClientInfo(MacAddress mac, MessageType type, ClientArch arch, ClientKind kind, String vendorClass,
                         String userClass, boolean ipxe, boolean ipxeHttps, String uuid) {

    /** Classifies a BOOTREQUEST. Never throws: odd values classify as UNKNOWN / OTHER. */
    public static ClientInfo of(DhcpMessage m) {
        byte[] ch = m.chaddr();
        MacAddress mac = MacAddress.of(ch, 0);
        String vc = m.optionString(DhcpOption.VENDOR_CLASS);
        String uc = userClass(m.option(DhcpOption.USER_CLASS));
        Map<Integer, byte[]> ipxeOpts = m.has(DhcpOption.IPXE) ? DhcpCodec.subOptions(m.option(DhcpOption.IPXE)) : Map.of();
        boolean ipxe = "iPXE".equals(uc) || m.has(DhcpOption.IPXE);
        boolean https = ipxeOpts.containsKey(DhcpOption.IPXE_FEATURE_HTTPS);
        ClientArch arch = arch(m, vc);
        ClientKind kind;
        if (ipxe) {
            kind = ClientKind.IPXE;
        } else if (vc != null && vc.startsWith("HTTPClient")) {
            kind = ClientKind.UEFI_HTTP;
        } else if (vc != null && vc.startsWith("PXEClient")) {
            kind = ClientKind.PXE;
        } else {
            kind = ClientKind.OTHER;
        }
        return new ClientInfo(mac, m.messageType(), arch, kind, vc, uc, ipxe, https, uuid(m.option(DhcpOption.CLIENT_UUID)));
    }

    private static ClientArch arch(DhcpMessage m, String vendorClass) {
        byte[] a = m.option(DhcpOption.CLIENT_ARCH);
        if (a != null && a.length >= 2) {
            return ClientArch.fromCode(((a[0] & 0xff) << 8) | (a[1] & 0xff)); // first of possibly several
        }
        // Fall back to the "Arch:NNNNN" part of PXEClient:Arch:00007:UNDI:003016
        if (vendorClass != null) {
            int i = vendorClass.indexOf("Arch:");
            if (i >= 0 && vendorClass.length() >= i + 10) {
                try {
                    return ClientArch.fromCode(Integer.parseInt(vendorClass.substring(i + 5, i + 10)));
                } catch (NumberFormatException ignored) {
                    return ClientArch.UNKNOWN;
                }
            }
        }
        return ClientArch.UNKNOWN;
    }

    /** Option 77 as sent by iPXE (a bare string) or in RFC 3004 form (length-prefixed instances). */
    static String userClass(byte[] v) {
        if (v == null || v.length == 0) {
            return null;
        }
        int first = v[0] & 0xff;
        if (first + 1 <= v.length && first > 0 && first < 0x20) {
            return new String(v, 1, first, StandardCharsets.ISO_8859_1); // RFC 3004: first instance
        }
        return new String(v, StandardCharsets.ISO_8859_1);
    }

    /**
     * Option 97 (type 0 + 16 bytes): clients send the SMBIOS UUID in GUID byte order (the first three fields
     * little-endian, as SMBIOS stores it and iPXE's uuid_mangle() produces); this returns the canonical text.
     */
    static String uuid(byte[] v) {
        if (v == null || v.length != 17 || v[0] != 0) {
            return null;
        }
        byte[] u = new byte[16];
        System.arraycopy(v, 1, u, 0, 16);
        swap(u, 0, 3);
        swap(u, 1, 2);
        swap(u, 4, 5);
        swap(u, 6, 7);
        String h = HexFormat.of().formatHex(u);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-"
                + h.substring(20);
    }

    private static void swap(byte[] b, int i, int j) {
        byte t = b[i];
        b[i] = b[j];
        b[j] = t;
    }

    /** The planner's question for this client in DHCP exchange {@code xid}. */
    public BootRequest request(BootRequest.Step step, int xid) {
        return BootRequest.dhcp(mac, uuid, arch, kind, vendorClass, ipxeHttps, step, xid);
    }

    /** "PXE ROM (BIOS x86, PXEClient:Arch:00000:UNDI:002001)". */
    public String describe() {
        return kind.label() + " (" + arch.label() + (vendorClass == null ? "" : ", " + vendorClass) + ")";
    }
}
