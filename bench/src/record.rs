//! Writes a run's table into docs/benchmarks.md between its markers (the hand-written text
//! around them stays) and its figures into the `.json` beside it, under the run's key (the side
//! by side, the scale or the profile run each keep their own).

use anyhow::{Context, Result};
use std::path::Path;

/// Replaces what lies between `<!-- {section}:begin -->` and `<!-- {section}:end -->` in `old`;
/// appends the section when the markers are missing.
pub fn replace_section(old: &str, section: &str, markdown: &str) -> String {
    let begin = format!("<!-- {section}:begin -->");
    let end = format!("<!-- {section}:end -->");
    match (old.find(&begin), old.find(&end)) {
        (Some(b), Some(e)) if b < e => {
            format!("{}{begin}\n{markdown}{}", &old[..b], &old[e..])
        }
        _ if old.is_empty() => format!("# Benchmarks\n\n{begin}\n{markdown}{end}\n"),
        _ => format!(
            "{}\n{begin}\n{markdown}{end}\n",
            old.trim_end_matches('\n').to_owned() + "\n"
        ),
    }
}

pub fn write(
    path: &Path,
    section: &str,
    markdown: &str,
    key: &str,
    figures: serde_json::Value,
) -> Result<()> {
    let old = std::fs::read_to_string(path).unwrap_or_default();
    std::fs::write(path, replace_section(&old, section, markdown))
        .with_context(|| format!("write {}", path.display()))?;
    let json = path.with_extension("json");
    let mut all: serde_json::Value = std::fs::read_to_string(&json)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .filter(|v: &serde_json::Value| v.is_object() && v.get("date").is_none())
        .unwrap_or_else(|| serde_json::json!({}));
    all[key] = figures;
    std::fs::write(&json, serde_json::to_string_pretty(&all)? + "\n")
        .with_context(|| format!("write {}", json.display()))?;
    eprintln!(
        "bench: wrote the {section} section of {} and \"{key}\" in {}",
        path.display(),
        json.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_is_replaced_between_its_markers_and_the_rest_kept() {
        let old = "# B\n\nintro\n<!-- bench:begin -->\nold table\n<!-- bench:end -->\n\nanalysis\n";
        let new = replace_section(old, "bench", "new table\n");
        assert_eq!(
            new,
            "# B\n\nintro\n<!-- bench:begin -->\nnew table\n<!-- bench:end -->\n\nanalysis\n"
        );
    }

    #[test]
    fn a_missing_section_is_appended() {
        let new = replace_section("# B\n\ntext\n", "bench-scale", "t\n");
        assert!(new.starts_with("# B\n\ntext\n"));
        assert!(
            new.ends_with("<!-- bench-scale:begin -->\nt\n<!-- bench-scale:end -->\n"),
            "{new}"
        );
    }
}
