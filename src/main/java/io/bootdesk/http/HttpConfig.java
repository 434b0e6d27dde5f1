package io.bootdesk.http;

/**
 * The HTTP boot server's listeners on the boot interface's address.
 *
 * @param httpsPort server-authenticated HTTPS (0: off)
 * @param mtlsPort  HTTPS that asks for a client certificate; scripts with secrets are served only here (0: off)
 * @param legacyRsa also offer TLS_RSA_* key exchange, for iPXE builds older than 2024 (no forward secrecy; off by
 *                  default, and disabled in current JDKs until BootDesk re-enables it for this process)
 */
public record HttpConfig(String bindIp, int httpPort, int httpsPort, int mtlsPort, boolean legacyRsa) {

    public static HttpConfig plain(String bindIp, int httpPort) {
        return new HttpConfig(bindIp, httpPort, 0, 0, false);
    }

    public boolean tls() {
        return httpsPort > 0 || mtlsPort > 0;
    }
}
