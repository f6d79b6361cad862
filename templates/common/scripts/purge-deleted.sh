#!/usr/bin/env bash
{{ header }}# Purges soft-deleted Azure OpenAI accounts of this project only, so their names and quota free up.
# An account matches when its name is this project's name root plus the abbreviation of its own region
# and it was deleted from this project's resource group. Dry run unless --yes is given.
set -euo pipefail
# Associative arrays need bash 4, empty arrays under `set -u` 4.4; macOS's /bin/bash is 3.2.
if [ "${BASH_VERSINFO[0]}" -lt 4 ] || { [ "${BASH_VERSINFO[0]}" -eq 4 ] && [ "${BASH_VERSINFO[1]}" -lt 4 ]; }; then
  echo "error: bash 4.4 or newer is required (macOS: \`brew install bash\`, then run it with that bash)" >&2
  exit 2
fi

usage() { echo "usage: $(basename "$0") [--yes]   (without --yes, only lists what would be purged)"; }
apply=false
case "${1:-}" in
  --yes) apply=true ;;
  "") ;;
  -h | --help) usage; exit 0 ;;
  *) usage >&2; exit 2 ;;
esac
command -v az >/dev/null 2>&1 || { echo "error: the Azure CLI (az) is required" >&2; exit 1; }

name_root={{ g.purge_scope.name_prefix | sh }}
resource_group={{ g.purge_scope.resource_group | sh }}
declare -A abbreviations=(
{% for r in g.purge_scope.regions %}  [{{ r.name | sh }}]={{ r.abbreviation | sh }}
{% endfor %})

# Listed first: a failing az inside `< <(...)` would pass unnoticed as "0 found".
if ! deleted="$(az cognitiveservices account list-deleted --query '[].[name, location, id]' --output tsv)"; then
  echo "error: az cognitiveservices account list-deleted failed: sign in with \`az login\` and check the subscription" >&2
  exit 1
fi

shopt -s nocasematch
found=0
while IFS=$'\t' read -r name location id; do
  [ -n "$name" ] || continue
  region="$(printf '%s' "$location" | tr -d ' ' | tr '[:upper:]' '[:lower:]')"
  abbreviation="${abbreviations[$region]:-}"
  [ -n "$abbreviation" ] && [ "$name" = "${name_root}${abbreviation}" ] || continue
  case "$id" in
    */resourceGroups/"$resource_group"/*) ;;
    *) continue ;;
  esac
  found=$((found + 1))
  if "$apply"; then
    az cognitiveservices account purge --location "$region" --resource-group "$resource_group" --name "$name"
    echo "purged ${name} (${region})"
  else
    echo "would purge ${name} (${region}); run with --yes to purge"
  fi
done <<<"$deleted"

echo "${found} soft-deleted account(s) of this project found"
