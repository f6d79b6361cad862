#!/usr/bin/env bash
{{ header }}# Preflight: checks what Azure must allow before this project is deployed. It only reads.
#   model   every deployment's model, version and SKU is offered in its region (az cognitiveservices model list)
#   quota   free quota covers the planned capacity (az cognitiveservices usage list, under the quota name
#           the model list gives the SKU; pools shared by several regions are summed)
#   deleted no soft-deleted account holds a name this project creates (az cognitiveservices account list-deleted)
#   roles   the signed-in identity may create the role assignments this project makes
# Prints one table; exits 1 when a check finds a blocker, 2 on a usage error or when az cannot reach the
# subscription at all (not signed in).
# shellcheck disable=SC2016 # jq programs are single-quoted on purpose: their $names are jq's, not the shell's
set -euo pipefail
# Associative arrays need bash 4, empty arrays under `set -u` 4.4; macOS's /bin/bash is 3.2.
if [ "${BASH_VERSINFO[0]}" -lt 4 ] || { [ "${BASH_VERSINFO[0]}" -eq 4 ] && [ "${BASH_VERSINFO[1]}" -lt 4 ]; }; then
  echo "error: bash 4.4 or newer is required (macOS: \`brew install bash\`, then run it with that bash)" >&2
  exit 2
fi

