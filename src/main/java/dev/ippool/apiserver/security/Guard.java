package dev.ippool.apiserver.security;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Who a request is and whether it may do what it asks, from the configured sources: bearer tokens, client
 * certificates (verified by TLS against the client CA), anonymity when allowed, and RBAC when configured
 * (without an RBAC file every authenticated request is allowed, as kube's AlwaysAllow).
 */
public final class Guard {

    /** The outcome of authentication: a user, or a 401. */
    public record Identity(User user) {
        public boolean unauthorized() {
            return user == null;
        }
    }

    /** What a front proxy says about the user: X-Remote-User, X-Remote-Group (each value a group). */
    public record ProxyHeaders(String user, List<String> groups) {
        public static final ProxyHeaders NONE = new ProxyHeaders(null, List.of());
    }

    private final Supplier<TokenFile> tokens;
    private final Supplier<Rbac> rbac;
    private final boolean allowAnonymous;
    private final List<X509Certificate> clientCas;
    private final List<X509Certificate> proxyCas;
    private final java.util.Set<String> proxyNames;

    /** @param tokens null without a token file; @param rbac null without an RBAC file */
    public Guard(Supplier<TokenFile> tokens, Supplier<Rbac> rbac, boolean allowAnonymous) {
        this(tokens, rbac, allowAnonymous, List.of(), List.of(), java.util.Set.of());
    }

    /**
     * @param clientCas  CAs of user client certificates
     * @param proxyCas   CAs of the front proxy's client certificate (requestheader)
     * @param proxyNames common names the front proxy may have; empty: any
     */
    public Guard(Supplier<TokenFile> tokens, Supplier<Rbac> rbac, boolean allowAnonymous,
            List<X509Certificate> clientCas, List<X509Certificate> proxyCas, java.util.Set<String> proxyNames) {
        this.tokens = tokens;
        this.rbac = rbac;
        this.allowAnonymous = allowAnonymous;
        this.clientCas = List.copyOf(clientCas);
        this.proxyCas = List.copyOf(proxyCas);
        this.proxyNames = java.util.Set.copyOf(proxyNames);
    }

    public Identity authenticate(String authorization, X509Certificate[] peer) {
        return authenticate(authorization, peer, ProxyHeaders.NONE);
    }

    /**
     * kube's union authenticator: a client certificate or a bearer token, whichever succeeds; credentials that
     * fail are a 401 even where anonymous requests are allowed; none at all is anonymous when allowed.
     */
    public Identity authenticate(String authorization, X509Certificate[] peer, ProxyHeaders proxy) {
        if (peer != null && peer.length > 0) {
            X509Certificate cert = peer[0];
            if (isFrontProxy(cert) && proxy.user() != null && !proxy.user().isEmpty()) {
                // kube's requestheader authenticator: the proxy authenticated the user; trust what it says
                return new Identity(User.authenticated(proxy.user(), "", proxy.groups()));
            }
            if (signedByAny(cert, clientCas)) {
                return new Identity(fromCertificate(cert));
            }
        }
        if (authorization != null && !authorization.isEmpty()) {
            // "<scheme><whitespace><token>", read without a regular expression: this runs on every request
            String auth = authorization.trim();
            int end = 0;
            while (end < auth.length() && !isWhitespace(auth.charAt(end))) {
                end++;
            }
            if (end == BEARER.length() && end < auth.length() && auth.regionMatches(true, 0, BEARER, 0, end)
                    && tokens != null) {
                return new Identity(tokens.get().find(auth.substring(end).trim()));
            }
            return new Identity(null);
        }
        return new Identity(allowAnonymous ? User.ANONYMOUS : null);
    }

    private static final String BEARER = "bearer";

    /** What {@code \s} matches. */
    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    private boolean isFrontProxy(X509Certificate cert) {
        if (!signedByAny(cert, proxyCas)) {
            return false;
        }
        User named = fromCertificate(cert);
        return proxyNames.isEmpty() || (named != null && proxyNames.contains(named.name()));
    }

    private static boolean signedByAny(X509Certificate cert, List<X509Certificate> cas) {
        for (X509Certificate ca : cas) {
            try {
                if (cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
                    cert.verify(ca.getPublicKey());
                    return true;
                }
            } catch (java.security.GeneralSecurityException e) {
                // not this CA
            }
        }
        return false;
    }

    /** CN is the user, each O a group (kube's x509 request authenticator). */
    static User fromCertificate(X509Certificate cert) {
        String user = "";
        List<String> groups = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    user = rdn.getValue().toString();
                } else if (rdn.getType().equalsIgnoreCase("O")) {
                    groups.add(0, rdn.getValue().toString());
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return user.isEmpty() ? null : User.authenticated(user, "", groups);
    }

    /**
     * Discovery, /version and /openapi are readable by every authenticated user (kube's system:discovery and
     * system:public-info-viewer); everything else is RBAC's, or allowed when there is no RBAC file.
     */
    public boolean authorize(User user, RequestInfo request) {
        if (!request.resourceRequest() && request.verb().equals("get") && !user.isAnonymous() && isPublic(request)) {
            return true;
        }
        if (request.resourceRequest() && request.apiGroup().isEmpty() && request.resource().equals("namespaces")
                && request.verb().equals("get") && !user.isAnonymous()) {
            // the implicit namespaces reveal nothing: kubectl reads one after a 404
            return true;
        }
        return Optional.ofNullable(rbac).map(r -> r.get().allows(user, request)).orElse(true);
    }

    private static boolean isPublic(RequestInfo r) {
        String p = r.path();
        return p.equals("/api") || p.startsWith("/api/") || p.equals("/apis") || p.startsWith("/apis/")
                || p.equals("/version") || p.startsWith("/openapi/") || p.equals("/openapi");
    }

    public boolean hasAuthentication() {
        return tokens != null || !clientCas.isEmpty() || !proxyCas.isEmpty();
    }
}
