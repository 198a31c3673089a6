//! deploy/'s Kubernetes manifests, and the published schemas they are checked against
//! (deploy/schemas/README.md says where each comes from): offline, as `kubeconform -strict`
//! does, so a misspelt or misplaced field is an error rather than something the API server
//! would drop without a word.

use e2e::repo_root;
use jsonschema::Validator;
use serde_json::{json, Value};
use std::path::Path;

/// Every document of a YAML stream (split at `---` lines), as JSON values.
pub fn yaml_documents(text: &str) -> Vec<Value> {
    let mut docs = vec![String::new()];
    for line in text.lines() {
        match line.trim_end() == "---" {
            true => docs.push(String::new()),
            false => docs.last_mut().unwrap().push_str(&format!("{line}\n")),
        }
    }
    let blank = |doc: &String| {
        doc.lines()
            .all(|l| l.trim().is_empty() || l.starts_with('#'))
    };
    docs.iter()
        .filter(|doc| !blank(doc))
        .map(|doc| serde_norway::from_str::<Value>(doc).expect("valid YAML"))
        .collect()
}

pub fn read(path: impl AsRef<Path>) -> String {
    let path = repo_root().join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The manifests `kubectl apply -k deploy/` applies, each with the file it comes from.
pub fn kustomized_manifests() -> Vec<(String, Value)> {
    let kustomization = &yaml_documents(&read("deploy/kustomization.yaml"))[0];
    kustomization["resources"]
        .as_array()
        .expect("kustomization resources")
        .iter()
        .flat_map(|file| {
            let file = format!("deploy/{}", file.as_str().unwrap());
            yaml_documents(&read(&file))
                .into_iter()
                .map(move |doc| (file.clone(), doc))
        })
        .collect()
}

/// What `deploy/app-secrets` prints: the Secret of the app's secret variables.
pub fn app_secrets() -> Value {
    let out = std::process::Command::new(repo_root().join("deploy/app-secrets"))
        .output()
        .expect("deploy/app-secrets runs");
    assert!(
        out.status.success(),
        "deploy/app-secrets failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = yaml_documents(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(docs.len(), 1, "deploy/app-secrets prints one manifest");
    docs.into_iter().next().unwrap()
}

/// Every manifest of deploy/ with where it comes from: the kustomization's and the Secret that
/// deploy/app-secrets writes.
pub fn all_manifests() -> Vec<(String, Value)> {
    let mut all = kustomized_manifests();
    all.push(("deploy/app-secrets".into(), app_secrets()));
    all
}

pub struct Schemas {
    kinds: Vec<(&'static str, &'static str, Validator)>,
    object_meta: Validator,
}

impl Schemas {
    pub fn load() -> Schemas {
        let secret = openapi("kubernetes/core-v1-secret.json");
        let hpa = openapi("kubernetes/autoscaling-v2.json");
        Schemas {
            kinds: vec![
                ("core.spinkube.dev/v1alpha1", "SpinApp", spinapp_crd()),
                (
                    "v1",
                    "Secret",
                    compile(&secret, "io.k8s.api.core.v1.Secret"),
                ),
                (
                    "autoscaling/v2",
                    "HorizontalPodAutoscaler",
                    compile(&hpa, "io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler"),
                ),
            ],
            // A CRD leaves `metadata` open; the API server still holds it to ObjectMeta.
            object_meta: compile(&secret, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"),
        }
    }

    /// Why `manifest` is not valid, empty when it is. A kind without a schema is a problem too
    /// (kubeconform without `-ignore-missing-schemas`).
    pub fn problems(&self, manifest: &Value) -> Vec<String> {
        let (api_version, kind) = (&manifest["apiVersion"], &manifest["kind"]);
        let Some((_, _, validator)) = self
            .kinds
            .iter()
            .find(|(v, k, _)| api_version == *v && kind == *k)
        else {
            return vec![format!(
                "no schema for apiVersion {api_version}, kind {kind}"
            )];
        };
        let mut problems = errors(validator, manifest, "");
        problems.extend(errors(
            &self.object_meta,
            &manifest["metadata"],
            "/metadata",
        ));
        if manifest["metadata"]["name"]
            .as_str()
            .unwrap_or("")
            .is_empty()
        {
            problems.push("metadata.name is missing".into());
        }
        problems
    }
}

fn errors(validator: &Validator, instance: &Value, at: &str) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {at}{}", e.instance_path()))
        .collect()
}

fn openapi(file: &str) -> Value {
    serde_json::from_str(&read(format!("deploy/schemas/{file}"))).expect("schema JSON")
}

/// The schema `#/components/schemas/<name>` of an OpenAPI document, made strict.
fn compile(doc: &Value, name: &str) -> Validator {
    let mut root = doc.clone();
    strict(&mut root);
    root["$ref"] = json!(format!("#/components/schemas/{name}"));
    jsonschema::draft202012::new(&root).unwrap_or_else(|e| panic!("{name} does not compile: {e}"))
}

/// The SpinApp CRD's schema of its one served version, made strict.
fn spinapp_crd() -> Validator {
    let crd = yaml_documents(&read(
        "deploy/schemas/spinkube/core.spinkube.dev_spinapps.yaml",
    ))
    .remove(0);
    let version = crd["spec"]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "v1alpha1")
        .expect("v1alpha1 in the CRD");
    let mut schema = version["schema"]["openAPIV3Schema"].clone();
    strict(&mut schema);
    jsonschema::draft202012::new(&schema).expect("the CRD's schema compiles")
}

/// kubeconform's `-strict`: an object schema that lists its properties accepts no others,
/// unless it says otherwise (`additionalProperties`, or Kubernetes'
/// `x-kubernetes-preserve-unknown-fields`).
fn strict(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            let open = map.contains_key("additionalProperties")
                || map.get("x-kubernetes-preserve-unknown-fields") == Some(&json!(true));
            if map.contains_key("properties") && !open {
                map.insert("additionalProperties".into(), json!(false));
            }
            map.values_mut().for_each(strict);
        }
        Value::Array(items) => items.iter_mut().for_each(strict),
        _ => {}
    }
}
