package io.contxray.detect;

import java.util.regex.Pattern;

/**
 * Shell-like patterns of rule files: {@code *} any run of characters ({@code /} included),
 * {@code ?} one character; everything else literal. Compiled to a regex of quoted literals, so
 * no pattern can carry regex syntax in.
 */
final class Glob {
    private Glob() {
    }

    static Pattern compile(String glob) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
