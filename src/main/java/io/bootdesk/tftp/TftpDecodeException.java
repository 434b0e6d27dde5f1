package io.bootdesk.tftp;

/** The bytes are not a well-formed TFTP packet; the message says what is wrong. */
public class TftpDecodeException extends Exception {
    public TftpDecodeException(String message) {
        super(message);
    }
}
