package io.bootdesk.dhcp;

/** The bytes are not a well-formed DHCP message; the message says what is wrong. */
public class DhcpDecodeException extends Exception {
    public DhcpDecodeException(String message) {
        super(message);
    }
}
