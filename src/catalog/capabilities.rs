//! What each model speaks (APIs), who may deploy it (access gating) and how long the gateway waits for it
//! (request-timeout family): the data in `data/capabilities.yaml`, apart from the model-region facts.
//!
//! Input: the embedded YAML, and APIs stated elsewhere (`Stated`: the spec's `apis` of an `unlisted` model,
//! an overlay's record of Azure's model list). Output: `CapabilityCatalog::for_deployment`, total: stated
//! APIs win; a model without an entry (an overlay-only or `unlisted` model) gets the defaults of its
//! catalog kind, and an unknown kind gets no API and the standard timeout, so no lookup can fail.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A data-plane API the gateway routes and the examples call.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Api {
    ChatCompletions,
    Responses,
    Completions,
    Embeddings,
    Images,
    Videos,
    AudioTranscriptions,
    AudioSpeech,
    Realtime,
}

impl Api {
    /// Every API, in the order examples prefer them (chat before responses, as the kind defaults list them).
    pub const ALL: [Api; 9] = [
        Api::ChatCompletions,
        Api::Responses,
        Api::Completions,
        Api::Embeddings,
        Api::Images,
        Api::Videos,
        Api::AudioTranscriptions,
        Api::AudioSpeech,
        Api::Realtime,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Api::ChatCompletions => "chat_completions",
            Api::Responses => "responses",
            Api::Completions => "completions",
            Api::Embeddings => "embeddings",
            Api::Images => "images",
            Api::Videos => "videos",
            Api::AudioTranscriptions => "audio_transcriptions",
            Api::AudioSpeech => "audio_speech",
            Api::Realtime => "realtime",
        }
    }
}

/// Why a model cannot simply be deployed by anyone with quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GatingKind {
    /// A limited-access application must be approved first.
    Registration,
    /// The subscription's quota tier must include the model (or quota must be requested).
    QuotaTier,
}

impl GatingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GatingKind::Registration => "registration",
            GatingKind::QuotaTier => "quota_tier",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            GatingKind::Registration => "needs an approved limited-access registration",
            GatingKind::QuotaTier => {
                "needs a subscription quota tier that includes it (or a quota request)"
            }
        }
    }
}

/// Access gating of a model, with where to apply.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Gating {
    pub kind: GatingKind,
    pub url: String,
    pub source: String,
}

/// Where a fact comes from.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Source {
    pub title: String,
    pub url: String,
    #[serde(default)]
    pub repo: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub commit: Option<String>,
    #[serde(default)]
    pub ms_date: Option<String>,
    pub read_on: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiEntry {
    pub v1_path: String,
    pub stateful: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeoutFamily {
    pub seconds: u32,
    pub why: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindDefaults {
    pub apis: Vec<Api>,
    pub timeout_family: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelCapabilities {
    pub apis: Vec<Api>,
    pub timeout_family: String,
    /// A key of `sources`, or `kind-default` when no model-specific page was found.
    pub source: String,
    #[serde(default)]
    pub gating: Option<Gating>,
    #[serde(default)]
    pub note: Option<String>,
}

/// The parsed file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapabilityCatalog {
    pub schema_version: u32,
    pub generated_on: String,
    pub sources: BTreeMap<String, Source>,
    pub apis: BTreeMap<Api, ApiEntry>,
    pub timeout_families: BTreeMap<String, TimeoutFamily>,
    pub kinds: BTreeMap<String, KindDefaults>,
    pub models: IndexMap<String, ModelCapabilities>,
}

/// What a lookup answers: settled facts, never a miss.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Capabilities {
    pub apis: Vec<Api>,
    pub timeout_family: String,
    pub timeout_seconds: u32,
    pub gating: Option<Gating>,
    /// Where the APIs come from: `spec` (the spec's `apis`), `overlay` (Azure's model list, imported),
    /// `model` (an entry of its own), `kind` (the kind's defaults) or `fallback` (unknown kind).
    pub from: &'static str,
}

/// APIs stated for one deployment outside this file. Both win over the model's entry and its kind's
/// defaults: the spec's `apis` is what the author states for an `unlisted` model, and the overlay's is what
/// Azure's own model list said (its `capabilities` flags) where the deployment runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stated<'a> {
    pub spec: Option<&'a [Api]>,
    pub overlay: Option<&'a [Api]>,
}

impl Capabilities {
    pub fn has(&self, api: Api) -> bool {
        self.apis.contains(&api)
    }
}

/// The timeout family of models whose kind is unknown as well.
const FALLBACK_FAMILY: &str = "standard";

