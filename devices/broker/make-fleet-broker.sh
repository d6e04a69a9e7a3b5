#!/usr/bin/env bash
# Generates a locked-down mosquitto 2.x set-up for an edgeloop fleet: a CA, the broker's certificate, one client
# certificate per device and per workstation role, an ACL with least privilege per identity, and a mosquitto.conf
# with a TLS listener only. See devices/broker/README.md.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: make-fleet-broker.sh --fleet DIR --devices ID[,ID...] [options]

Writes a mosquitto 2.x set-up for an edgeloop fleet into DIR (created):
  ca.pem ca.key              the fleet CA (keep ca.key offline)
  server.pem server.key      the broker's certificate (SAN: --host names)
  clients/ID/                ca.pem, client.pem, client.key (PKCS#8, 0600)
                             per device and role
  acl, mosquitto.conf        least-privilege ACL; TLS listener only

options:
  --fleet DIR          output folder (required; must not hold a CA yet
                       unless --add)
  --devices IDS        device ids, comma-separated (required)
  --collectors IDS     collector identities (default: collector)
  --deployers IDS      deploy (workstation) identities (default: workstation)
  --host NAMES         broker DNS names or IPs for its certificate,
                       comma-separated (default: localhost,127.0.0.1)
  --port N             TLS listener port (default: 8883)
  --prefix P           topic prefix (default: edgeloop)
  --days N             certificate lifetime in days (default: 825)
  --auth MODE          cert: client certificates, identity = CN (default)
                       password: server TLS + per-identity passwords
                       (mosquitto_passwd), written to clients/ID/password
  --add                add identities to an existing DIR (same CA)
  -h, --help           this text
EOF
}

die() {
    echo "make-fleet-broker.sh: $*" >&2
    exit 2
}

FLEET="" DEVICES="" COLLECTORS="-" DEPLOYERS="-" HOSTS="localhost,127.0.0.1"
PORT=8883 PREFIX="edgeloop" DAYS=825 AUTH="cert" ADD=0
while [ $# -gt 0 ]; do
    case "$1" in
        --fleet) FLEET="${2:-}"; shift 2 ;;
        --devices) DEVICES="${2:-}"; shift 2 ;;
        --collectors) COLLECTORS="${2:-}"; shift 2 ;;
        --deployers) DEPLOYERS="${2:-}"; shift 2 ;;
        --host) HOSTS="${2:-}"; shift 2 ;;
        --port) PORT="${2:-}"; shift 2 ;;
        --prefix) PREFIX="${2:-}"; shift 2 ;;
        --days) DAYS="${2:-}"; shift 2 ;;
        --auth) AUTH="${2:-}"; shift 2 ;;
        --add) ADD=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option '$1'" ;;
    esac
done

