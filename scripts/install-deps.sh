#!/usr/bin/env bash
# Installs what Regua needs on a fresh Debian/Ubuntu machine, and nothing when it is all there:
# libyaml (the rule book parser), SQLite (the ledger) and pkg-config (how SwiftPM finds them);
# with --test, also the tools the tests use to read outputs back.
set -euo pipefail

missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
pkg-config --exists yaml-0.1 2>/dev/null || missing+=(libyaml-dev)
{ pkg-config --exists sqlite3 2>/dev/null || [ -f /usr/include/sqlite3.h ]; } || missing+=(libsqlite3-dev)
pkg-config --exists openssl 2>/dev/null || missing+=(libssl-dev)   # STARTTLS of the SMTP client
pkg-config --exists zlib 2>/dev/null || missing+=(zlib1g-dev)      # the PNG data of the e-mails' QR codes
if [ "${1:-}" = "--test" ]; then
  # The tests read the outputs back with independent tools.
  command -v python3 >/dev/null 2>&1 || missing+=(python3)          # e-mails through Python's email package
  command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)  # letters.pdf text and page count
  command -v qpdf >/dev/null 2>&1 || missing+=(qpdf)                # PDF structure
  command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)       # QR and ITF barcodes decoded back
  python3 -c 'import yaml' >/dev/null 2>&1 || missing+=(python3-yaml) # deploy/ manifests parsed back
  python3 -c 'import dateutil.easter' >/dev/null 2>&1 || missing+=(python3-dateutil) # Easter checked against dateutil
  # deliver/feedback run against real peers on loopback: a private Postfix instance relaying to
  # smtp-sink (part of postfix), and Kannel's bearerbox + smsbox with fakesmsc (kannel-extras).
  command -v postfix >/dev/null 2>&1 || missing+=(postfix)
  command -v bearerbox >/dev/null 2>&1 || missing+=(kannel)
  [ -x /usr/lib/kannel/test/fakesmsc ] || missing+=(kannel-extras)
  # The PostgreSQL ledger runs against a private server the tests start (initdb + pg_ctl from
  # /usr/lib/postgresql/<version>/bin) and read back with psql.
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
  command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
  # SMTP submission with STARTTLS and AUTH: the test Postfix's Cyrus SASL (sasldb) and openssl.
  command -v saslpasswd2 >/dev/null 2>&1 || missing+=(sasl2-bin)
  ls /usr/lib/*/sasl2/libplain.so* >/dev/null 2>&1 || missing+=(libsasl2-modules)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# Postfix must not ask questions nor configure a system mail server: the tests run their own.
if printf '%s\n' "${missing[@]}" | grep -qx postfix; then
  echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
fi
# PostgreSQL must not create nor start a system cluster: the tests run their own.
if printf '%s\n' "${missing[@]}" | grep -qx postgresql && [ ! -e /etc/postgresql-common/createcluster.conf ]; then
  $SUDO mkdir -p /etc/postgresql-common
  echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
