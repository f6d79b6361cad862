#!/usr/bin/env bash
{{ header }}# Purges soft-deleted Azure OpenAI accounts of this project only, so their names and quota free up.
# An account matches when its name is this project's name root plus the abbreviation of its own region
# and it was deleted from this project's resource group. Dry run unless --yes is given.
set -euo pipefail

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
done < <(az cognitiveservices account list-deleted --query '[].[name, location, id]' --output tsv)

echo "${found} soft-deleted account(s) of this project found"