impl CapabilityCatalog {
    pub fn parse(text: &str) -> Result<Self, String> {
        let loaded = crate::spec::yaml::load(text).map_err(|d| d.message)?;
        let c: CapabilityCatalog =
            serde_json::from_value(loaded.value).map_err(|e| e.to_string())?;
        c.check()?;
        Ok(c)
    }

    /// References inside the file resolve: families, sources, APIs of every kind and model.
    fn check(&self) -> Result<(), String> {
        // An overlay or a spec may name any API, so every one needs its path.
        if let Some(api) = Api::ALL.iter().find(|a| !self.apis.contains_key(a)) {
            return Err(format!("API `{}` has no entry", api.as_str()));
        }
        if !self.timeout_families.contains_key(FALLBACK_FAMILY) {
            return Err(format!("timeout family `{FALLBACK_FAMILY}` is missing"));
        }
        let families = self
            .kinds
            .iter()
            .map(|(k, d)| (k.as_str(), &d.timeout_family))
            .chain(
                self.models
                    .iter()
                    .map(|(k, m)| (k.as_str(), &m.timeout_family)),
            );
        for (what, family) in families {
            if !self.timeout_families.contains_key(family) {
                return Err(format!("{what}: unknown timeout family `{family}`"));
            }
        }
        for (name, m) in &self.models {
            if m.source != "kind-default" && !self.sources.contains_key(&m.source) {
                return Err(format!("{name}: unknown source `{}`", m.source));
            }
            if let Some(g) = &m.gating
                && !self.sources.contains_key(&g.source)
            {
                return Err(format!("{name}: unknown gating source `{}`", g.source));
            }
            if let Some(api) = m.apis.iter().find(|a| !self.apis.contains_key(a)) {
                return Err(format!("{name}: API `{}` has no entry", api.as_str()));
            }
        }
        Ok(())
    }

    /// The capabilities of `model`, whose catalog kind is `kind`. Total.
    pub fn for_model(&self, model: &str, kind: &str) -> Capabilities {
        let seconds = |family: &str| {
            self.timeout_families
                .get(family)
                .or_else(|| self.timeout_families.get(FALLBACK_FAMILY))
                .map_or(300, |f| f.seconds)
        };
        if let Some(m) = self.models.get(model) {
            return Capabilities {
                apis: m.apis.clone(),
                timeout_seconds: seconds(&m.timeout_family),
                timeout_family: m.timeout_family.clone(),
                gating: m.gating.clone(),
                from: "model",
            };
        }
        match self.kinds.get(kind) {
            Some(k) => Capabilities {
                apis: k.apis.clone(),
                timeout_seconds: seconds(&k.timeout_family),
                timeout_family: k.timeout_family.clone(),
                gating: None,
                from: "kind",
            },
            None => Capabilities {
                apis: vec![],
                timeout_seconds: seconds(FALLBACK_FAMILY),
                timeout_family: FALLBACK_FAMILY.to_string(),
                gating: None,
                from: "fallback",
            },
        }
    }

    /// The capabilities of a deployment of `model`: `for_model`, with the APIs `stated` for it (the spec's
    /// first, then the overlay's) in place of the ones recorded here. Timeout family and gating stay.
    pub fn for_deployment(&self, model: &str, kind: &str, stated: Stated) -> Capabilities {
        let mut c = self.for_model(model, kind);
        let apis = stated
            .spec
            .map(|a| (a, "spec"))
            .or(stated.overlay.map(|a| (a, "overlay")));
        if let Some((apis, from)) = apis {
            c.apis = apis.to_vec();
            c.from = from;
        }
        c
    }

    /// Whether an API keeps state in one account.
    pub fn stateful(&self, api: Api) -> bool {
        self.apis.get(&api).is_some_and(|a| a.stateful)
    }

    /// The path after `/openai/v1/` of an API.
    pub fn v1_path(&self, api: Api) -> &str {
        self.apis.get(&api).map_or("", |a| a.v1_path.as_str())
    }
}

