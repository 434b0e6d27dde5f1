package io.bootdesk.http;

import io.bootdesk.pki.CertificateAuthority;
import io.bootdesk.pki.OcspHttp;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;

/**
 * The CA's endpoints for clients on the boot network: the CRL ({@code /ca/crl}), the OCSP responder
 * ({@code /ca/ocsp}, RFC 6960 GET and POST), iPXE's crosscert lookups ({@code /ca/crosscert/...}, so an iPXE that
 * cannot validate a chain asks BootDesk instead of ca.ipxe.org) and the root certificate for people
 * ({@code /ca/root.crt} PEM, {@code /ca/root.der}).
 */
final class CaEndpoints {
    private CaEndpoints() {
    }

    static void handle(ChannelHandlerContext ctx, HttpRequest req, String rawPath, CertificateAuthority ca) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (ca == null || !ca.exists()) {
            BootHttpHandler.sendText(ctx, req, HttpResponseStatus.NOT_FOUND, "no certificate authority\n", keepAlive);
            return;
        }
        boolean post = req.method().equals(HttpMethod.POST);
        if (rawPath.equals("/ca/ocsp") || rawPath.startsWith("/ca/ocsp/")) {
            byte[] request;
            if (post) {
                request = req instanceof FullHttpRequest f ? ByteBufUtil.getBytes(f.content()) : new byte[0];
            } else {
                request = OcspHttp.requestFromPath(rawPath.length() > 9 ? rawPath.substring(9) : "");
            }
            send(ctx, req, OcspHttp.RESPONSE_TYPE, ca.ocspResponse(request));
            return;
        }
        if (post) {
            BootHttpHandler.sendText(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "POST only to /ca/ocsp\n", keepAlive);
            return;
        }
        switch (rawPath) {
            case "/ca/crl" -> send(ctx, req, OcspHttp.CRL_TYPE, ca.crl());
            case "/ca/root.der" -> send(ctx, req, "application/pkix-cert", ca.rootDer());
            case "/ca/root.crt" -> send(ctx, req, "application/x-pem-file", ca.rootPem().getBytes(StandardCharsets.US_ASCII));
            default -> {
                if (rawPath.startsWith("/ca/crosscert/")) {
                    crosscert(ctx, req, ca);
                } else {
                    BootHttpHandler.sendText(ctx, req, HttpResponseStatus.NOT_FOUND, "not found\n", keepAlive);
                }
            }
        }
    }

    /**
     * iPXE asks {@code <crosscert>/<crc32>.der?subject=<base64 of the issuer's DER Name>} (standard base64, not
     * URL-encoded) and takes a DER {@code SET OF Certificate}. BootDesk knows one issuer: its root.
     */
    private static void crosscert(ChannelHandlerContext ctx, HttpRequest req, CertificateAuthority ca) {
        String uri = req.uri();
        int at = uri.indexOf("subject=");
        byte[] subject = null;
        if (at >= 0) {
            String b64 = uri.substring(at + 8);
            int amp = b64.indexOf('&');
            if (amp >= 0) {
                b64 = b64.substring(0, amp);
            }
            try {
                subject = Base64.getDecoder().decode(URLDecoder.decode(b64.replace("+", "%2B"), StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                subject = null;
            }
        }
        X509Certificate root = ca.root();
        if (subject == null || !Arrays.equals(subject, root.getSubjectX500Principal().getEncoded())) {
            BootHttpHandler.sendText(ctx, req, HttpResponseStatus.NOT_FOUND, "no certificate for that subject\n",
                    HttpUtil.isKeepAlive(req));
            return;
        }
        try {
            send(ctx, req, "application/pkix-cert", derSetOf(root.getEncoded()));
        } catch (CertificateEncodingException e) {
            BootHttpHandler.sendText(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, "cannot encode\n",
                    HttpUtil.isKeepAlive(req));
        }
    }

    /** DER SET (tag 0x31) around already-encoded elements. */
    static byte[] derSetOf(byte[]... elements) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] e : elements) {
            body.writeBytes(e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x31);
        int len = body.size();
        if (len < 0x80) {
            out.write(len);
        } else {
            int n = len > 0xFFFFFF ? 4 : len > 0xFFFF ? 3 : len > 0xFF ? 2 : 1;
            out.write(0x80 | n);
            for (int i = n - 1; i >= 0; i--) {
                out.write(len >>> (8 * i));
            }
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void send(ChannelHandlerContext ctx, HttpRequest req, String type, byte[] body) {
        boolean head = req.method().equals(HttpMethod.HEAD);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type).setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(r, keepAlive);
        BootHttpHandler.finish(ctx, r, keepAlive);
    }
}