usage() { echo "usage: $(basename "$0") [--subscription ID]"; }
subscription=""
while [ $# -gt 0 ]; do
  case "$1" in
    --subscription)
      [ $# -ge 2 ] || { usage >&2; exit 2; }
      subscription="$2"
      shift 2
      ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
command -v az >/dev/null 2>&1 || { echo "error: the Azure CLI (az) is required" >&2; exit 2; }
command -v jq >/dev/null 2>&1 || { echo "error: jq is required" >&2; exit 2; }

# What this project plans, settled by aoaigen: one entry per deployment, and one per account.
resource_group={{ g.preflight.resource_group | sh }}
creates_role_assignments={{ g.preflight.creates_role_assignments | sh }}
dep_region=(
{% for d in g.deployments %}  {{ d.account | sh }}
{% endfor %})
dep_name=(
{% for d in g.deployments %}  {{ d.name | sh }}
{% endfor %})
dep_model=(
{% for d in g.deployments %}  {{ d.model | sh }}
{% endfor %})
dep_version=(
{% for d in g.deployments %}  {{ d.version | sh }}
{% endfor %})
dep_sku=(
{% for d in g.deployments %}  {{ d.sku | sh }}
{% endfor %})
dep_capacity=(
{% for d in g.deployments %}  {{ d.capacity | sh }}
{% endfor %})
account_region=(
{% for a in g.accounts %}  {{ a.location | sh }}
{% endfor %})
account_name=(
{% for a in g.accounts %}  {{ a.name | sh }}
{% endfor %})

rows=()
sep=$'\x1f'
blockers=0
row() { # check, region, subject, result, detail
  rows+=("$1${sep}$2${sep}$3${sep}$4${sep}$5")
  if [ "$4" = BLOCKER ]; then blockers=$((blockers + 1)); fi
}

fatal() { echo "error: $1" >&2; exit 2; }
if [ -n "$subscription" ]; then
  account_json="$(az account show --subscription "$subscription" --output json)" ||
    fatal "az account show --subscription ${subscription} failed: sign in with \`az login\` and check the subscription ID"
else
  account_json="$(az account show --output json)" ||
    fatal "az account show failed: sign in with \`az login\` (and choose a subscription with --subscription)"
fi
subscription="$(jq -r '.id' <<<"$account_json")"
caller="$(jq -r '.user.name' <<<"$account_json")"

# Existing deployments of this project (a re-run after a deploy) already hold their quota.
rg_exists="$(az group exists --name "$resource_group" --subscription "$subscription" --output json)" ||
  fatal "az group exists failed: check that you may read subscription ${subscription}"
declare -A existing=()
# When they cannot be listed, quota that looks short may already be held: such shortfalls are warnings.
unsure_regions=" "
if [ "$rg_exists" = true ]; then
  if ! accounts_json="$(az cognitiveservices account list --resource-group "$resource_group" --subscription "$subscription" --output json)"; then
    accounts_json='[]'
    unsure_regions=" ${account_region[*]} "
  fi
  for i in "${!account_name[@]}"; do
    name="${account_name[$i]}"
    jq -e --arg n "$name" 'any(.[]; .name == $n)' <<<"$accounts_json" >/dev/null || continue
    if ! deployments_json="$(az cognitiveservices account deployment list --resource-group "$resource_group" \
      --name "$name" --subscription "$subscription" --output json)"; then
      unsure_regions="${unsure_regions}${account_region[$i]} "
      continue
    fi
    while IFS=$'\t' read -r dname dmodel dsku dcap; do
      if [ -n "$dname" ]; then existing["${name}/${dname}/${dmodel}/${dsku}"]="$dcap"; fi
    done < <(jq -r '.[] | [.name, .properties.model.name, .sku.name, (.sku.capacity // 0)] | @tsv' <<<"$deployments_json")
  done
fi

# Model offers and quota, region by region. Quota pools are keyed by scope and name: a regional pool
# serves one region, a global or data-zone pool every region that draws on it.
declare -A pool_need=() pool_free=() pool_detail=() pool_region=()
pool_keys=()
for i in "${!account_region[@]}"; do
  region="${account_region[$i]}"
  account="${account_name[$i]}"
  if ! models="$(az cognitiveservices model list --location "$region" --subscription "$subscription" --output json)"; then
    row model "$region" "(all deployments)" BLOCKER "az cognitiveservices model list failed"
    continue
  fi
  if ! usages="$(az cognitiveservices usage list --location "$region" --subscription "$subscription" --output json)"; then
    row quota "$region" "(all deployments)" BLOCKER "az cognitiveservices usage list failed: quota not checked"
    usages=''
  fi
  for j in "${!dep_region[@]}"; do
    [ "${dep_region[$j]}" = "$region" ] || continue
    model="${dep_model[$j]}" version="${dep_version[$j]}" sku="${dep_sku[$j]}" capacity="${dep_capacity[$j]}"
    subject="${dep_name[$j]}: ${model} ${version} ${sku}"
    offer="$(jq -r --arg m "$model" --arg v "$version" --arg s "$sku" '
      first(.[] | select(.kind == "OpenAI" and .model.format == "OpenAI" and .model.name == $m and .model.version == $v)
        | . as $item | .model.skus[]? | select(.name == $s)
        | [($item.model.lifecycleStatus // ""), (.usageName // "")] | @tsv) // empty' <<<"$models")"
    if [ -z "$offer" ]; then
      offered="$(jq -r --arg m "$model" '[.[] | select(.kind == "OpenAI" and .model.name == $m)
        | .model.version as $v | .model.skus[]? | "\($v) \(.name)"] | unique | join(", ")' <<<"$models")"
      row model "$region" "$subject" BLOCKER "not offered here${offered:+ (offered: ${offered})}"
      continue
    fi
    IFS=$'\t' read -r status usage_name <<<"$offer"
    case "$status" in
      Deprecated) row model "$region" "$subject" BLOCKER "retired (lifecycle Deprecated: calls return 410)" ;;
      Deprecating) row model "$region" "$subject" WARN "deprecating: only subscriptions with deployments of it may create new ones" ;;
      *) row model "$region" "$subject" OK "offered${status:+ (${status})}" ;;
    esac
    [ -n "$usages" ] || continue
    if [ -z "$usage_name" ]; then
      usage_name="OpenAI.${sku}.${model}"
    fi
    quota="$(jq -r --arg u "$usage_name" '
      first(.[] | select(.name.value == $u)
        | [(.limit // 0 | floor), (.currentValue // 0 | ceil), (.scopeType // "Regional"), (.scopeId // "")] | @tsv) // empty' <<<"$usages")"
    if [ -z "$quota" ]; then
      row quota "$region" "$usage_name" BLOCKER "no quota of this name here (limit 0): request quota for ${model} ${sku}"
      continue
    fi
    IFS=$'\t' read -r limit used scope scope_id <<<"$quota"
    if [ "$scope" = Regional ]; then
      key="Regional/${region}/${usage_name}"
    else
      key="${scope}/${scope_id}/${usage_name}"
    fi
    if [ -z "${pool_need[$key]+set}" ]; then
      pool_keys+=("$key")
      pool_need[$key]=0
      pool_free[$key]=$((limit - used))
      pool_detail[$key]="limit ${limit}, used ${used}"
      pool_region[$key]="$region"
    elif [ "$scope" != Regional ]; then
      pool_region[$key]="${pool_region[$key]} ${region}"
    fi
    held="${existing["${account}/${dep_name[$j]}/${model}/${sku}"]:-0}"
    pool_need[$key]=$((${pool_need[$key]} + capacity - held))
  done
done
for key in "${pool_keys[@]}"; do
  scope="${key%%/*}"
  usage_name="${key##*/}"
  need="${pool_need[$key]}"
  free="${pool_free[$key]}"
  where="${pool_region[$key]}"
  if [ "$scope" != Regional ]; then
    where="${scope} (${where})"
  fi
  unsure=""
  for r in ${pool_region[$key]}; do
    if [[ "$unsure_regions" == *" ${r} "* ]]; then unsure="$r"; fi
  done
  if [ "$need" -gt "$free" ] && [ -n "$unsure" ]; then
    row quota "$where" "$usage_name" WARN "needs up to ${need}, free ${free} (${pool_detail[$key]}): the project's deployments in ${unsure} could not be listed, and the quota they hold is counted as needed"
  elif [ "$need" -gt "$free" ]; then
    row quota "$where" "$usage_name" BLOCKER "needs ${need}, free ${free} (${pool_detail[$key]}): request more quota or lower capacity"
  else
    row quota "$where" "$usage_name" OK "needs ${need}, free ${free} (${pool_detail[$key]})"
  fi
done

# Soft-deleted accounts keep their names for 48 hours: creating an account with the same name fails.
if ! deleted="$(az cognitiveservices account list-deleted --subscription "$subscription" --output json)"; then
  row deleted "-" "(all accounts)" BLOCKER "az cognitiveservices account list-deleted failed: soft-deleted names not checked"
  deleted=''
fi
for i in "${!account_name[@]}"; do
  [ -n "$deleted" ] || break
  name="${account_name[$i]}"
  hits="$(jq -r --arg n "$name" '.[] | select((.name | ascii_downcase) == ($n | ascii_downcase))
    | [.location, ((.id // "") | capture("/resourceGroups/(?<rg>[^/]+)/"; "i").rg // "")] | @tsv' <<<"$deleted")"
  if [ -z "$hits" ]; then
    row deleted "${account_region[$i]}" "$name" OK "no soft-deleted account of this name"
    continue
  fi
  while IFS=$'\t' read -r location rg; do
    region="$(printf '%s' "$location" | tr -d ' ' | tr '[:upper:]' '[:lower:]')"
    row deleted "$region" "$name" BLOCKER "soft-deleted; purge it: az cognitiveservices account purge --location ${region} --resource-group ${rg} --name ${name}"
  done <<<"$hits"
done

# Role assignments need Microsoft.Authorization/roleAssignments/write where they are created.
allowed_filter='def glob: "^" + (gsub("(?<c>[.+?^${}()|\\[\\]\\\\])"; "\\\(.c)") | gsub("\\*"; ".*")) + "$";
  def grants($a): any(.actions[]?; . as $p | $a | test($p | glob; "i"))
    and (any(.notActions[]?; . as $p | $a | test($p | glob; "i")) | not);
  [.[] | select(grants("Microsoft.Authorization/roleAssignments/write"))]
  | if length == 0 then "no" elif any(.[]; (.condition // "") == "") then "yes" else "conditional" end'
if [ "$creates_role_assignments" != true ]; then
  row roles "-" "$caller" OK "not needed: this project creates no role assignments"
else
  if [ "$rg_exists" = true ]; then
    scope="resource group ${resource_group}"
    permissions="$(az rest --method get --output json \
      --url "https://management.azure.com/subscriptions/${subscription}/resourceGroups/${resource_group}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01" |
      jq '.value')" || permissions=""
  else
    # The resource group does not exist yet: what the caller holds on the subscription is what it will hold.
    scope="subscription ${subscription}"
    permissions=""
    if assignments="$(az role assignment list --assignee "$caller" --scope "/subscriptions/${subscription}" \
      --include-inherited --include-groups --subscription "$subscription" --output json)" &&
      definitions="$(az role definition list --scope "/subscriptions/${subscription}" --subscription "$subscription" --output json)"; then
      permissions="$(jq -n --argjson a "$assignments" --argjson d "$definitions" '
        [$a[] as $x | $d[] | select((.id | ascii_downcase) == ($x.roleDefinitionId | ascii_downcase))
          | .permissions[] | . + {condition: ($x.condition // "")}]')"
    fi
  fi
  if [ -z "$permissions" ]; then
    row roles "-" "$caller" WARN "could not be checked on ${scope}; make sure you may create role assignments there"
  else
    case "$(jq -r "$allowed_filter" <<<"$permissions")" in
      yes) row roles "-" "$caller" OK "may create role assignments on ${scope}" ;;
      conditional) row roles "-" "$caller" WARN "may create role assignments on ${scope} under a condition: check it allows the roles this project assigns" ;;
      *) row roles "-" "$caller" BLOCKER "may not create role assignments on ${scope}: ask for Role Based Access Control Administrator or User Access Administrator there" ;;
    esac
  fi
fi

{% raw %}widths=(5 6 7 6)
for r in "${rows[@]}"; do
  IFS="$sep" read -r c1 c2 c3 c4 _ <<<"$r"
  v=("$c1" "$c2" "$c3" "$c4")
  for k in 0 1 2 3; do
    if [ "${#v[k]}" -gt "${widths[k]}" ]; then widths[k]="${#v[k]}"; fi
  done
done
format="%-${widths[0]}s  %-${widths[1]}s  %-${widths[2]}s  %-${widths[3]}s  %s\n"{% endraw %}
# shellcheck disable=SC2059 # the format holds only the column widths computed above
printf "$format" CHECK REGION SUBJECT RESULT DETAIL
for r in "${rows[@]}"; do
  IFS="$sep" read -r c1 c2 c3 c4 c5 <<<"$r"
  # shellcheck disable=SC2059
  printf "$format" "$c1" "$c2" "$c3" "$c4" "$c5"
done
if [ "$blockers" -gt 0 ]; then
  echo "preflight: ${blockers} blocker(s) in subscription ${subscription}" >&2
  exit 1
fi
echo "preflight: no blockers in subscription ${subscription}" >&2
