package io.bootdesk.model;

/** Where a certificate stands at a given time. */
public enum CertificateStatus {
    VALID, NOT_YET_VALID, EXPIRED, REVOKED
}
