package io.bootdesk.tftp;

/**
 * The netascii translation a read transfer applies (RFC 1350 with RFC 764's rules): every LF becomes CR LF and
 * every CR becomes CR NUL, so a netascii client that maps them back gets the file byte for byte. A pair cut by the
 * end of a block leaves its second byte pending for the next block.
 */
final class Netascii {
    private Netascii() {
    }

    /**
     * @param written  bytes placed in the output
     * @param consumed input bytes fully translated
     * @param pending  the second byte of a pair that did not fit, or -1
     */
    record Step(int written, int consumed, int pending) {
    }

    /**
     * Translates {@code in[0..inLength)} into {@code out[0..outLength)}, first emitting {@code pending} (or -1 for
     * none), until the output is full or the input is used up.
     */
    static Step encode(byte[] in, int inLength, int pending, byte[] out, int outLength) {
        int o = 0;
        if (pending >= 0 && o < outLength) {
            out[o++] = (byte) pending;
            pending = -1;
        }
        int i = 0;
        while (i < inLength && o < outLength) {
            byte b = in[i++];
            if (b == '\n' || b == '\r') {
                out[o++] = '\r';
                byte second = b == '\n' ? (byte) '\n' : 0;
                if (o < outLength) {
                    out[o++] = second;
                } else {
                    pending = second & 0xff;
                }
            } else {
                out[o++] = b;
            }
        }
        return new Step(o, i, pending);
    }
}
