#!/bin/sh
# hmac_vectors.sh writes hmac_vectors.json: the HMAC test vectors computed
# with printf, sha256sum, gzip, base64 and openssl only, independently of
# icims/hmac.go. Run from icims/testdata:  sh hmac_vectors.sh > hmac_vectors.json
#
# "sign" vectors are our calls to iCIMS: SignHMAC must produce exactly these
# headers. "verify" vectors are events as iCIMS sends them: VerifyHMAC must
# accept or refuse each as it says, at the vector's clock.
set -eu

sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
hm() { printf '%s' "$2" | openssl dgst -sha256 -hmac "$1" | sed 's/^.*= //'; }
js() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | awk 'BEGIN{ORS=""} NR>1{print "\\n"} {print}'; }
b64() { printf '%s' "$1" | base64 -w0; }
gz64() { printf '%s' "$1" | gzip -9 -n | base64 -w0; }
gzsha() { printf '%s' "$1" | gzip -9 -n | sha256sum | cut -d' ' -f1; }

# canon METHOD PATH RAWQUERY SORTED_HEADER_LINES SIGNEDHEADERS: the contract's
# canonical request, nothing after the signed-headers line.
canon() { printf '%s\n%s\n%s\n%s\n\n%s' "$1" "$2" "$3" "$4" "$5"; }
# sig KEY DATE CANONICAL
sig() { hm "$1" "$(printf 'x-icims-v1-hmac-sha256\n%s\n%s' "$2" "$(sha "$3")")"; }

# sign NAME METHOD HOST PATH RAWQUERY CONTENT_TYPE BODY USER KEY DATE
# Content-Type is signed only when the request has one.
sign() {
	name=$1 method=$2 host=$3 path=$4 rawq=$5 ctype=$6 body=$7 user=$8 key=$9 date=${10}
	bodysha=$(sha "$body")
	lines=$(printf 'host:%s\nx-icims-content-sha256:%s\nx-icims-date:%s' "$host" "$bodysha" "$date")
	signed='host;x-icims-content-sha256;x-icims-date'
	if [ -n "$ctype" ]; then
		lines=$(printf 'content-type:%s\n%s' "$ctype" "$lines")
		signed="content-type;$signed"
	fi
	c=$(canon "$method" "$path" "$rawq" "$lines" "$signed")
	s=$(sig "$key" "$date" "$c")
	url="https://$host$path"
	[ -n "$rawq" ] && url="$url?$rawq"
	printf '  {"name": "%s", "method": "%s", "url": "%s", "content_type": "%s", "body": "%s", "user": "%s", "key": "%s", "date": "%s",\n' \
		"$name" "$method" "$url" "$ctype" "$(js "$body")" "$user" "$key" "$date"
	printf '   "content_sha256": "%s", "canonical_request": "%s",\n   "authorization": "x-icims-v1-hmac-sha256 user=%s, signedheaders=%s, signature=%s"}' \
		"$bodysha" "$(js "$c")" "$user" "$signed" "$s"
}

# verify NAME URL HEADERS_JSON WIRE_BASE64 USER KEY NOW WANT_REASON WANT_LAYOUT WANT_BODY_HASH
verify() {
	printf '  {"name": "%s", "method": "POST", "url": "%s", "headers": {%s},\n   "wire_base64": "%s", "user": "%s", "key": "%s", "now": "%s",\n   "want_reason": "%s", "want_layout": "%s", "want_body_hash": "%s"}' \
		"$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$9" "${10}"
}

echo '{"sign": ['
sign get-person-with-fields GET 127.0.0.1:8080 /sandbox/icims/api/customers/1234/people/17 \
	'fields=lastname,firstname,email' '' '' \
	hmac-1234 hmac-key-1234 2024-03-05T09:08:07Z
echo ','
sign post-person-query-kept-raw POST api.icims.com /customers/1234/people \
	'b=2&a=z&a=y%20x' 'application/json' '{"firstname":"Ana","lastname":"María"}' \
	hmac-1234 hmac-key-1234 2025-12-31T23:59:59Z
echo ','
sign patch-result-escaped-path PATCH api.icims.com /customers/9876/applicantworkflows/55/fields/assessmentresults/a%2Fb \
	'' 'application/json' '{"assessmentstatus":{"id":"D37002019001"}}' \
	hmac-9876 hmac-key-9876 2019-04-10T19:12:00Z
echo
echo '],'