[ -n "$FLEET" ] || { usage >&2; die "--fleet is missing, allowed a folder to write the set-up into"; }
[ -n "$DEVICES" ] || { usage >&2; die "--devices is missing, allowed device ids separated by commas"; }
# with --add only the identities named are added; a new set-up gets one collector and one deploy role by default
if [ "$COLLECTORS" = "-" ]; then COLLECTORS=$([ "$ADD" = 1 ] && echo "" || echo collector); fi
if [ "$DEPLOYERS" = "-" ]; then DEPLOYERS=$([ "$ADD" = 1 ] && echo "" || echo workstation); fi
case "$AUTH" in cert|password) ;; *) die "--auth is '$AUTH', allowed cert or password" ;; esac
[[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1 ] && [ "$PORT" -le 65535 ] \
    || die "--port is '$PORT', allowed 1..65535"
[[ "$DAYS" =~ ^-?[0-9]+$ ]] || die "--days is '$DAYS', allowed a whole number of days"
[[ "$PREFIX" =~ ^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$ ]] \
    || die "--prefix is '$PREFIX', allowed topic levels of A-Z a-z 0-9 _ - separated by '/'"
command -v openssl >/dev/null || die "openssl is not installed (apt-get install openssl)"
if [ "$AUTH" = password ]; then
    command -v mosquitto_passwd >/dev/null || die "mosquitto_passwd is not installed (apt-get install mosquitto)"
fi

# the ids follow the rule of docs/mqtt.md; '_' first is reserved (_fleet), so roles and devices cannot collide
# with the fleet topic
check_ids() {
    local what="$1" list="$2" id
    [ -n "$list" ] || return 0
    IFS=',' read -ra ids <<< "$list"
    for id in "${ids[@]}"; do
        [[ "$id" =~ ^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$ ]] \
            || die "$what: '$id' is not an id, allowed 1-64 of A-Z a-z 0-9 _ - starting with a letter or digit"
    done
}
check_ids --devices "$DEVICES"
check_ids --collectors "$COLLECTORS"
check_ids --deployers "$DEPLOYERS"
ALL=$(printf '%s,%s,%s' "$DEVICES" "$COLLECTORS" "$DEPLOYERS" | tr -s ',' | sed 's/,$//')
dup=$(tr ',' '\n' <<< "$ALL" | sort | uniq -d | head -1)
[ -z "$dup" ] || die "identity '$dup' is given twice; every device and role needs its own name"

if [ "$ADD" = 0 ] && [ -e "$FLEET/ca.key" ]; then
    die "$FLEET already holds a CA (ca.key); use --add to add identities, or another folder"
fi
if [ "$ADD" = 1 ] && [ ! -e "$FLEET/ca.key" ]; then
    die "--add: $FLEET holds no CA (ca.key) to add identities with"
fi
mkdir -p "$FLEET/clients"
FLEET=$(cd "$FLEET" && pwd)
umask 077
cd "$FLEET"

san() {
    local out="" h
    IFS=',' read -ra hs <<< "$HOSTS"
    for h in "${hs[@]}"; do
        if [[ "$h" =~ ^[0-9.]+$ || "$h" == *:* ]]; then out="$out,IP:$h"; else out="$out,DNS:$h"; fi
    done
    echo "${out#,}"
}

# openssl x509 -days accepts only positive numbers; a negative lifetime (tests: an expired certificate) is made
# with openssl ca's explicit dates instead
sign() { # csr out days extfile
    local csr="$1" out="$2" days="$3" ext="$4"
    if [ "$days" -gt 0 ]; then
        openssl x509 -req -in "$csr" -CA ca.pem -CAkey ca.key -CAcreateserial -out "$out" -days "$days" \
            -sha256 -extfile "$ext" 2>/dev/null
    else
        local d; d=$(mktemp -d)
        touch "$d/index"; echo 01 > "$d/serial"
        cat > "$d/ca.cnf" <<EOF
[ca]
default_ca = fleet
[fleet]
dir = $d
database = $d/index
serial = $d/serial
new_certs_dir = $d
default_md = sha256
policy = any
copy_extensions = none
[any]
commonName = supplied
EOF
        local start end
        start=$(date -u -d "$((days - 2)) days" +%Y%m%d%H%M%SZ)
        end=$(date -u -d "$((days - 1)) days" +%Y%m%d%H%M%SZ)
        openssl ca -batch -config "$d/ca.cnf" -cert ca.pem -keyfile ca.key -in "$csr" -out "$out" \
            -startdate "$start" -enddate "$end" -extfile "$ext" -notext 2>/dev/null
        rm -rf "$d"
    fi
}

if [ "$ADD" = 0 ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
        -days 3650 -sha256 -subj "/CN=edgeloop fleet CA" 2>/dev/null
    printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$(san)" > server.ext
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr \
        -subj "/CN=${HOSTS%%,*}" 2>/dev/null
    sign server.csr server.pem "$DAYS" server.ext
    rm -f server.csr server.ext
fi

printf 'extendedKeyUsage=clientAuth\n' > client.ext
IFS=',' read -ra ids <<< "$ALL"
for id in "${ids[@]}"; do
    d="clients/$id"
    [ ! -e "$d/client.pem" ] || die "$d/client.pem exists already; remove it to issue a new certificate"
    mkdir -p "$d"
    cp ca.pem "$d/ca.pem"
    if [ "$AUTH" = cert ]; then
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/key.tmp" -out "$d/client.csr" \
            -subj "/CN=$id" 2>/dev/null
        openssl pkcs8 -topk8 -nocrypt -in "$d/key.tmp" -out "$d/client.key"
        rm -f "$d/key.tmp"
        sign "$d/client.csr" "$d/client.pem" "$DAYS" client.ext
        rm -f "$d/client.csr"
    else
        openssl rand -base64 24 | tr -d '\n' > "$d/password"
        touch passwords
        mosquitto_passwd -b passwords "$id" "$(cat "$d/password")"
    fi
done
rm -f client.ext ca.srl

# the ACL: one block per identity, no patterns (a pattern would apply to the roles too)
{
    echo "# generated by make-fleet-broker.sh; one block per identity (user = certificate CN or user name)"
    echo "# mosquitto denies everything not granted here"
    IFS=',' read -ra ds <<< "$DEVICES"
    for id in "${ds[@]}"; do
        echo
        echo "# device $id: publishes only under its own id, reads only its own and the fleet's deploy commands"
        echo "user $id"
        echo "topic write $PREFIX/$id/status"
        echo "topic write $PREFIX/$id/metrics"
        echo "topic write $PREFIX/$id/+/events"
        echo "topic write $PREFIX/$id/+/hard"
        echo "topic write $PREFIX/$id/deploy/status"
        echo "topic read $PREFIX/$id/deploy"
        echo "topic read $PREFIX/_fleet/deploy"
    done
    cs=(); [ -z "$COLLECTORS" ] || IFS=',' read -ra cs <<< "$COLLECTORS"
    for id in "${cs[@]+"${cs[@]}"}"; do
        echo
        echo "# collector $id: reads what devices publish, publishes nothing"
        echo "user $id"
        echo "topic read $PREFIX/+/status"
        echo "topic read $PREFIX/+/metrics"
        echo "topic read $PREFIX/+/+/events"
        echo "topic read $PREFIX/+/+/hard"
        echo "topic read $PREFIX/+/deploy/status"
    done
    ws=(); [ -z "$DEPLOYERS" ] || IFS=',' read -ra ws <<< "$DEPLOYERS"
    for id in "${ws[@]+"${ws[@]}"}"; do
        echo
        echo "# deploy role $id (trainer deploy): publishes deploy commands, reads status and deploy progress"
        echo "user $id"
        echo "topic readwrite $PREFIX/+/deploy"
        echo "topic readwrite $PREFIX/_fleet/deploy"
        echo "topic read $PREFIX/+/status"
        echo "topic read $PREFIX/+/deploy/status"
    done
} > acl.new
if [ "$ADD" = 1 ] && [ -e acl ]; then
    # keep the existing blocks, append the new identities' blocks
    awk 'NR > 2' acl.new >> acl
    rm -f acl.new
else
    mv acl.new acl
fi

{
    echo "# generated by make-fleet-broker.sh for mosquitto 2.x: TLS only, no anonymous access"
    echo "per_listener_settings false"
    echo "allow_anonymous false"
    echo "acl_file $FLEET/acl"
    echo
    echo "listener $PORT"
    echo "protocol mqtt"
    echo "cafile $FLEET/ca.pem"
    echo "certfile $FLEET/server.pem"
    echo "keyfile $FLEET/server.key"
    echo "tls_version tlsv1.2"
    if [ "$AUTH" = cert ]; then
        echo "require_certificate true"
        echo "use_identity_as_username true"
    else
        echo "require_certificate false"
        echo "password_file $FLEET/passwords"
    fi
} > mosquitto.conf
chmod 0644 ca.pem server.pem acl mosquitto.conf
find clients -name ca.pem -exec chmod 0644 {} + -o -name client.pem -exec chmod 0644 {} +

echo "fleet broker set-up in $FLEET ($AUTH authentication, TLS on port $PORT):"
echo "  mosquitto -c $FLEET/mosquitto.conf"
echo "  identities: $ALL (files in $FLEET/clients/<id>/)"
