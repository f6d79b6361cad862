#!/usr/bin/env bash
{{ header }}# Calls every deployment through the gateway with an Entra ID token, as a client would: each with an API
# its model answers, on the v1 route (/d/<deployment>/openai/v1/...) and, where the API has one, the classic
# route (/openai/deployments/<deployment>/...); then one streamed answer, which must arrive as events.
set -euo pipefail
{% include "common/scripts/prelude.sh" %}
command -v curl >/dev/null 2>&1 || { echo "error: curl is required" >&2; exit 1; }
url="$(output {{ out.gateway_url }})"
classic_api_version={{ g.meta.classic_api_version | sh }}
token="$(az account get-access-token --scope {{ g.meta.token_scope | sh }} --query accessToken --output tsv)"
failures=0

# request LABEL URL BODY [CURL-ARGS...]: POSTs BODY to URL; prints the HTTP status, the body goes to $reply.
reply="$(mktemp)"
trap 'rm -f "$reply"' EXIT
request() {
  local url_="$1" body="$2"
  shift 2
  # The token goes to curl on a file descriptor, not the command line, where other users could read it.
  curl --silent --show-error --output "$reply" --write-out '%{http_code}' --max-time 300 "$@" \
    --header @<(printf 'Authorization: Bearer %s\n' "$token") --header 'Content-Type: application/json' \
    --data "$body" "$url_" || echo 000
}

check() {
  local label="$1" status="$2"
  if [ "$status" = 200 ]; then
    echo "ok   ${label}"
  else
    echo "FAIL ${label}: HTTP ${status}"
    failures=$((failures + 1))
  fi
}

call() {
  local deployment="$1" path="$2" body="$3" classic="$4"
  check "${deployment} v1 ${path}" "$(request "${url}/d/${deployment}/openai/v1/${path}" "$body")"
  if [ "$classic" = yes ]; then
    check "${deployment} classic ${path}" \
      "$(request "${url}/openai/deployments/${deployment}/${path}?api-version=${classic_api_version}" "$body")"
  fi
}

{% for p in g.gateway.pools %}{% if p.smoke_test %}call {{ p.deployment | sh }} {{ p.smoke_test.path | sh }} {{ p.smoke_test.body | sh }} {% if p.smoke_test.classic %}yes{% else %}no{% endif %}
{% else %}echo {{ "skip " ~ p.deployment ~ " (" ~ p.model ~ ": no quick synchronous call among its APIs)" | sh }}
{% endif %}{% endfor %}{% for p in g.gateway.pools %}{% if p.deployment == g.gateway.example_deployment and p.smoke_test and p.smoke_test.stream_body %}
# Response buffering is off on the gateway: a streamed answer arrives as server-sent events.
stream_deployment={{ p.deployment | sh }}
stream_path={{ p.smoke_test.path | sh }}
label="${stream_deployment} v1 ${stream_path} (stream)"
status="$(request "${url}/d/${stream_deployment}/openai/v1/${stream_path}" {{ p.smoke_test.stream_body | sh }} --no-buffer)"
if [ "$status" = 200 ] && grep -q '^data: ' "$reply"; then
  echo "ok   ${label}"
else
  echo "FAIL ${label}: HTTP ${status}, no server-sent events"
  failures=$((failures + 1))
fi
{% endif %}{% endfor %}
[ "$failures" -eq 0 ] || { echo "${failures} call(s) failed" >&2; exit 1; }
