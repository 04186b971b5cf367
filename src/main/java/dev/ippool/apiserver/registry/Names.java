package dev.ippool.apiserver.registry;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/** Kubernetes name rules (k8s.io/apimachinery util/validation) and {@code generateName}. */
public final class Names {

    static final String DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    static final String DNS1123_SUBDOMAIN = DNS1123_LABEL + "(\\." + DNS1123_LABEL + ")*";
    private static final Pattern LABEL = Pattern.compile(DNS1123_LABEL);
    private static final Pattern SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN);
    private static final String QUALIFIED_NAME_PART = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final Pattern QUALIFIED_PART = Pattern.compile(QUALIFIED_NAME_PART);
    private static final Pattern LABEL_VALUE = Pattern.compile("(" + QUALIFIED_NAME_PART + ")?");
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final int MAX_GENERATED_PREFIX = 58;

    private final RandomGenerator random;

    public Names() {
        this(new SecureRandom());
    }

    /** A generator with a chosen random source, so tests can force generateName collisions. */
    public Names(RandomGenerator random) {
        this.random = random;
    }

    /** {@code names.SimpleNameGenerator}: the prefix cut to 58 characters plus five random characters. */
    public String generate(String prefix) {
        String base = prefix.length() > MAX_GENERATED_PREFIX ? prefix.substring(0, MAX_GENERATED_PREFIX) : prefix;
        StringBuilder b = new StringBuilder(base);
        for (int i = 0; i < 5; i++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /** {@code IsDNS1123Subdomain}: the messages, empty when valid. */
    public static List<String> dns1123Subdomain(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 253) {
            errs.add("must be no more than 253 characters");
        }
        if (!SUBDOMAIN.matcher(value).matches()) {
            errs.add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.',"
                    + " and must start and end with an alphanumeric character (e.g. 'example.com', regex used for"
                    + " validation is '" + DNS1123_SUBDOMAIN + "')");
        }
        return errs;
    }

    /** {@code IsDNS1123Label}: the messages, empty when valid. */
    public static List<String> dns1123Label(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 63) {
            errs.add("must be no more than 63 characters");
        }
        if (!LABEL.matcher(value).matches()) {
            errs.add("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must"
                    + " start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for"
                    + " validation is '" + DNS1123_LABEL + "')");
        }
        return errs;
    }

    /** {@code IsValidPathSegmentName}: a name in a URL path. */
    public static List<String> pathSegment(String name) {
        List<String> errs = new ArrayList<>();
        if (name.equals(".") || name.equals("..")) {
            errs.add("may not be '" + name + "'");
            return errs;
        }
        if (name.contains("/")) {
            errs.add("may not contain '/'");
        }
        if (name.contains("%")) {
            errs.add("may not contain '%'");
        }
        return errs;
    }

    /** {@code IsQualifiedName}: label and annotation keys, {@code [prefix/]name}. */
    public static List<String> qualifiedName(String value) {
        List<String> errs = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty()) {
                errs.add("prefix part must be non-empty");
            } else {
                dns1123Subdomain(prefix).forEach(m -> errs.add("prefix part " + m));
            }
        } else {
            errs.add("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and"
                    + " end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used"
                    + " for validation is '" + QUALIFIED_NAME_PART + "') with an optional DNS subdomain prefix and"
                    + " '/' (e.g. 'example.com/MyName')");
            return errs;
        }
        if (name.isEmpty()) {
            errs.add("name part must be non-empty");
        } else if (name.length() > 63) {
            errs.add("name part must be no more than 63 characters");
        }
        if (!name.isEmpty() && !QUALIFIED_PART.matcher(name).matches()) {
            errs.add("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with"
                    + " an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for"
                    + " validation is '" + QUALIFIED_NAME_PART + "')");
        }
        return errs;
    }

    /** {@code IsValidLabelValue}. */
    public static List<String> labelValue(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 63) {
            errs.add("must be no more than 63 characters");
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            errs.add("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.',"
                    + " and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or"
                    + " '12345', regex used for validation is '(" + QUALIFIED_NAME_PART + ")?')");
        }
        return errs;
    }
}
