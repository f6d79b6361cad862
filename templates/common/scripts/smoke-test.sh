#!/usr/bin/env bash
{{ header }}# Calls every deployment through the gateway with an Entra ID token, as a client would.
set -euo pipefail
{% include "common/scripts/prelude.sh" %}
command -v curl >/dev/null 2>&1 || { echo "error: curl is required" >&2; exit 1; }
url="$(output {{ out.gateway_url }})"
api_version={{ g.meta.api_version | sh }}
token="$(az account get-access-token --scope https://cognitiveservices.azure.com/.default --query accessToken --output tsv)"
failures=0

call() {
  local deployment="$1" path="$2" body="$3" status
  # The token goes to curl on a file descriptor, not the command line, where other users could read it.
  status="$(curl --silent --show-error --output /dev/null --write-out '%{http_code}' --max-time 120 \
    --header @<(printf 'Authorization: Bearer %s\n' "$token") --header 'Content-Type: application/json' \
    --data "$body" "${url}/openai/deployments/${deployment}/${path}?api-version=${api_version}")" || status=000
  if [ "$status" = 200 ]; then
    echo "ok   ${deployment} (${path})"
  else
    echo "FAIL ${deployment} (${path}): HTTP ${status}"
    failures=$((failures + 1))
  fi
}

{% for p in g.gateway.pools %}{% if p.smoke_test %}call {{ p.deployment | sh }} {{ p.smoke_test.path | sh }} {{ p.smoke_test.body | sh }}
{% else %}echo {{ "skip " ~ p.deployment ~ " (" ~ p.kind ~ " model: no quick synchronous call to test)" | sh }}
{% endif %}{% endfor %}
[ "$failures" -eq 0 ] || { echo "${failures} deployment(s) failed" >&2; exit 1; }
