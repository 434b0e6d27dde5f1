package io.bootdesk.pki;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.UUID;

/**
 * A UEFI signature database of X.509 certificates: one {@code EFI_SIGNATURE_LIST} of type
 * {@code EFI_CERT_X509_GUID} per certificate (SignatureSize is fixed within a list), all little-endian. Given to
 * OVMF as {@code -fw_cfg name=etc/edk2/https/cacerts,file=...} it becomes the {@code TlsCaCertificate} variable
 * that edk2's HTTPS Boot and iPXE (>= 2025-03) trust; firmware TLS enrolment screens take the same bytes.
 */
public final class EfiSignatureList {
    /** EFI_CERT_X509_GUID {a5c059a1-94e4-4aa7-87b5-ab155c2bf072}. */
    public static final UUID EFI_CERT_X509 = UUID.fromString("a5c059a1-94e4-4aa7-87b5-ab155c2bf072");
    /** The SignatureOwner BootDesk writes (any GUID will do; this one is BootDesk's). */
    public static final UUID BOOTDESK_OWNER = UUID.fromString("6f1c0b5e-8a3d-4d2e-9b7a-b00dde5c0a11");

    /** Size of EFI_SIGNATURE_LIST's header: GUID + three UINT32. */
    static final int LIST_HEADER = 28;
    /** Size of EFI_SIGNATURE_DATA's SignatureOwner. */
    static final int OWNER = 16;

    private EfiSignatureList() {
    }

    public static byte[] of(List<X509Certificate> certs) {
        return of(certs, BOOTDESK_OWNER);
    }

    public static byte[] of(List<X509Certificate> certs, UUID owner) {
        if (certs.isEmpty()) {
            throw new PkiException("an EFI signature list needs at least one certificate");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (X509Certificate c : certs) {
            byte[] der = Pem.der(c);
            int signatureSize = OWNER + der.length;
            ByteBuffer b = ByteBuffer.allocate(LIST_HEADER + signatureSize).order(ByteOrder.LITTLE_ENDIAN);
            b.put(guid(EFI_CERT_X509));
            b.putInt(LIST_HEADER + signatureSize); // SignatureListSize (no SignatureHeader, one signature)
            b.putInt(0);                            // SignatureHeaderSize
            b.putInt(signatureSize);                // SignatureSize
            b.put(guid(owner));
            b.put(der);
            out.writeBytes(b.array());
        }
        return out.toByteArray();
    }

    /** An EFI_GUID in memory order: Data1 (UINT32), Data2, Data3 (UINT16) little-endian, Data4 as is. */
    static byte[] guid(UUID u) {
        long hi = u.getMostSignificantBits();
        long lo = u.getLeastSignificantBits();
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) (hi >>> 32));
        b.putShort((short) (hi >>> 16));
        b.putShort((short) hi);
        b.order(ByteOrder.BIG_ENDIAN).putLong(lo);
        return b.array();
    }
}
