//! `--runtime-config-file`: where each key-value label lives. Like Spin, a relative SQLite
//! path is resolved against the folder of the runtime config file, and the `default` label
//! falls back to `<state-dir>/sqlite_key_value.db` when it is not configured.

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    key_value_store: BTreeMap<String, RawStore>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStore {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreConfig {
    Sqlite { path: PathBuf },
    Redis { url: String },
}

#[derive(Debug, Default)]
pub struct RuntimeConfig {
    pub source: Option<PathBuf>,
    pub stores: BTreeMap<String, StoreConfig>,
}

impl RuntimeConfig {
    pub fn load(path: Option<&Path>, state_dir: &Path) -> Result<Self> {
        let mut config = match path {
            None => RuntimeConfig::default(),
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read runtime config {}", path.display()))?;
                let base = path.parent().unwrap_or(Path::new("."));
                let stores = parse(&text, base)
                    .with_context(|| format!("invalid runtime config {}", path.display()))?;
                RuntimeConfig {
                    source: Some(path.to_path_buf()),
                    stores,
                }
            }
        };
        config
            .stores
            .entry("default".to_string())
            .or_insert_with(|| StoreConfig::Sqlite {
                path: state_dir.join("sqlite_key_value.db"),
            });
        Ok(config)
    }
}

fn parse(text: &str, base: &Path) -> Result<BTreeMap<String, StoreConfig>> {
    let raw: RawConfig = toml::from_str(text)?;
    let mut stores = BTreeMap::new();
    for (label, store) in raw.key_value_store {
        let field = format!("key_value_store.{label}");
        let config = match (store.kind.as_str(), store.path, store.url) {
            ("spin", Some(path), None) => StoreConfig::Sqlite { path: base.join(path) },
            ("spin", None, None) => bail!("field `{field}.path` is required for type \"spin\""),
            ("redis", None, Some(url)) => StoreConfig::Redis { url },
            ("redis", None, None) => bail!("field `{field}.url` is required for type \"redis\""),
            ("spin" | "redis", _, _) => bail!("field `{field}`: give `path` for \"spin\" or `url` for \"redis\", not both"),
            (other, _, _) => bail!("field `{field}.type`: unsupported store type `{other}` (use \"spin\" or \"redis\")"),
        };
        stores.insert(label, config);
    }
    Ok(stores)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_resolve_against_the_config_folder() {
        let stores = parse(
            "[key_value_store.auth]\ntype = \"spin\"\npath = \"data/auth.db\"\n\
             [key_value_store.cache]\ntype = \"redis\"\nurl = \"redis://127.0.0.1:6379\"\n",
            Path::new("/app"),
        )
        .unwrap();
        assert_eq!(
            stores["auth"],
            StoreConfig::Sqlite {
                path: PathBuf::from("/app/data/auth.db")
            }
        );
        assert_eq!(
            stores["cache"],
            StoreConfig::Redis {
                url: "redis://127.0.0.1:6379".into()
            }
        );
    }

    #[test]
    fn the_default_label_falls_back_to_the_state_dir() {
        let config = RuntimeConfig::load(None, Path::new("/state")).unwrap();
        assert_eq!(
            config.stores["default"],
            StoreConfig::Sqlite {
                path: PathBuf::from("/state/sqlite_key_value.db")
            }
        );
    }

    #[test]
    fn bad_stores_name_the_field() {
        for (text, field) in [
            (
                "[key_value_store.a]\ntype = \"memcached\"\n",
                "key_value_store.a.type",
            ),
            (
                "[key_value_store.b]\ntype = \"redis\"\n",
                "key_value_store.b.url",
            ),
            (
                "[key_value_store.c]\ntype = \"spin\"\n",
                "key_value_store.c.path",
            ),
        ] {
            let err = format!("{:#}", parse(text, Path::new(".")).unwrap_err());
            assert!(err.contains(field), "{err}");
        }
    }
}
