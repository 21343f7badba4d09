#!/usr/bin/env bash
# Regenerates the throwaway TLS material the tests use (never used outside tests):
#   ca.pem                 a test CA (its key is not kept)
#   localhost.p12          localhost + 127.0.0.1, signed by the CA, valid for 100 years
#   other-host.p12         only other.example, signed by the CA (a name mismatch for localhost)
#   expired.p12            localhost + 127.0.0.1, signed by the CA, expired in 2001
#   self-signed.p12        localhost + 127.0.0.1, self-signed (trusted by nobody)
#   wildcard.p12           *.example.test, self-signed; wildcard.pem is its certificate (to trust it)
#   ca-dir/                ca.pem alone, as SSL_CERT_DIR would hold it
# Keystores are PKCS12 with password "changeit". Needs openssl 3.
set -euo pipefail
cd "$(dirname -- "$0")"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/ca.key" -out ca.pem -days 36500 \
    -subj "/CN=dclient test CA" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
leaf() { # name san days|dates
    local name=$1 san=$2
    openssl req -newkey rsa:2048 -nodes -keyout "$tmp/$name.key" -out "$tmp/$name.csr" -subj "/CN=${3}" 2>/dev/null
    printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$san" > "$tmp/$name.ext"
}
sign() { # name
    openssl x509 -req -in "$tmp/$1.csr" -CA ca.pem -CAkey "$tmp/ca.key" -CAcreateserial -days 36500 \
        -extfile "$tmp/$1.ext" -out "$tmp/$1.pem" 2>/dev/null
}
p12() { openssl pkcs12 -export -in "$tmp/$1.pem" -inkey "$tmp/$1.key" -out "$1.p12" -passout pass:changeit -name server; }
leaf localhost "DNS:localhost,IP:127.0.0.1" localhost; sign localhost; p12 localhost
leaf other-host "DNS:other.example" other.example; sign other-host; p12 other-host
# expired: signed through `openssl ca`, which takes explicit dates
leaf expired "DNS:localhost,IP:127.0.0.1" localhost
mkdir -p "$tmp/db"; : > "$tmp/db/index"; echo 01 > "$tmp/db/serial"
cat > "$tmp/ca.cnf" <<CNF
[ca]
default_ca = test
[test]
database = $tmp/db/index
serial = $tmp/db/serial
new_certs_dir = $tmp/db
default_md = sha256
policy = any
copy_extensions = none
[any]
commonName = supplied
CNF
openssl ca -batch -config "$tmp/ca.cnf" -cert ca.pem -keyfile "$tmp/ca.key" -in "$tmp/expired.csr" \
    -startdate 20000101000000Z -enddate 20010101000000Z -extfile "$tmp/expired.ext" -out "$tmp/expired.pem" 2>/dev/null
p12 expired
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/self-signed.key" -out "$tmp/self-signed.pem" -days 36500 \
    -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
p12 self-signed
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/wildcard.key" -out wildcard.pem -days 36500 \
    -subj "/CN=*.example.test" -addext "subjectAltName=DNS:*.example.test" -addext "extendedKeyUsage=serverAuth" 2>/dev/null
cp wildcard.pem "$tmp/wildcard.pem"; p12 wildcard
mkdir -p ca-dir; cp ca.pem ca-dir/test-ca.pem
rm -f ca.srl
