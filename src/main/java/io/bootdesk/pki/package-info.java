/**
 * BootDesk's certificate authority: the root, server and per-machine client certificates, revocation (CRL and an
 * OCSP responder function), and the exports firmware and iPXE need (PEM/DER, SHA-256 fingerprint, EFI signature
 * list, FAT image, iPXE build recipe, {@code set cert}/{@code set privkey} hex). Depends on model only; what must be
 * remembered goes through {@link io.bootdesk.pki.CertificateLedger}, which the engine backs with the database.
 */
package io.bootdesk.pki;
