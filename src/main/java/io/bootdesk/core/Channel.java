package io.bootdesk.core;

/** How a request reached the HTTP boot server. */
public enum Channel {
    /** Plain HTTP. */
    HTTP,
    /** HTTPS, the server authenticated (BootDesk's CA), the client anonymous. */
    HTTPS,
    /** HTTPS on the mutual-TLS port: the client may have proven a machine identity with its certificate. */
    MTLS;

    public boolean encrypted() {
        return this != HTTP;
    }
}
