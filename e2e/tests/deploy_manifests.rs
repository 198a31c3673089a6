//! deploy/ (the SpinKube resources) holds together: every manifest is valid against the
//! published schemas, the check rejects broken ones, and the resources agree with each other
//! and with spin.toml. The probe paths answer on the running app. What none of this shows:
//! how a real cluster, spin-operator and containerd-shim-spin take them (docs/deploy.md).

mod deploy;

use deploy::{all_manifests, app_secrets, kustomized_manifests, yaml_documents, Schemas};
use e2e::{repo_root, TestHost};
use host::manifest::LoadedManifest;
use host::runtime_config::{RuntimeConfig, StoreConfig};
use serde_json::{json, Value};
use std::collections::BTreeSet;

fn the(kind: &str) -> Value {
    let found: Vec<Value> = all_manifests()
        .into_iter()
        .map(|(_, doc)| doc)
        .filter(|doc| doc["kind"] == kind)
        .collect();
    assert_eq!(found.len(), 1, "one {kind} in deploy/");
    found.into_iter().next().unwrap()
}

fn secret_named(name: &str) -> Value {
    all_manifests()
        .into_iter()
        .map(|(_, doc)| doc)
        .find(|doc| doc["kind"] == "Secret" && doc["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("a Secret {name} in deploy/"))
}

fn spin_toml() -> LoadedManifest {
    LoadedManifest::load(&repo_root().join("spin.toml")).expect("spin.toml")
}

#[test]
fn every_manifest_in_deploy_is_valid_against_the_published_schemas() {
    let schemas = Schemas::load();
    let manifests = all_manifests();
    let kinds: BTreeSet<String> = manifests
        .iter()
        .map(|(_, d)| d["kind"].to_string())
        .collect();
    assert_eq!(
        kinds,
        ["\"HorizontalPodAutoscaler\"", "\"Secret\"", "\"SpinApp\""]
            .map(String::from)
            .into(),
        "the kinds deploy/ is meant to hold"
    );
    for (file, manifest) in manifests {
        assert_eq!(schemas.problems(&manifest), Vec::<String>::new(), "{file}");
    }
}

#[test]
fn the_check_rejects_a_misspelt_field_a_wrong_type_and_a_missing_required_field() {
    let schemas = Schemas::load();
    let spinapp = the("SpinApp");
    let hpa = the("HorizontalPodAutoscaler");
    let broken: Vec<(&str, Value)> = vec![
        (
            "a misspelt spec field",
            with(&spinapp, "/spec/replica", json!(3)),
        ),
        (
            "a misspelt probe field",
            with(&spinapp, "/spec/checks/readiness/httpGet/pth", json!("/")),
        ),
        (
            "a string for a boolean",
            with(&spinapp, "/spec/enableAutoscaling", json!("yes")),
        ),
        (
            "a malformed quantity",
            with(&spinapp, "/spec/resources/requests/cpu", json!("lots")),
        ),
        ("no image", without(&spinapp, "/spec", "image")),
        (
            "a misspelt metadata field",
            with(&spinapp, "/metadata/lables", json!({})),
        ),
        ("no maxReplicas", without(&hpa, "/spec", "maxReplicas")),
        (
            "a number as a replica bound",
            with(&hpa, "/spec/minReplicas", json!("two")),
        ),
        (
            "a secret value that is not a string",
            with(&app_secrets(), "/stringData/daily_secret", json!(7)),
        ),
        (
            "an unknown kind",
            with(&spinapp, "/kind", json!("SpinAppp")),
        ),
        (
            "an old API version",
            with(&hpa, "/apiVersion", json!("autoscaling/v2beta1")),
        ),
    ];
    for (what, manifest) in broken {
        assert_ne!(
            schemas.problems(&manifest),
            Vec::<String>::new(),
            "{what} passes the check"
        );
    }
}

/// `doc` with `value` at `pointer` (whose parent must exist).
fn with(doc: &Value, pointer: &str, value: Value) -> Value {
    let mut doc = doc.clone();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    doc.pointer_mut(parent).expect(parent)[key] = value;
    doc
}

fn without(doc: &Value, parent: &str, key: &str) -> Value {
    let mut doc = doc.clone();
    doc.pointer_mut(parent)
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove(key);
    doc
}

#[test]
fn the_kustomization_applies_every_manifest_file_of_deploy() {
    let listed: BTreeSet<String> = kustomized_manifests().into_iter().map(|(f, _)| f).collect();
    let on_disk: BTreeSet<String> = std::fs::read_dir(repo_root().join("deploy"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".yaml") && name != "kustomization.yaml")
        .map(|name| format!("deploy/{name}"))
        .collect();
    assert_eq!(listed, on_disk);
}

/// kubectl's own kustomize renders deploy/ into the same valid manifests, where kubectl is
/// installed (it is not a test dependency: without it this says so and checks nothing more).
#[test]
fn kubectl_kustomize_renders_deploy_into_valid_manifests() {
    let Ok(out) = std::process::Command::new("kubectl")
        .args(["kustomize", "deploy"])
        .current_dir(repo_root())
        .output()
    else {
        eprintln!("kubectl is not installed: the kustomization is checked by file only");
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rendered = yaml_documents(&String::from_utf8(out.stdout).unwrap());
    let schemas = Schemas::load();
    for manifest in &rendered {
        assert_eq!(
            schemas.problems(manifest),
            Vec::<String>::new(),
            "{manifest}"
        );
    }
    let names = |docs: Vec<Value>| -> BTreeSet<String> {
        docs.iter()
            .map(|d| format!("{}/{}", d["kind"], d["metadata"]["name"]))
            .collect()
    };
    let files = kustomized_manifests().into_iter().map(|(_, d)| d).collect();
    assert_eq!(names(rendered), names(files));
}

#[test]
fn the_spinapp_binds_every_secret_variable_of_spin_toml_to_the_secret_app_secrets_writes() {
    let secret_variables: BTreeSet<String> = spin_toml()
        .manifest
        .variables
        .iter()
        .filter(|(_, decl)| decl.secret)
        .map(|(name, _)| name.clone())
        .collect();
    let secrets = app_secrets();
    let written: BTreeSet<String> = secrets["stringData"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        written, secret_variables,
        "deploy/app-secrets writes one key per secret variable"
    );
    for value in secrets["stringData"].as_object().unwrap().values() {
        assert_eq!(
            value.as_str().unwrap().len(),
            64,
            "32 random bytes in hex: {value}"
        );
    }
    assert_ne!(
        app_secrets()["stringData"],
        secrets["stringData"],
        "fresh values every run"
    );

    let bound: BTreeSet<String> = the("SpinApp")["spec"]["variables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let from = &v["valueFrom"]["secretKeyRef"];
            assert_eq!(from["name"], secrets["metadata"]["name"], "{v}");
            assert_eq!(from["key"], v["name"], "{v}");
            v["name"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(
        bound, secret_variables,
        "the SpinApp reads each secret variable from the Secret"
    );
}

#[test]
fn the_runtime_config_secret_puts_every_store_label_of_spin_toml_on_redis() {
    let spinapp = the("SpinApp");
    let name = spinapp["spec"]["runtimeConfig"]["loadFromSecret"]
        .as_str()
        .unwrap();
    // spin-operator mounts this one key as the pod's runtime config.
    let toml = secret_named(name)["stringData"]["runtime-config.toml"]
        .as_str()
        .expect("a runtime-config.toml key")
        .to_owned();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("runtime-config.toml");
    std::fs::write(&file, toml).unwrap();
    let config =
        RuntimeConfig::load(Some(&file), dir.path()).expect("a runtime config the host reads");

    let labels: BTreeSet<String> = spin_toml()
        .manifest
        .component
        .values()
        .flat_map(|c| c.key_value_stores.clone())
        .collect();
    for label in &labels {
        assert!(
            matches!(config.stores.get(label), Some(StoreConfig::Redis { .. })),
            "label {label} on Redis: {:?}",
            config.stores.get(label)
        );
    }
}

#[test]
fn the_autoscaler_alone_sets_the_replicas_of_the_deployment_the_operator_makes() {
    let spinapp = the("SpinApp");
    let hpa = the("HorizontalPodAutoscaler");
    // spin-operator names the Deployment after the SpinApp.
    assert_eq!(
        hpa["spec"]["scaleTargetRef"],
        json!({ "apiVersion": "apps/v1", "kind": "Deployment", "name": spinapp["metadata"]["name"] })
    );
    assert_eq!(spinapp["spec"]["enableAutoscaling"], true);
    assert!(
        spinapp["spec"].get("replicas").is_none(),
        "replicas and autoscaling exclude each other"
    );
    // Utilisation is a share of the request: without one the HPA cannot scale on it.
    for metric in hpa["spec"]["metrics"].as_array().unwrap() {
        let resource = metric["resource"]["name"].as_str().unwrap();
        assert!(
            spinapp["spec"]["resources"]["requests"][resource].is_string(),
            "{resource} request"
        );
    }
    assert!(hpa["spec"]["minReplicas"].as_u64().unwrap() >= 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_probe_paths_of_the_spinapp_answer_200_on_the_running_app() {
    let checks = the("SpinApp")["spec"]["checks"].clone();
    let app = TestHost::builder("spin.toml").start().await;
    for probe in ["readiness", "liveness"] {
        let path = checks[probe]["httpGet"]["path"].as_str().expect(probe);
        let status = reqwest::get(app.url(path)).await.unwrap().status();
        assert_eq!(status, 200, "{probe} probe GET {path}");
    }
}
