package io.bootdesk.ui.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides secrets in a script before it is shown: the values of iPXE settings whose name says they are secret
 * ({@code set password ...}, {@code set privkey ...}, {@code set root-pw ...}) and of kernel arguments such as
 * {@code rootpw=...} or {@code token=...}.
 */
public final class ScriptMask {
    static final String MASK = "••••••";
    private static final String SECRET = "(?:[\\w.-]*(?:password|passwd|secret|token|privkey|credential)[\\w.-]*"
            + "|key|pass|pw|rootpw|root-pw)";
    private static final Pattern SET = Pattern.compile("(?im)^(\\s*set\\s+" + SECRET + "\\s+)(\\S.*)$");
    private static final Pattern ARG = Pattern.compile("(?i)(\\b" + SECRET + "=)(\\S+)");

    private ScriptMask() {
    }

    public static String mask(String script) {
        if (script == null) {
            return "";
        }
        String s = SET.matcher(script).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        return ARG.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    }
}
