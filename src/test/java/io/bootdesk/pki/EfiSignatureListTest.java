package io.bootdesk.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layout of ipxe-uefi-protocol.md 5.4 (MdePkg ImageAuthentication.h), byte by byte. */
class EfiSignatureListTest {
    @TempDir
    Path tmp;

    @Test
    void oneCertificateIsOneListOfTheDocumentedLayout() {
        X509Certificate cert = new CertificateAuthority(tmp.resolve("ca"), new MemoryLedger(), PassphraseSource.NONE,
                CaOptions.defaults()).root();
        byte[] der = Pem.der(cert);
        byte[] esl = EfiSignatureList.of(List.of(cert));

        assertThat(esl).hasSize(28 + 16 + der.length);
        // EFI_CERT_X509_GUID {a5c059a1-94e4-4aa7-87b5-ab155c2bf072} as the document spells its bytes
        assertThat(HexFormat.of().formatHex(esl, 0, 16)).isEqualTo("a159c0a5e494a74a87b5ab155c2bf072");
        ByteBuffer b = ByteBuffer.wrap(esl).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(16)).as("SignatureListSize").isEqualTo(28 + 16 + der.length);
        assertThat(b.getInt(20)).as("SignatureHeaderSize").isZero();
        assertThat(b.getInt(24)).as("SignatureSize").isEqualTo(16 + der.length);
        // SignatureOwner, mixed-endian GUID
        assertThat(esl[28]).isEqualTo((byte) 0x5e);
        assertThat(HexFormat.of().formatHex(esl, 28, 44)).isEqualTo(guidBytes(EfiSignatureList.BOOTDESK_OWNER));
        byte[] tail = new byte[der.length];
        System.arraycopy(esl, 44, tail, 0, der.length);
        assertThat(tail).isEqualTo(der);
    }

    @Test
    void severalCertificatesAreSeveralListsEachWithItsOwnSize() {
        X509Certificate a = new CertificateAuthority(tmp.resolve("a"), new MemoryLedger(), PassphraseSource.NONE,
                CaOptions.defaults()).root();
        X509Certificate c = new CertificateAuthority(tmp.resolve("c"), new MemoryLedger(), PassphraseSource.NONE,
                CaOptions.defaults()).issueClientCertificate(io.bootdesk.model.MacAddress.parse("02:00:00:00:00:01"), null, null, false)
                .certificate();
        UUID owner = UUID.fromString("2b8cf6a1-3a5e-4b6a-9c2d-5e2e2e0e0e99");
        byte[] esl = EfiSignatureList.of(List.of(a, c), owner);
        ByteBuffer b = ByteBuffer.wrap(esl).order(ByteOrder.LITTLE_ENDIAN);
        int first = b.getInt(16);
        assertThat(first).isEqualTo(44 + Pem.der(a).length);
        assertThat(HexFormat.of().formatHex(esl, first, first + 16)).isEqualTo("a159c0a5e494a74a87b5ab155c2bf072");
        assertThat(b.getInt(first + 16)).isEqualTo(44 + Pem.der(c).length);
        assertThat(esl).hasSize(first + 44 + Pem.der(c).length);
        // the owner GUID as python's uuid.bytes_le writes it (the make-certs.sh recipe)
        assertThat(HexFormat.of().formatHex(esl, 28, 44)).isEqualTo("a1f68c2b5e3a6a4b9c2d5e2e2e0e0e99");
        assertThatThrownBy(() -> EfiSignatureList.of(List.of())).hasMessageContaining("at least one certificate");
    }

    private static String guidBytes(UUID u) {
        String h = u.toString().replace("-", "");
        return swap(h.substring(0, 8)) + swap(h.substring(8, 12)) + swap(h.substring(12, 16)) + h.substring(16);
    }

    private static String swap(String hex) {
        StringBuilder s = new StringBuilder();
        for (int i = hex.length() - 2; i >= 0; i -= 2) {
            s.append(hex, i, i + 2);
        }
        return s.toString();
    }
}
