//! Reading `az cognitiveservices model list --location <region> -o json` into an overlay region.
//!
//! Input: the JSON the CLI prints: an array of `Model` objects (the `value` of `ModelListResult` from
//! `GET /subscriptions/{id}/providers/Microsoft.CognitiveServices/locations/{location}/models`, REST API
//! definition `specification/cognitiveservices/resource-manager/Microsoft.CognitiveServices/stable/2026-05-01/
//! cognitiveservices.json` in Azure/azure-rest-api-specs at 888af7fa04dacd7d870d9107319ac5aac26ed60c), or the
//! whole `{"value": [...]}` that `az rest` prints. Output: an `OverlayRegion`, or errors naming the file and
//! the JSON path (`[3].model.skus[1].name`) or line:column. Only models of `kind` OpenAI and `format` OpenAI
//! are kept: those are what an Azure OpenAI account (kind OpenAI) deploys.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{
    Api, KNOWN_SKUS, OverlayLifecycle, OverlayModel, OverlayRegion, OverlaySku, OverlayVersion,
    SourceFile,
};

/// The fields aoaigen reads, with the types the REST definition gives them. The CLI prints `null` for
/// properties the service left out, so every optional property also accepts `null`.
fn input_schema() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        let s = |t: &str| json!({"type": [t, "null"]});
        let date = json!({"type": ["string", "null"]});
        let capacity = json!({
            "type": ["object", "null"],
            "properties": {
                "default": {"type": ["integer", "null"], "minimum": 0, "maximum": u32::MAX},
                "maximum": {"type": ["integer", "null"], "minimum": 0, "maximum": u32::MAX},
                "minimum": {"type": ["integer", "null"], "minimum": 0, "maximum": u32::MAX},
                "step": {"type": ["integer", "null"], "minimum": 0, "maximum": u32::MAX}
            }
        });
        let sku = json!({
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string"},
                "usageName": s("string"),
                "deprecationDate": date,
                "capacity": capacity
            }
        });
        let schema = json!({
            "type": "array",
            "items": {
                "type": "object",
                "required": ["kind", "model"],
                "properties": {
                    "kind": {"type": "string"},
                    "skuName": s("string"),
                    "description": s("string"),
                    "model": {
                        "type": "object",
                        "required": ["name", "version", "format"],
                        "properties": {
                            "name": {"type": "string", "minLength": 1},
                            "version": {"type": "string", "minLength": 1},
                            "format": {"type": "string"},
                            "isDefaultVersion": s("boolean"),
                            "lifecycleStatus": s("string"),
                            "maxCapacity": {"type": ["integer", "null"], "minimum": 0},
                            "capabilities": {"type": ["object", "null"], "additionalProperties": {"type": ["string", "null"]}},
                            "deprecation": {
                                "type": ["object", "null"],
                                "properties": {"inference": date, "fineTune": date, "deprecationStatus": s("string")}
                            },
                            "replacementConfig": {
                                "type": ["object", "null"],
                                "properties": {"targetModelName": s("string"), "targetModelVersion": s("string")}
                            },
                            "skus": {"type": ["array", "null"], "items": sku}
                        }
                    }
                }
            }
        });
        jsonschema::options()
            .build(&schema)
            .expect("the import schema compiles; this is a bug in aoaigen")
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    kind: String,
    model: Model,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Model {
    name: String,
    version: String,
    format: String,
    #[serde(default)]
    is_default_version: Option<bool>,
    #[serde(default)]
    lifecycle_status: Option<String>,
    #[serde(default)]
    capabilities: Option<BTreeMap<String, Option<String>>>,
    #[serde(default)]
    deprecation: Option<Deprecation>,
    #[serde(default)]
    replacement_config: Option<Replacement>,
    #[serde(default)]
    skus: Option<Vec<Sku>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Deprecation {
    #[serde(default)]
    inference: Option<String>,
    #[serde(default)]
    deprecation_status: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    #[serde(default)]
    target_model_name: Option<String>,
    #[serde(default)]
    target_model_version: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Sku {
    name: String,
    #[serde(default)]
    usage_name: Option<String>,
    #[serde(default)]
    deprecation_date: Option<String>,
    #[serde(default)]
    capacity: Option<Capacity>,
}

#[derive(Deserialize)]
struct Capacity {
    #[serde(default)]
    default: Option<u32>,
    #[serde(default)]
    maximum: Option<u32>,
}

/// One input file.
pub struct InputFile {
    /// The file name the overlay records (no directory, so the overlay does not depend on where it ran).
    pub name: String,
    /// The path as given, for messages.
    pub label: String,
    pub bytes: Vec<u8>,
}

/// The region's overlay entry from every file given for it (their models together). All errors of all
/// files are returned, each `file: location: message`.
pub fn import_region(files: &[InputFile], imported_on: &str) -> Result<OverlayRegion, Vec<String>> {
    let mut region = OverlayRegion {
        imported_on: imported_on.to_string(),
        files: vec![],
        other_formats_skipped: 0,
        models: BTreeMap::new(),
    };
    let mut errors = Vec::new();
    // Where each (model, version) was first seen, to name both places when two listings disagree.
    let mut seen: BTreeMap<(String, String), String> = BTreeMap::new();
    for f in files {
        region.files.push(SourceFile {
            name: f.name.clone(),
            sha256: hex(&Sha256::digest(&f.bytes)),
        });
        let before = errors.len();
        let items = match parse_file(f, &mut errors) {
            Some(i) => i,
            None => continue,
        };
        let mut openai = 0usize;
        for (i, item) in items.into_iter().enumerate() {
            if item.kind != "OpenAI" {
                continue;
            }
            if item.model.format != "OpenAI" {
                region.other_formats_skipped += 1;
                continue;
            }
            openai += 1;
            let at = format!("{}: [{i}]", f.label);
            let (name, version, v) = match convert(item.model, &at) {
                Ok(x) => x,
                Err(mut e) => {
                    errors.append(&mut e);
                    continue;
                }
            };
            let model = region
                .models
                .entry(name.clone())
                .or_insert_with(|| OverlayModel {
                    kind: String::new(),
                    versions: BTreeMap::new(),
                });
            let key = (name.clone(), version.clone());
            match model.versions.get(&version) {
                Some(existing) if *existing != v.1 => errors.push(format!(
                    "{at}: {name} {version} is listed again with different facts (first at {})",
                    seen[&key]
                )),
                Some(_) => {}
                None => {
                    if model.kind.is_empty() {
                        model.kind = v.0;
                    }
                    model.versions.insert(version, v.1);
                    seen.insert(key, at.clone());
                }
            }
        }
        if errors.len() == before && openai == 0 {
            errors.push(format!(
                "{}: lists no Azure OpenAI models (kind `OpenAI`, format `OpenAI`); is it the output of \
                 `az cognitiveservices model list --location <region> -o json` for a region that offers Azure OpenAI?",
                f.label
            ));
        }
    }
    if errors.is_empty() {
        Ok(region)
    } else {
        Err(errors)
    }
}

fn parse_file(f: &InputFile, errors: &mut Vec<String>) -> Option<Vec<Item>> {
    // PowerShell writes UTF-16 with `>` (Windows PowerShell 5) and a UTF-8 byte-order mark with
    // `Out-File -Encoding utf8`: the second is still UTF-8 JSON, the first needs saving again.
    if f.bytes.starts_with(&[0xFF, 0xFE]) || f.bytes.starts_with(&[0xFE, 0xFF]) {
        errors.push(format!(
            "{}: UTF-16 text; save the model list as UTF-8 (in PowerShell: `az ... -o json | Out-File -Encoding utf8 FILE`)",
            f.label
        ));
        return None;
    }
    let bytes = f.bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&f.bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            errors.push(format!(
                "{}: not UTF-8 (invalid byte at offset {})",
                f.label,
                e.valid_up_to()
            ));
            return None;
        }
    };
    if text.trim().is_empty() {
        errors.push(format!(
            "{}: the file is empty; save the output of `az cognitiveservices model list --location <region> -o json`",
            f.label
        ));
        return None;
    }
    let mut value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            errors.push(format!(
                "{}:{}:{}: not JSON: {}",
                f.label,
                e.line(),
                e.column(),
                strip_position(&e)
            ));
            return None;
        }
    };
    // `az rest` prints the whole page object; `az cognitiveservices model list` only its `value`.
    if let Some(inner) = value.as_object_mut().and_then(|o| o.remove("value"))
        && inner.is_array()
    {
        value = inner;
    }
    let before = errors.len();
    for e in input_schema().iter_errors(&value) {
        errors.push(format!(
            "{}: {}: {e}",
            f.label,
            json_path(e.instance_path().as_str())
        ));
    }
    if errors.len() > before {
        return None;
    }
    if value.as_array().is_some_and(Vec::is_empty) {
        errors.push(format!(
            "{}: the list is empty; the region offers no models, or the command ran against another location",
            f.label
        ));
        return None;
    }
    match serde_json::from_value(value) {
        Ok(items) => Some(items),
        Err(e) => {
            errors.push(format!(
                "{}: {e}; this is a bug in aoaigen (the shape was checked)",
                f.label
            ));
            None
        }
    }
}

