#!/usr/bin/env bash
{{ header }}# Deploys main.bicep at subscription scope. ARM has no per-resource timeouts: while an account is busy with
# another operation, Azure refuses writes with RequestConflict ("Another operation is being performed"), and
# on a first deployment Azure may not yet honour what was just created (a role assignment the gateway needs
# to read its Key Vault certificate, an account another resource provider still sees provisioning). Those
# are retried a few times with a growing pause; other failures stop at once.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
command -v az >/dev/null 2>&1 || { echo "error: the Azure CLI (az) is required" >&2; exit 1; }

default_deployment={{ deployment_name | sh }}
deployment_name="${AOAIGEN_DEPLOYMENT_NAME:-$default_deployment}"
location={{ g.meta.location | sh }}
attempts=5
pause="${AOAIGEN_RETRY_PAUSE:-60}"
{% if g.access.assign_deployer %}
# main.bicepparam gives this identity the OpenAI User role: a signed-in user or a service principal.
if [ -z "${AOAIGEN_DEPLOYER_OBJECT_ID:-}" ]; then
  case "$(az account show --query user.type --output tsv)" in
    user) AOAIGEN_DEPLOYER_OBJECT_ID="$(az ad signed-in-user show --query id --output tsv)" ;;
    servicePrincipal)
      AOAIGEN_DEPLOYER_OBJECT_ID="$(az ad sp show --id "$(az account show --query user.name --output tsv)" --query id --output tsv)" ;;
    *) echo "error: cannot tell who is signed in; set AOAIGEN_DEPLOYER_OBJECT_ID" >&2; exit 1 ;;
  esac
  export AOAIGEN_DEPLOYER_OBJECT_ID
fi
{% endif %}{% if env_inputs %}
# main.bicepparam reads these from the environment (README.md, Deploy says what they hold); az would stop at
# the first unset one.
missing=""
{% for v in env_inputs %}[ -n "${ {{- v }}+set}" ] || missing="${missing} {{ v }}"
{% endfor %}if [ -n "$missing" ]; then
  echo "error: set${missing} before deploying (see README.md)" >&2
  exit 1
fi
{% endif %}
for attempt in $(seq 1 "$attempts"); do
  if log="$(az deployment sub create --name "$deployment_name" --location "$location" \
    --template-file "$root/main.bicep" --parameters "$root/main.bicepparam" --output none 2>&1)"; then
    echo "deployment ${deployment_name} succeeded"
    exit 0
  fi
  printf '%s\n' "$log" >&2
  case "$log" in
    *RequestConflict* | *"Another operation is being performed"* | *ApplicationGatewayKeyVaultSecretAccessDenied* | *AccountProvisioningStateInvalid*) ;;
    *) echo "error: deployment ${deployment_name} failed" >&2; exit 1 ;;
  esac
  if [ "$attempt" -lt "$attempts" ]; then
    echo "Azure is still busy or propagating; retrying in ${pause}s (attempt ${attempt} of ${attempts})" >&2
    sleep "$pause"
    pause=$((pause * 2))
  fi
done
echo "error: deployment ${deployment_name} still failed after ${attempts} attempts" >&2
exit 1
