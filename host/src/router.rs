//! HTTP routing with Spin's rules: an exact route beats any wildcard, and among wildcards
//! (`/prefix/...`) the longest prefix wins. Private components have no route at all; they
//! are reachable only through service chaining.

use crate::manifest::{Manifest, RouteDecl};
use anyhow::{bail, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pattern {
    Exact(String),
    /// The prefix without the trailing `/...` (empty for the catch-all `/...`).
    Wildcard(String),
}

#[derive(Debug, Clone)]
pub struct Route {
    pub pattern: Pattern,
    /// The route exactly as written in the manifest (`spin-raw-component-route`).
    pub raw: String,
    pub component: String,
}

/// What a request matched: the component and the values of Spin's routing headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteMatch {
    pub component: String,
    pub raw_route: String,
    pub component_route: String,
    pub path_info: String,
}

#[derive(Debug, Default)]
pub struct Router {
    /// In matching order (highest rank first).
    by_rank: Vec<Route>,
    /// In manifest order, for listing.
    routes: Vec<Route>,
}

impl Pattern {
    pub fn parse(route: &str) -> Pattern {
        let trimmed = route.trim_end_matches('/');
        match trimmed.strip_suffix("/...") {
            Some(prefix) => Pattern::Wildcard(prefix.to_string()),
            None if trimmed == "..." => Pattern::Wildcard(String::new()),
            None if trimmed.is_empty() => Pattern::Exact("/".to_string()),
            None => Pattern::Exact(trimmed.to_string()),
        }
    }

    fn matches<'p>(&self, path: &'p str) -> Option<&'p str> {
        match self {
            Pattern::Exact(p) => (path == p || path.strip_suffix('/') == Some(p)).then_some(""),
            Pattern::Wildcard(prefix) => {
                let rest = path.strip_prefix(prefix.as_str())?;
                (rest.is_empty() || rest.starts_with('/')).then_some(rest)
            }
        }
    }

    /// Higher ranks win: every exact route outranks every wildcard, longer prefixes outrank shorter.
    fn rank(&self) -> (u8, usize) {
        match self {
            Pattern::Exact(p) => (1, p.len()),
            Pattern::Wildcard(p) => (0, p.len()),
        }
    }
}

impl Route {
    pub fn new(raw: &str, component: &str) -> Route {
        Route {
            pattern: Pattern::parse(raw),
            raw: raw.to_string(),
            component: component.to_string(),
        }
    }

    fn matched(&self, path_info: &str) -> RouteMatch {
        let (Pattern::Exact(component_route) | Pattern::Wildcard(component_route)) = &self.pattern;
        RouteMatch {
            component: self.component.clone(),
            raw_route: self.raw.clone(),
            component_route: component_route.clone(),
            path_info: path_info.to_string(),
        }
    }
}

impl Router {
    pub fn new(routes: Vec<Route>) -> Result<Self> {
        for (i, a) in routes.iter().enumerate() {
            if let Some(b) = routes[..i].iter().find(|b| b.pattern == a.pattern) {
                bail!(
                    "route `{}` of component `{}` duplicates the route of component `{}`",
                    a.raw,
                    a.component,
                    b.component
                );
            }
        }
        let mut by_rank = routes.clone();
        by_rank.sort_by_key(|r| std::cmp::Reverse(r.pattern.rank()));
        Ok(Self { by_rank, routes })
    }

    /// The public routes of `manifest` (`[[trigger.http]]` with a path; private ones have none),
    /// the one reading of them that the host and the contract tests share.
    pub fn from_manifest(manifest: &Manifest) -> Result<Self> {
        let routes = manifest
            .trigger
            .http
            .iter()
            .filter_map(|t| match &t.route {
                RouteDecl::Path(raw) => Some(Route::new(raw, &t.component)),
                RouteDecl::Private { .. } => None,
            })
            .collect();
        Self::new(routes)
    }

    /// The public routes in manifest order.
    pub fn routes(&self) -> &[Route] {
        &self.routes
    }

    pub fn route(&self, path: &str) -> Option<RouteMatch> {
        self.by_rank
            .iter()
            .find_map(|r| r.pattern.matches(path).map(|rest| r.matched(rest)))
    }

    /// The match used when a sibling calls `http://<component>.spin.internal/<path>`: the
    /// component is given; its own public route (if any) supplies the routing headers.
    pub fn route_to_component(&self, component: &str, path: &str) -> RouteMatch {
        self.by_rank
            .iter()
            .filter(|r| r.component == component)
            .find_map(|r| r.pattern.matches(path).map(|rest| r.matched(rest)))
            .unwrap_or_else(|| RouteMatch {
                component: component.to_string(),
                raw_route: "/...".to_string(),
                component_route: String::new(),
                path_info: path.to_string(),
            })
    }
}

#[cfg(test)]
mod tests;
