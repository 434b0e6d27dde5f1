package io.bootdesk.model;

/** What a certificate issued by BootDesk's CA is for. */
public enum CertificateKind {
    /** The self-signed root (one current; earlier ones are retired by {@code ca rotate}). */
    ROOT,
    /** BootDesk's own HTTPS server (SAN = its addresses and names, EKU serverAuth). */
    SERVER,
    /** One machine's client certificate for mutual TLS (EKU clientAuth, MAC in the SAN). */
    CLIENT,
    /** The delegated OCSP response signer (EKU OCSPSigning, id-pkix-ocsp-nocheck). */
    OCSP_SIGNER
}
