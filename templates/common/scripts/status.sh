#!/usr/bin/env bash
{{ header }}# Shows the accounts, their deployments with capacity, and the gateway's backend health.
set -euo pipefail
{% include "common/scripts/prelude.sh" %}
openai_rg="$(output {{ out.openai_resource_group }})"
gateway_rg="$(output {{ out.gateway_resource_group }})"
gateway="$(output {{ out.gateway_name }})"

echo "== Azure OpenAI accounts in ${openai_rg}"
while IFS= read -r account; do
  [ -n "$account" ] || continue
  az cognitiveservices account show --resource-group "$openai_rg" --name "$account" \
    --query '{account:name, location:location, state:properties.provisioningState, endpoint:properties.endpoint}' \
    --output table
  az cognitiveservices account deployment list --resource-group "$openai_rg" --name "$account" \
    --query '[].{deployment:name, model:properties.model.name, version:properties.model.version, sku:sku.name, capacity:sku.capacity, state:properties.provisioningState}' \
    --output table
done < <(output {{ out.account_names }})

echo "== Backend health of ${gateway}"
az network application-gateway show-backend-health --resource-group "$gateway_rg" --name "$gateway" \
  --query 'backendAddressPools[].{pool:backendAddressPool.id, servers:backendHttpSettingsCollection[0].servers[].{address:address, health:health}}' \
  --output json
