here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
command -v az >/dev/null 2>&1 || { echo "error: the Azure CLI (az) is required" >&2; exit 1; }
{% if target == "terraform" %}
# Names come from this project's Terraform outputs (after `terraform apply`), never from hard-coded IDs.
command -v terraform >/dev/null 2>&1 || { echo "error: terraform is required" >&2; exit 1; }
output() { terraform -chdir="$root" output -raw "$1"; }
{% else %}
# Names come from the outputs of the subscription deployment made with `az deployment sub create`.
[ -f "$root/main.bicep" ] || { echo "error: ${here} is not the scripts folder of the generated Bicep project" >&2; exit 1; }
default_deployment={{ deployment_name | sh }}
deployment_name="${AOAIGEN_DEPLOYMENT_NAME:-$default_deployment}"
output() { az deployment sub show --name "$deployment_name" --query "properties.outputs.$1.value" --output tsv; }
{% endif %}
