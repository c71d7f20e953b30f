#!/bin/sh
# hmac_vectors.sh writes hmac_vectors.json: the HMAC test vectors computed
# with sha256sum and openssl only, independently of icims/hmac.go.
# Run from icims/testdata:  sh hmac_vectors.sh > hmac_vectors.json
set -eu

sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
hm() { printf '%s' "$2" | openssl dgst -sha256 -hmac "$1" | sed 's/^.*= //'; }
js() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | awk 'BEGIN{ORS=""} NR>1{print "\\n"} {print}'; }

# vector NAME METHOD HOST ESCAPED_PATH RAW_QUERY CANONICAL_QUERY BODY USER KEY DATE
vector() {
	name=$1 method=$2 host=$3 path=$4 rawq=$5 canq=$6 body=$7 user=$8 key=$9 date=${10}
	bodysha=$(sha "$body")
	canon=$(printf '%s\n%s\n%s\nhost:%s\nx-icims-content-sha256:%s\nx-icims-date:%s\n\nhost;x-icims-content-sha256;x-icims-date\n%s' \
		"$method" "$path" "$canq" "$host" "$bodysha" "$date" "$bodysha")
	tosign=$(printf 'x-icims-v1-hmac-sha256\n%s\n%s' "$date" "$(sha "$canon")")
	sig=$(hm "$key" "$tosign")
	url="http://$host$path"
	[ -n "$rawq" ] && url="$url?$rawq"
	printf '  {"name": "%s", "method": "%s", "url": "%s", "body": "%s", "user": "%s", "key": "%s", "date": "%s",\n' \
		"$name" "$method" "$url" "$(js "$body")" "$user" "$key" "$date"
	printf '   "content_sha256": "%s", "canonical_request": "%s", "signature": "%s"}' \
		"$bodysha" "$(js "$canon")" "$sig"
}

echo '['
vector get-person-with-fields GET 127.0.0.1:8080 /sandbox/icims/api/customers/1234/people/17 \
	'fields=lastname,firstname,email' 'fields=lastname%2Cfirstname%2Cemail' '' \
	hmac-1234 hmac-key-1234 20240305T090807Z
echo ','
vector post-event-sorted-query POST jobcannon.example.com /icims/events \
	'b=2&a=z&a=y%20x' 'a=y+x&a=z&b=2' '{"eventType":"WorkFlowStatusChangeEvent","customerId":"1234"}' \
	hmac-1234 hmac-key-1234 20251231T235959Z
echo ','
vector patch-result-escaped-path PATCH api.icims.com /customers/9876/applicantworkflows/55/fields/assessmentresults/a%2Fb \
	'' '' '{"assessmentstatus":{"id":"D37002019001"}}' \
	hmac-9876 hmac-key-9876 20190410T191200Z
echo
echo ']'
