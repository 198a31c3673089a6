//! Spin variables: application variables declared in the manifest get their value from the
//! CLI (`--variable`), then `SPIN_VARIABLE_<NAME>`, then their default. A component only sees
//! the names it declares, each rendered from its `{{ template }}` once at start-up, so a
//! missing required variable stops the host before it serves anything.

use crate::manifest::{is_variable_name, VariableDecl};
use anyhow::{anyhow, bail, Context, Result};
use std::collections::{BTreeMap, HashMap};

/// The resolved values of the application variables.
#[derive(Debug, Default)]
pub struct Resolver {
    values: HashMap<String, String>,
}

impl Resolver {
    /// `overrides` are `--variable name=value` pairs; `env` looks up environment variables.
    pub fn new(
        decls: &BTreeMap<String, VariableDecl>,
        overrides: &[(String, String)],
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self> {
        let mut values = HashMap::new();
        for (name, decl) in decls {
            let from_cli = overrides
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone());
            let from_env = || env(&format!("SPIN_VARIABLE_{}", name.to_ascii_uppercase()));
            match from_cli.or_else(from_env).or_else(|| decl.default.clone()) {
                Some(v) => {
                    values.insert(name.clone(), v);
                }
                None if decl.required => bail!(
                    "variable `{name}` is required: set SPIN_VARIABLE_{} or pass --variable {name}=...",
                    name.to_ascii_uppercase()
                ),
                None => {}
            }
        }
        if let Some((name, _)) = overrides.iter().find(|(k, _)| !decls.contains_key(k)) {
            bail!("--variable {name}: no such application variable in the manifest");
        }
        Ok(Self { values })
    }

    /// Renders a component's variable templates, e.g. `"{{ secret }}"` or `"Bearer {{ token }}"`.
    pub fn render_component(
        &self,
        component: &str,
        templates: &BTreeMap<String, String>,
    ) -> Result<HashMap<String, String>> {
        templates
            .iter()
            .map(|(name, template)| {
                let value = self
                    .render(template)
                    .with_context(|| format!("component `{component}`: variable `{name}`"))?;
                Ok((name.clone(), value))
            })
            .collect()
    }

    pub fn render(&self, template: &str) -> Result<String> {
        let mut out = String::new();
        let mut rest = template;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let end = after
                .find("}}")
                .ok_or_else(|| anyhow!("unclosed `{{{{` in `{template}`"))?;
            let name = after[..end].trim();
            if !is_variable_name(name) {
                bail!("`{name}` is not a valid variable name");
            }
            let value = self.values.get(name).ok_or_else(|| {
                anyhow!("refers to `{name}`, which has no value (declare it under [variables])")
            })?;
            out.push_str(value);
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
