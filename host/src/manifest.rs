//! `spin.toml` (manifest version 2): the subset of fields this host runs, parsed into typed
//! values. Fields Spin documents but this host does not act on are accepted and ignored so
//! that one manifest serves both hosts; unknown fields are errors, as typos should be.

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

// A missing `Option` field is `None` without `#[serde(default)]`; collections need it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub spin_manifest_version: u32,
    pub application: Application,
    #[serde(default)]
    pub variables: BTreeMap<String, VariableDecl>,
    #[serde(default)]
    pub trigger: Triggers,
    #[serde(default)]
    pub component: BTreeMap<String, Component>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    pub name: String,
    pub version: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    pub trigger: Option<toml::Value>,
}

/// An application variable: a default value, or `required`; `secret` only affects logging.
#[derive(Debug, Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct VariableDecl {
    pub default: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub secret: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Triggers {
    #[serde(default)]
    pub http: Vec<HttpTrigger>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpTrigger {
    pub route: RouteDecl,
    pub component: String,
    pub id: Option<String>,
    pub executor: Option<toml::Value>,
}

/// `route = "/path/..."` or `route = { private = true }`.
#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
pub enum RouteDecl {
    Path(String),
    Private { private: bool },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    pub source: String,
    pub description: Option<String>,
    #[serde(default)]
    pub files: Vec<FileMount>,
    #[serde(default)]
    pub exclude_files: Vec<String>,
    #[serde(default)]
    pub key_value_stores: Vec<String>,
    #[serde(default)]
    pub allowed_outbound_hosts: Vec<String>,
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
    #[serde(default)]
    pub environment: BTreeMap<String, String>,
    pub build: Option<BuildConfig>,
}

/// `files` entry: a glob relative to the manifest, or a directory mapped to a guest path.
#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
pub enum FileMount {
    Pattern(String),
    Mapped { source: String, destination: String },
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct BuildConfig {
    pub command: String,
    pub workdir: Option<String>,
    #[serde(default)]
    pub watch: Vec<String>,
}

/// A manifest with the directory its relative paths are resolved against.
#[derive(Debug)]
pub struct LoadedManifest {
    pub path: PathBuf,
    pub dir: PathBuf,
    pub manifest: Manifest,
}

impl LoadedManifest {
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read manifest {}", path.display()))?;
        let manifest =
            parse(&text).with_context(|| format!("invalid manifest {}", path.display()))?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        Ok(Self {
            path: path.to_path_buf(),
            dir,
            manifest,
        })
    }

    pub fn resolve(&self, relative: &str) -> PathBuf {
        self.dir.join(relative)
    }
}

pub fn parse(text: &str) -> Result<Manifest> {
    let manifest: Manifest = toml::from_str(text)?;
    validate(&manifest)?;
    Ok(manifest)
}

fn validate(m: &Manifest) -> Result<()> {
    if m.spin_manifest_version != 2 {
        bail!(
            "field `spin_manifest_version`: only version 2 is supported, found {}",
            m.spin_manifest_version
        );
    }
    for name in m.variables.keys() {
        if !is_variable_name(name) {
            bail!("field `variables.{name}`: names are lowercase letters, digits and `_`, starting with a letter");
        }
    }
    for (id, c) in &m.component {
        if !is_component_id(id) {
            bail!("field `component.{id}`: ids are lowercase kebab-case (letters, digits, `-`)");
        }
        if c.source.trim().is_empty() {
            bail!("field `component.{id}.source` is empty");
        }
        for name in c.variables.keys() {
            if !is_variable_name(name) {
                bail!("field `component.{id}.variables.{name}`: invalid variable name");
            }
        }
    }
    for (i, t) in m.trigger.http.iter().enumerate() {
        if !m.component.contains_key(&t.component) {
            bail!(
                "field `trigger.http[{i}].component`: no component `{}` is declared",
                t.component
            );
        }
        if t.executor.is_some() {
            bail!("field `trigger.http[{i}].executor`: only the default executor is supported");
        }
        match &t.route {
            RouteDecl::Path(p) if !p.starts_with('/') => {
                bail!("field `trigger.http[{i}].route`: `{p}` must start with `/`")
            }
            RouteDecl::Private { private: false } => {
                bail!("field `trigger.http[{i}].route`: use a path, or `{{ private = true }}`")
            }
            _ => {}
        }
    }
    Ok(())
}

/// Spin's rule for variable names: `[a-z][a-z0-9_]*`.
pub fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_component_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
pub(crate) mod tests;