/// The capability data compiled into this binary.
pub fn embedded() -> &'static CapabilityCatalog {
    static CAPS: OnceLock<CapabilityCatalog> = OnceLock::new();
    CAPS.get_or_init(|| {
        CapabilityCatalog::parse(include_str!("data/capabilities.yaml")).unwrap_or_else(|e| {
            panic!("the embedded capabilities do not load ({e}); this is a bug in aoaigen")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_model_has_an_entry() {
        let caps = embedded();
        let missing: Vec<&String> = super::super::embedded()
            .models
            .keys()
            .filter(|m| !caps.models.contains_key(*m))
            .collect();
        assert!(
            missing.is_empty(),
            "models.yaml models without an entry in capabilities.yaml: {missing:?}"
        );
    }

    #[test]
    fn every_catalog_kind_has_defaults() {
        let caps = embedded();
        for (name, m) in &super::super::embedded().models {
            assert!(
                caps.kinds.contains_key(&m.kind),
                "{name}: kind {} has no defaults",
                m.kind
            );
        }
    }

    #[test]
    fn lookups_are_total() {
        let caps = embedded();
        let unlisted = caps.for_model("some-overlay-model", "chat");
        assert_eq!(unlisted.from, "kind");
        assert_eq!(unlisted.apis, [Api::ChatCompletions, Api::Responses]);
        assert_eq!(unlisted.timeout_seconds, 300);
        let unknown = caps.for_model("x", "hologram");
        assert_eq!(unknown.from, "fallback");
        assert!(unknown.apis.is_empty());
        assert_eq!(unknown.timeout_seconds, 300);
    }

    #[test]
    fn facts_pinned_from_microsofts_pages() {
        // R1 (reasoning models, API & feature support): these have no Chat Completions API.
        let caps = embedded();
        for m in [
            "codex-mini",
            "gpt-5-codex",
            "gpt-5.1-codex",
            "gpt-5.1-codex-mini",
            "gpt-5.1-codex-max",
            "gpt-5.2-codex",
            "gpt-5.3-codex",
            "gpt-5-pro",
            "gpt-5.4-pro",
            "o3-pro",
        ] {
            let c = caps.for_model(m, "chat");
            assert_eq!(c.apis, [Api::Responses], "{m}");
        }
        let gpt51 = caps.for_model("gpt-5.1", "chat");
        assert!(gpt51.has(Api::ChatCompletions) && gpt51.has(Api::Responses));
        assert_eq!(gpt51.timeout_seconds, 900);
        // R2: registration; R5: quota by tier.
        let cu = caps.for_model("computer-use-preview", "chat");
        assert_eq!(cu.gating.unwrap().kind, GatingKind::Registration);
        assert_eq!(
            caps.for_model("gpt-5.5", "chat").gating.unwrap().kind,
            GatingKind::QuotaTier
        );
        assert!(caps.for_model("gpt-4.1", "chat").gating.is_none());
        assert_eq!(
            caps.for_model("text-embedding-3-large", "embedding").apis,
            [Api::Embeddings]
        );
    }

    #[test]
    fn stated_apis_win_and_keep_timeout_and_gating() {
        let caps = embedded();
        // An overlay's listing replaces the model's own entry; its timeout family stays.
        let listed = caps.for_deployment(
            "gpt-5.1",
            "chat",
            Stated {
                spec: None,
                overlay: Some(&[Api::Responses]),
            },
        );
        assert_eq!(
            (listed.apis.as_slice(), listed.from),
            (&[Api::Responses][..], "overlay")
        );
        assert_eq!(listed.timeout_seconds, 900);
        // The spec's statement wins over the overlay's; gating stays with the model.
        let spec = caps.for_deployment(
            "computer-use-preview",
            "chat",
            Stated {
                spec: Some(&[Api::Responses, Api::ChatCompletions]),
                overlay: Some(&[Api::ChatCompletions]),
            },
        );
        assert_eq!(spec.apis, [Api::Responses, Api::ChatCompletions]);
        assert_eq!(spec.from, "spec");
        assert_eq!(spec.gating.unwrap().kind, GatingKind::Registration);
        // Nothing stated: the lookup as before.
        assert_eq!(
            caps.for_deployment("gpt-5.1", "chat", Stated::default()),
            caps.for_model("gpt-5.1", "chat")
        );
    }

    #[test]
    fn every_api_has_a_path() {
        let base = include_str!("data/capabilities.yaml");
        let bad = base.replace("  realtime: { v1_path: realtime, stateful: false }\n", "");
        assert_ne!(bad, base);
        let e = CapabilityCatalog::parse(&bad).unwrap_err();
        // Checked for every API, before any model's: an overlay or a spec may name one no model uses.
        assert_eq!(e, "API `realtime` has no entry");
    }

    #[test]
    fn broken_references_are_rejected() {
        let base = include_str!("data/capabilities.yaml");
        let bad = base.replace(
            "codex-mini: { apis: [responses], timeout_family: reasoning, source: R1 }",
            "codex-mini: { apis: [responses], timeout_family: glacial, source: R1 }",
        );
        assert_ne!(bad, base);
        let e = CapabilityCatalog::parse(&bad).unwrap_err();
        assert!(e.contains("glacial"), "{e}");
    }
}
