use super::*;

fn decls() -> BTreeMap<String, VariableDecl> {
    let mut d = BTreeMap::new();
    d.insert(
        "greeting".into(),
        VariableDecl {
            default: Some("hello".into()),
            ..Default::default()
        },
    );
    d.insert(
        "secret".into(),
        VariableDecl {
            required: true,
            secret: true,
            ..Default::default()
        },
    );
    d.insert("optional".into(), VariableDecl::default());
    d
}

#[test]
fn cli_beats_environment_beats_default() {
    let env = |k: &str| match k {
        "SPIN_VARIABLE_SECRET" => Some("from-env".to_string()),
        "SPIN_VARIABLE_GREETING" => Some("env-hi".to_string()),
        _ => None,
    };
    let r = Resolver::new(&decls(), &[("greeting".into(), "cli-hi".into())], env).unwrap();
    assert_eq!(
        r.render("{{ greeting }}, {{secret}}!").unwrap(),
        "cli-hi, from-env!"
    );
    let r = Resolver::new(&decls(), &[], env).unwrap();
    assert_eq!(r.render("{{greeting}}").unwrap(), "env-hi");
}

#[test]
fn a_missing_required_variable_is_an_error() {
    let err = Resolver::new(&decls(), &[], |_| None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("SPIN_VARIABLE_SECRET"), "{err}");
}

#[test]
fn templates_must_name_declared_variables_with_values() {
    let r = Resolver::new(&decls(), &[("secret".into(), "s".into())], |_| None).unwrap();
    assert!(r.render("{{ optional }}").is_err());
    assert!(r.render("{{ nope }}").is_err());
    assert!(r.render("{{ Bad }}").is_err());
    assert!(r.render("{{ greeting").is_err());
    assert_eq!(r.render("plain").unwrap(), "plain");
}

#[test]
fn unknown_cli_variables_are_rejected() {
    assert!(Resolver::new(
        &decls(),
        &[("secret".into(), "s".into()), ("typo".into(), "x".into())],
        |_| None
    )
    .is_err());
}
