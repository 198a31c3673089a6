//! docs/openapi.yaml as the tests read it: its operations, which spec path a concrete URL
//! path falls under, and JSON Schema validation of the answers the running app gives.

#![allow(dead_code)] // each test crate uses its own part of this module

pub mod client;

use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

pub const METHODS: [&str; 5] = ["GET", "POST", "PUT", "DELETE", "PATCH"];

pub struct Spec {
    doc: Value,
    validators: Mutex<HashMap<String, std::sync::Arc<jsonschema::Validator>>>,
}

/// One documented response: where its schema lives (if it has a body) and its required headers.
pub struct Documented {
    pub schema: Option<String>,
    pub required_headers: Vec<String>,
}

impl Spec {
    pub fn load() -> Spec {
        let path = e2e::repo_root().join("docs/openapi.yaml");
        let text = std::fs::read_to_string(&path).expect("docs/openapi.yaml is readable");
        let doc: Value = serde_norway::from_str(&text).expect("docs/openapi.yaml is valid YAML");
        assert_eq!(
            doc["openapi"].as_str().map(|v| v.starts_with("3.1")),
            Some(true),
            "OpenAPI 3.1"
        );
        Spec {
            doc,
            validators: Mutex::new(HashMap::new()),
        }
    }

    /// `(METHOD, /spec/{path})` for every operation.
    pub fn operations(&self) -> BTreeSet<(String, String)> {
        let mut ops = BTreeSet::new();
        for (path, item) in self.doc["paths"].as_object().expect("paths") {
            for method in METHODS {
                if item.get(method.to_ascii_lowercase()).is_some() {
                    ops.insert((method.to_string(), path.clone()));
                }
            }
        }
        ops
    }

    pub fn methods_of(&self, path: &str) -> BTreeSet<String> {
        self.operations()
            .into_iter()
            .filter(|(_, p)| p == path)
            .map(|(m, _)| m)
            .collect()
    }

    /// The spec path a concrete path belongs to; literal segments win over `{params}`.
    pub fn template_for(&self, concrete: &str) -> Option<String> {
        let wanted: Vec<&str> = concrete.split('/').collect();
        let paths = self.doc["paths"].as_object()?;
        paths
            .keys()
            .filter(|t| {
                let parts: Vec<&str> = t.split('/').collect();
                parts.len() == wanted.len()
                    && parts
                        .iter()
                        .zip(&wanted)
                        .all(|(t, w)| is_param(t) || t == w)
            })
            .min_by_key(|t| t.split('/').filter(|s| is_param(s)).count())
            .cloned()
    }

    /// The response documented for exactly this status (never `default`).
    pub fn documented(&self, method: &str, template: &str, status: u16) -> Option<Documented> {
        let mut pointer = format!(
            "/paths/{}/{}/responses/{status}",
            escape(template),
            method.to_ascii_lowercase()
        );
        let mut response = self.doc.pointer(&pointer)?;
        if let Some(target) = response.get("$ref").and_then(Value::as_str) {
            pointer = target.trim_start_matches('#').to_string();
            response = self
                .doc
                .pointer(&pointer)
                .unwrap_or_else(|| panic!("dangling {target}"));
        }
        let schema = response
            .pointer("/content/application~1json/schema")
            .map(|_| format!("#{pointer}/content/application~1json/schema"));
        let required_headers = response["headers"]
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(_, h)| self.resolve(h)["required"] == Value::Bool(true))
            .map(|(name, _)| name.to_ascii_lowercase())
            .collect();
        Some(Documented {
            schema,
            required_headers,
        })
    }

    /// Where the JSON request body schema of an operation lives, if it has one.
    pub fn request_schema(&self, method: &str, template: &str) -> Option<String> {
        let pointer = format!(
            "/paths/{}/{}/requestBody/content/application~1json/schema",
            escape(template),
            method.to_ascii_lowercase()
        );
        self.doc.pointer(&pointer).map(|_| format!("#{pointer}"))
    }

    /// Validates `instance` against the schema at `pointer` (`#/...`), with `$ref`s resolved
    /// inside the whole spec document.
    pub fn validate(&self, pointer: &str, instance: &Value) -> Result<(), String> {
        let validator = self.validator(pointer);
        let errors: Vec<String> = validator
            .iter_errors(instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        match errors.is_empty() {
            true => Ok(()),
            false => Err(errors.join("; ")),
        }
    }

    fn validator(&self, pointer: &str) -> std::sync::Arc<jsonschema::Validator> {
        let mut cache = self.validators.lock().unwrap();
        cache
            .entry(pointer.to_string())
            .or_insert_with(|| {
                // The whole document is the root resource, so `#/components/...` resolves.
                let mut root = self.doc.clone();
                // A URI fragment: braces of path templates must be percent-encoded.
                root["$ref"] = Value::String(pointer.replace('{', "%7B").replace('}', "%7D"));
                let validator = jsonschema::draft202012::new(&root)
                    .unwrap_or_else(|e| panic!("schema {pointer} does not compile: {e}"));
                std::sync::Arc::new(validator)
            })
            .clone()
    }

    /// Every example of the spec with the schema it illustrates: media-type `example` and
    /// `examples`, and the `examples` of the component schemas.
    pub fn examples(&self) -> Vec<(String, Value)> {
        let mut found = Vec::new();
        collect_examples(&self.doc, String::new(), &mut found);
        for (name, schema) in self.doc["components"]["schemas"]
            .as_object()
            .into_iter()
            .flatten()
        {
            for example in schema["examples"].as_array().into_iter().flatten() {
                found.push((format!("#/components/schemas/{name}"), example.clone()));
            }
        }
        found
    }

    fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        match value.get("$ref").and_then(Value::as_str) {
            Some(target) => self
                .doc
                .pointer(target.trim_start_matches('#'))
                .expect("dangling $ref"),
            None => value,
        }
    }
}

fn collect_examples(node: &Value, pointer: String, found: &mut Vec<(String, Value)>) {
    let Some(map) = node.as_object() else { return };
    if map.contains_key("schema") {
        let schema = format!("#{pointer}/schema");
        if let Some(example) = map.get("example") {
            found.push((schema.clone(), example.clone()));
        }
        for named in map
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            found.push((schema.clone(), named.1["value"].clone()));
        }
    }
    for (key, child) in map {
        if key != "schema" {
            collect_examples(child, format!("{pointer}/{}", escape(key)), found);
        }
    }
}

pub fn is_param(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

/// `{player}` and `{id}` become `{}`, so routes compare whatever the parameter names.
pub fn shape(template: &str) -> String {
    template
        .split('/')
        .map(|s| if is_param(s) { "{}" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

/// A JSON pointer token for a path: `~` → `~0`, `/` → `~1`.
fn escape(path: &str) -> String {
    path.replace('~', "~0").replace('/', "~1")
}
