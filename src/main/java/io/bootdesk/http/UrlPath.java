package io.bootdesk.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Splits a request path into decoded segments, refusing every form of escape from the served folders:
 * "." and ".." segments (also percent-encoded), empty segments ("//"), backslashes, NUL and control characters,
 * and encoded slashes. The caller then only ever joins single, plain segments.
 */
final class UrlPath {
    private UrlPath() {
    }

    static Optional<List<String>> segments(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        String rest = rawPath.substring(1);
        if (rest.isEmpty()) {
            return Optional.of(out);
        }
        for (String raw : rest.split("/", -1)) {
            String s;
            try {
                s = QueryStringDecoder.decodeComponent(raw, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            if (s.isEmpty() || s.equals(".") || s.equals("..") || s.contains("/") || s.contains("\\")) {
                return Optional.empty();
            }
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) < 0x20 || s.charAt(i) == 0x7f) {
                    return Optional.empty();
                }
            }
            out.add(s);
        }
        return Optional.of(out);
    }
}
