#ifndef REGUA_CLIBSSL_SHIM_H
#define REGUA_CLIBSSL_SHIM_H
// The system OpenSSL (Debian libssl-dev), for STARTTLS in the SMTP client. Only
// Deliver/TCPConnection.swift imports it. Macros and varargs are wrapped in small functions
// here, so Swift sees plain calls that take a socket and bytes.
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/// One TLS client session over a connected socket.
typedef struct regua_tls {
    SSL_CTX *ctx;
    SSL *ssl;
} regua_tls;

/// The last OpenSSL error (and, after a failed handshake, the certificate check's verdict).
static inline void regua_tls_error(SSL *ssl, const char *what, char *err, size_t errlen) {
    char detail[256] = "";
    unsigned long e = ERR_get_error();
    if (e != 0) ERR_error_string_n(e, detail, sizeof detail);
    long verify = ssl ? SSL_get_verify_result(ssl) : X509_V_OK;
    if (verify != X509_V_OK) {
        snprintf(err, errlen, "%s: certificate not trusted: %s", what, X509_verify_cert_error_string(verify));
    } else {
        snprintf(err, errlen, "%s: %s", what, detail[0] ? detail : "failed");
    }
    ERR_clear_error();
}

/// Opens TLS on `fd` as a client of `host` (TLS 1.2 or later). With `verify`, the server's
/// chain must lead to `ca_file` (a PEM file) or, without one, to the system's CAs, and the
/// certificate must name `host` (a DNS name, or an IP address in its subjectAltName).
/// Returns NULL with a message in `err` on failure.
static inline regua_tls *regua_tls_connect(int fd, const char *host, const char *ca_file, int verify, char *err,
                                           size_t errlen) {
    regua_tls *t = calloc(1, sizeof *t);
    if (!t) { snprintf(err, errlen, "out of memory"); return NULL; }
    t->ctx = SSL_CTX_new(TLS_client_method());
    if (!t->ctx) { regua_tls_error(NULL, "TLS", err, errlen); free(t); return NULL; }
    SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION);
    if (verify) {
        SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER, NULL);
        int ok = ca_file ? SSL_CTX_load_verify_locations(t->ctx, ca_file, NULL) : SSL_CTX_set_default_verify_paths(t->ctx);
        if (ok != 1) {
            regua_tls_error(NULL, ca_file ? "cannot read tls_ca_file" : "cannot load the system's CAs", err, errlen);
            SSL_CTX_free(t->ctx); free(t); return NULL;
        }
    } else {
        SSL_CTX_set_verify(t->ctx, SSL_VERIFY_NONE, NULL);
    }
    t->ssl = SSL_new(t->ctx);
    if (!t->ssl || SSL_set_fd(t->ssl, fd) != 1) {
        regua_tls_error(NULL, "TLS", err, errlen);
        if (t->ssl) SSL_free(t->ssl);
        SSL_CTX_free(t->ctx); free(t); return NULL;
    }
    unsigned char ip[16];
    int isIP = inet_pton(AF_INET, host, ip) == 1 || inet_pton(AF_INET6, host, ip) == 1;
    if (!isIP) SSL_set_tlsext_host_name(t->ssl, host);  // SNI names hosts, never addresses (RFC 6066)
    if (verify) {
        X509_VERIFY_PARAM *param = SSL_get0_param(t->ssl);
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        int ok = isIP ? X509_VERIFY_PARAM_set1_ip_asc(param, host) : X509_VERIFY_PARAM_set1_host(param, host, 0);
        if (ok != 1) {
            regua_tls_error(NULL, "TLS", err, errlen);
            SSL_free(t->ssl); SSL_CTX_free(t->ctx); free(t); return NULL;
        }
    }
    if (SSL_connect(t->ssl) != 1) {
        regua_tls_error(t->ssl, "TLS handshake", err, errlen);
        SSL_free(t->ssl); SSL_CTX_free(t->ctx); free(t); return NULL;
    }
    return t;
}

/// Writes up to `len` bytes; the count written, or -1 with a message in `err`.
static inline int regua_tls_write(regua_tls *t, const void *bytes, int len, char *err, size_t errlen) {
    int n = SSL_write(t->ssl, bytes, len);
    if (n <= 0) { regua_tls_error(NULL, "TLS write", err, errlen); return -1; }
    return n;
}

/// Reads up to `len` bytes: the count, 0 when the server closed the session, -1 on an error
/// (a time-out included) with a message in `err`.
static inline int regua_tls_read(regua_tls *t, void *bytes, int len, char *err, size_t errlen) {
    int n = SSL_read(t->ssl, bytes, len);
    if (n > 0) return n;
    int e = SSL_get_error(t->ssl, n);
    if (e == SSL_ERROR_ZERO_RETURN) return 0;
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) { snprintf(err, errlen, "no reply in time"); return -1; }
    if (e == SSL_ERROR_SYSCALL && n == 0 && ERR_peek_error() == 0) return 0;
    regua_tls_error(NULL, "TLS read", err, errlen);
    return -1;
}

/// `TLSv1.3` and the like.
static inline const char *regua_tls_version(regua_tls *t) { return SSL_get_version(t->ssl); }

/// Frees the session (the socket stays open: its owner closes it).
static inline void regua_tls_free(regua_tls *t) {
    if (!t) return;
    SSL_free(t->ssl);
    SSL_CTX_free(t->ctx);
    free(t);
}

#endif