# The event iCIMS staff posted in 2017, rebuilt around a body of ours:
# customer 6268, posting user 244, the date with +0000, content-type signed,
# no spaces after the commas, the hash of the body bytes as sent.
host=jobcannon.example.com
path=/icims/events
url="https://$host$path"
user=icims-6268
key=vendor-hmac-key-6268
date='2017-10-18T14:53:40+0000'
now='2017-10-18T14:53:40Z'
api=https://api.icims.com/customers/6268
body='{"eventType":"WorkFlowStatusChangeEvent","customerId":"6268","systemId":"11742","jobId":"1287","personId":"9631","userId":"244","oldStatus":"C36951","newStatus":"C36952","links":[{"rel":"applicantWorkflow","title":"Applicant Workflow","url":"'$api'/applicantworkflows/11742"},{"rel":"job","title":"Job Profile","url":"'$api'/jobs/1287"},{"rel":"person","title":"Person Profile","url":"'$api'/people/9631"},{"rel":"user","title":"Posting User","url":"'$api'/people/244"}]}'
link="$api/applicantworkflows/11742;rel=\"applicantWorkflow\";title=\"Applicant Workflow\",$api/jobs/1287;rel=\"job\";title=\"Job Profile\",$api/people/9631;rel=\"person\";title=\"Person Profile\",$api/people/244;rel=\"user\";title=\"Posting User\","
all='content-type;host;x-icims-content-sha256;x-icims-date'

# event_headers DATE SIGNEDHEADERS HASH SIGNING_KEY TRAILING(yes|no) COMMA_SEPARATOR CONTENT_ENCODING:
# the headers of an event as JSON members.
event_headers() {
	d=$1 signed=$2 h=$3 k=$4 trailing=$5 sep=$6 enc=$7
	lines=$(printf 'content-type:application/json\nhost:%s\nx-icims-content-sha256:%s\nx-icims-date:%s' "$host" "$h" "$d")
	case $signed in
	'host;x-icims-date') lines=$(printf 'host:%s\nx-icims-date:%s' "$host" "$d") ;;
	'content-type;x-icims-content-sha256;x-icims-date') lines=$(printf 'content-type:application/json\nx-icims-content-sha256:%s\nx-icims-date:%s' "$h" "$d") ;;
	esac
	c=$(canon POST "$path" '' "$lines" "$signed")
	[ "$trailing" = yes ] && c=$(printf '%s\n%s' "$c" "$h")
	s=$(sig "$k" "$d" "$c")
	hdr='"Content-Type": "application/json", "x-icims-date": "'$d'"'
	[ -n "$h" ] && hdr="$hdr"', "x-icims-content-sha256": "'$h'"'
	[ -n "$enc" ] && hdr="$hdr"', "Content-Encoding": "'$enc'"'
	printf '%s, "Authorization": "x-icims-v1-hmac-sha256 user=%s%ssignedheaders=%s%ssignature=%s", "Link": "%s"' \
		"$hdr" "$user" "$sep" "$signed" "$sep" "$s" "$(js "$link")"
}

bodysha=$(sha "$body")
echo '"verify": ['
verify icims-2017-sample "$url" "$(event_headers "$date" "$all" "$bodysha" "$key" no ',' '')" \
	"$(b64 "$body")" "$user" "$key" "$now" '' signed-headers-last wire
echo ','
verify trailing-content-hash-line "$url" "$(event_headers "$date" "$all" "$bodysha" "$key" yes ',' '')" \
	"$(b64 "$body")" "$user" "$key" "$now" '' trailing-content-hash wire
echo ','
verify gzip-hash-of-inflated-json "$url" "$(event_headers "$date" "$all" "$bodysha" "$key" no ',' gzip)" \
	"$(gz64 "$body")" "$user" "$key" "$now" '' signed-headers-last inflated
echo ','
verify gzip-hash-of-wire-bytes "$url" "$(event_headers "$date" "$all" "$(gzsha "$body")" "$key" no ',' gzip)" \
	"$(gz64 "$body")" "$user" "$key" "$now" '' signed-headers-last wire
echo ','
verify rfc3339-date-minimal-list-spaces "$url" "$(event_headers "$now" 'host;x-icims-date' '' "$key" no ', ' '')" \
	"$(b64 "$body")" "$user" "$key" '2017-10-18T14:57:00Z' '' signed-headers-last absent
echo ','
verify wrong-content-hash "$url" "$(event_headers "$date" "$all" "$(sha '{"eventType":"x"}')" "$key" no ',' '')" \
	"$(b64 "$body")" "$user" "$key" "$now" 'body hash mismatch' '' ''
echo ','
verify replayed-too-old "$url" "$(event_headers "$date" "$all" "$bodysha" "$key" no ',' '')" \
	"$(b64 "$body")" "$user" "$key" '2017-10-18T14:58:41Z' 'date skew' '' ''
echo ','
verify dated-in-future "$url" "$(event_headers "$date" "$all" "$bodysha" "$key" no ',' '')" \
	"$(b64 "$body")" "$user" "$key" '2017-10-18T14:48:39Z' 'date skew' '' ''
echo ','
verify host-not-signed "$url" "$(event_headers "$date" 'content-type;x-icims-content-sha256;x-icims-date' "$bodysha" "$key" no ',' '')" \
	"$(b64 "$body")" "$user" "$key" "$now" 'malformed header' '' ''
echo ','
verify signed-with-other-key "$url" "$(event_headers "$date" "$all" "$bodysha" other-key no ',' '')" \
	"$(b64 "$body")" "$user" "$key" "$now" 'bad signature' '' ''
echo
echo ']}'
