package io.bootdesk.pki;

import io.bootdesk.model.CertificateInfo;
import java.net.InetAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

/**
 * What an HTTPS server presents: the leaf, the chain to send (leaf + root: iPXE needs the root in the chain when it
 * trusts by fingerprint) and the leaf's private key. {@link #toString()} leaves the key out.
 *
 * @param addresses the leaf's iPAddress SANs
 * @param hostNames the leaf's dNSName SANs
 */
public record ServerIdentity(X509Certificate certificate, List<X509Certificate> chain, PrivateKey key,
                             CertificateInfo info, Set<InetAddress> addresses, Set<String> hostNames) {

    public ServerIdentity {
        chain = List.copyOf(chain);
        addresses = Set.copyOf(addresses);
        hostNames = Set.copyOf(hostNames);
    }

    /** The chain as an array, as {@code SslContextBuilder.forServer(key, chain)} takes it. */
    public X509Certificate[] chainArray() {
        return chain.toArray(X509Certificate[]::new);
    }

    public String chainPem() {
        return Pem.certificates(chain);
    }

    /** PKCS#8 PEM of the private key: a secret. */
    public String keyPem() {
        return Pem.privateKey(key);
    }

    @Override
    public String toString() {
        return "ServerIdentity[serial " + info.serial() + ", " + info.subject() + ", addresses " + addresses
                + ", names " + hostNames + ", key withheld]";
    }
}
