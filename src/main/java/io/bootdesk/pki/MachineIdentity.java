package io.bootdesk.pki;

import io.bootdesk.model.MacAddress;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/** Reads the machine's MAC from a BootDesk client certificate (SAN otherName, RFC 2307 macAddress). */
public final class MachineIdentity {
    private MachineIdentity() {
    }

    /** The MAC named by the certificate, or empty if it names none (or not in BootDesk's form). */
    public static Optional<MacAddress> macOf(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(Extension.subjectAlternativeName.getId());
        if (ext == null) {
            return Optional.empty();
        }
        try {
            GeneralNames names = GeneralNames.getInstance(ASN1OctetString.getInstance(ext).getOctets());
            for (GeneralName n : names.getNames()) {
                if (n.getTagNo() != GeneralName.otherName) {
                    continue;
                }
                ASN1Sequence other = ASN1Sequence.getInstance(n.getName());
                if (!Issuer.MAC_ADDRESS.equals(ASN1ObjectIdentifier.getInstance(other.getObjectAt(0)))) {
                    continue;
                }
                ASN1Encodable value = ASN1TaggedObject.getInstance(other.getObjectAt(1)).getExplicitBaseObject();
                if (value instanceof ASN1String s) {
                    return Optional.of(MacAddress.parse(s.getString()));
                }
            }
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