/// `(name, version, (kind, facts))` of one OpenAI model, or errors at `at`.
#[allow(clippy::type_complexity)]
fn convert(m: Model, at: &str) -> Result<(String, String, (String, OverlayVersion)), Vec<String>> {
    let mut errors = Vec::new();
    // Names become overlay keys, table cells and deployment names: only what Azure names models with.
    if !crate::catalog::is_model_name(&m.name) {
        errors.push(format!(
            "{at}.model.name: `{}` is not a model name (1-64 letters, digits, `.`, `_`, `-`)",
            crate::catalog::shown_name(&m.name)
        ));
    }
    if !crate::catalog::is_model_name(&m.version) {
        errors.push(format!(
            "{at}.model.version: `{}` is not a model version (1-64 letters, digits, `.`, `_`, `-`)",
            crate::catalog::shown_name(&m.version)
        ));
    }
    let lifecycle = match m.lifecycle_status.as_deref() {
        None => None,
        Some("GenerallyAvailable" | "Stable") => Some(OverlayLifecycle::GA),
        Some("Preview") => Some(OverlayLifecycle::Preview),
        Some("Legacy") => Some(OverlayLifecycle::Legacy),
        Some("Deprecating") => Some(OverlayLifecycle::Deprecated),
        Some("Deprecated") => Some(OverlayLifecycle::Retired),
        Some(other) => {
            errors.push(format!(
                "{at}.model.lifecycleStatus: unknown lifecycle status `{}` (known: GenerallyAvailable, Stable, \
                 Preview, Legacy, Deprecating, Deprecated); this aoaigen predates it",
                crate::catalog::shown_name(other)
            ));
            None
        }
    };
    let retirement = m
        .deprecation
        .as_ref()
        .and_then(|d| d.inference.as_deref())
        .and_then(|d| date_of(d, &format!("{at}.model.deprecation.inference"), &mut errors));
    let mut skus = BTreeMap::new();
    for (j, s) in m.skus.unwrap_or_default().into_iter().enumerate() {
        let sp = format!("{at}.model.skus[{j}]");
        if !KNOWN_SKUS.contains(&s.name.as_str()) {
            errors.push(format!(
                "{sp}.name: unknown SKU name `{}` (known: {}); if Azure introduced it after this aoaigen, update aoaigen",
                crate::catalog::shown_name(&s.name),
                KNOWN_SKUS.join(", ")
            ));
            continue;
        }
        let retirement_date = s
            .deprecation_date
            .as_deref()
            .and_then(|d| date_of(d, &format!("{sp}.deprecationDate"), &mut errors));
        let sku = OverlaySku {
            default_capacity: s.capacity.as_ref().and_then(|c| c.default),
            max_capacity: s.capacity.as_ref().and_then(|c| c.maximum),
            // Only where it differs from the version's: the common case stays one fact.
            retirement_date: retirement_date.filter(|d| Some(d) != retirement.as_ref()),
            usage_name: s.usage_name,
        };
        if skus.insert(s.name.clone(), sku).is_some() {
            errors.push(format!("{sp}.name: SKU `{}` is listed twice", s.name));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let replacement = m.replacement_config.and_then(|r| {
        r.target_model_name
            .filter(|n| !n.is_empty())
            .map(|n| match r.target_model_version {
                Some(v) if !v.is_empty() => format!("{n} {v}"),
                _ => n,
            })
    });
    let kind = kind_of(&m.name, m.capabilities.as_ref());
    let apis = apis_of(m.capabilities.as_ref());
    Ok((
        m.name,
        m.version,
        (
            kind,
            OverlayVersion {
                lifecycle,
                lifecycle_status: m.lifecycle_status,
                default_version: m.is_default_version.unwrap_or(false),
                retirement_date: retirement,
                retirement_status: m.deprecation.and_then(|d| d.deprecation_status),
                replacement,
                apis,
                skus,
            },
        ),
    ))
}

/// The date part of an ISO 8601 date-time (`2026-10-14T00:00:00Z` -> `2026-10-14`).
fn date_of(s: &str, at: &str, errors: &mut Vec<String>) -> Option<String> {
    let head = s.get(..10).unwrap_or(s);
    match head.parse::<jiff::civil::Date>() {
        Ok(d) => Some(d.to_string()),
        Err(_) => {
            errors.push(format!(
                "{at}: `{}` is not a date-time such as 2026-10-14T00:00:00Z",
                crate::catalog::shown_name(s)
            ));
            None
        }
    }
}

/// The catalog's kind from the model's capabilities (`chatCompletion`, `embeddings`, ... set to `"true"`);
/// the name decides when capabilities say nothing.
fn kind_of(name: &str, caps: Option<&BTreeMap<String, Option<String>>>) -> String {
    let has = |k: &str| flag(caps, k);
    let kind = if has("embeddings") {
        "embedding"
    } else if has("imageGenerations") {
        "image"
    } else if has("videoGeneration") || has("videoGenerations") {
        "video"
    } else if has("audio") || has("realtime") || has("speechToText") || has("textToSpeech") {
        "audio"
    } else if has("chatCompletion") || has("responses") {
        "chat"
    } else if has("completion") {
        "completion"
    } else {
        return crate::catalog::unlisted::guess_kind(name).to_string();
    };
    kind.to_string()
}

/// The `capabilities` flags that name one data-plane API each. The REST definition types `capabilities` as a
/// map of strings without naming its keys (`AccountModel`, the file cited above); `completion` appears in
/// its example `ListLocationModels.json` (stable/2024-10-01), the others as the service lists them (the
/// samples in tests/data/az/model-list record `chatCompletion`, `responses` and `embeddings`). Flags that do
/// not name one API are left out: `audio` covers transcription, speech and audio chat alike, and
/// `assistants`, `agentsV2` or `jsonObjectResponse` are features, not paths the gateway routes.
const API_FLAGS: &[(&str, Api)] = &[
    ("chatCompletion", Api::ChatCompletions),
    ("responses", Api::Responses),
    ("completion", Api::Completions),
    ("embeddings", Api::Embeddings),
    ("imageGenerations", Api::Images),
    ("realtime", Api::Realtime),
];

/// The APIs the flags set to `"true"`, in the order examples prefer them; `None` when none is, so a
/// listing that says nothing about APIs leaves them to the capability data rather than to "no API".
fn apis_of(caps: Option<&BTreeMap<String, Option<String>>>) -> Option<Vec<Api>> {
    let listed: Vec<Api> = Api::ALL
        .into_iter()
        .filter(|a| API_FLAGS.iter().any(|(k, x)| x == a && flag(caps, k)))
        .collect();
    (!listed.is_empty()).then_some(listed)
}

/// A capability flag set to `"true"` (the service writes booleans as strings).
fn flag(caps: Option<&BTreeMap<String, Option<String>>>, key: &str) -> bool {
    caps.and_then(|c| c.get(key))
        .and_then(|v| v.as_deref())
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// `/3/model/skus/1/name` -> `[3].model.skus[1].name`; the root is `$`.
fn json_path(pointer: &str) -> String {
    if pointer.is_empty() {
        return "$".to_string();
    }
    let p = crate::spec::yaml::format_path(pointer);
    if p.starts_with('[') {
        p
    } else {
        format!("$.{p}")
    }
}

/// serde_json appends " at line L column C"; the location is already in front.
fn strip_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
