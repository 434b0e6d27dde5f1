package io.bootdesk.pki;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What an HTTP endpoint for the CA needs besides {@link CertificateAuthority#ocspResponse(byte[])} and
 * {@link CertificateAuthority#crl()}: the media types and the GET form of OCSP (RFC 6960 appendix A.1:
 * {@code GET {url}/{url-encoding of base-64 encoding of the DER OCSPRequest}}, which is what iPXE sends).
 *
 * <pre>
 * POST /ca/ocsp            body = DER OCSPRequest, Content-Type application/ocsp-request
 * GET  /ca/ocsp/MEI...%3D  -> OcspHttp.requestFromPath("MEI...%3D")
 * both answer 200, Content-Type application/ocsp-response, body = ca.ocspResponse(request)
 * GET  /ca/crl             -> 200, Content-Type application/pkix-crl, body = ca.crl()
 * </pre>
 */
public final class OcspHttp {
    public static final String REQUEST_TYPE = "application/ocsp-request";
    public static final String RESPONSE_TYPE = "application/ocsp-response";
    public static final String CRL_TYPE = "application/pkix-crl";

    private OcspHttp() {
    }

    /**
     * The DER request from the path segment after the responder's URL (percent-decoded, then base64; the
     * URL-safe alphabet is accepted too). Returns an empty array when it is not base64, which
     * {@code ocspResponse} answers with malformedRequest.
     */
    public static byte[] requestFromPath(String segment) {
        String s = segment.startsWith("/") ? segment.substring(1) : segment;
        try {
            // '+' in a path is a plus, not a space: protect it from the form decoder
            String b64 = URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.US_ASCII);
            if (b64.indexOf('-') >= 0 || b64.indexOf('_') >= 0) {
                return Base64.getUrlDecoder().decode(b64);
            }
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }
}
