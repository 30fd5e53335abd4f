//! Which rules run, at which severity, for which route: the validated settings of one check.
//!
//! The `project` module reads them from `rplint.toml` or `[tool.rplint]` in `pyproject.toml`; the
//! command line adds its flags on top.

#[cfg(feature = "cli")]
pub mod project;

pub use crate::finding::Route;

use crate::error::Error;
use crate::finding::Severity;
use crate::kind::Kind;
use crate::rules;

/// The validated configuration of a run.
#[derive(Debug, Clone, Default)]
pub struct Config {
    select: Option<Vec<&'static str>>,
    ignore: Vec<&'static str>,
    route: Option<Route>,
    kind: Option<Kind>,
    severities: Vec<(&'static str, Severity)>,
    /// Shared: a configuration is cloned for every body a host file holds, and a project can
    /// hold thousands of suppressions.
    suppressions: std::sync::Arc<Suppressions>,
}

/// The suppressions in order, and for each rule and pointer the first that names them.
#[derive(Debug, Clone, Default)]
struct Suppressions {
    list: Vec<Suppression>,
    first: std::collections::HashMap<&'static str, std::collections::HashMap<String, usize>>,
}

/// A finding not to report: rule `rule` at JSON Pointer `pointer`, exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// A registered rule id.
    pub rule: &'static str,
    /// The JSON Pointer of the finding, as reported.
    pub pointer: String,
    /// The caller's name for it (the configuration file's entry number), returned in
    /// [`crate::pipeline::Outcome::suppressed`] when it hid a finding.
    pub id: usize,
}

impl Config {
    /// Run only these rules (`None`: all of them), minus `ignore`. Unknown ids are an error
    /// that suggests the closest id.
    pub fn new(select: Option<&[String]>, ignore: &[String]) -> Result<Self, Error> {
        let select = select.map(validate).transpose()?;
        let ignore = validate(ignore)?;
        Ok(Self {
            select,
            ignore,
            route: None,
            kind: None,
            severities: Vec::new(),
            suppressions: std::sync::Arc::default(),
        })
    }

    /// Report only these rules (replacing any earlier selection).
    #[must_use]
    pub fn with_select(mut self, select: Vec<&'static str>) -> Self {
        self.select = Some(select);
        self
    }

    /// Also ignore these rules.
    #[must_use]
    pub fn with_ignored(mut self, ignore: &[&'static str]) -> Self {
        self.ignore.extend_from_slice(ignore);
        self
    }

    /// Report rule `id` at `severity` instead of its own.
    #[must_use]
    pub fn with_severity(mut self, id: &'static str, severity: Severity) -> Self {
        self.severities.retain(|(r, _)| *r != id);
        self.severities.push((id, severity));
        self
    }

    /// The severity configured for rule `id`, if any.
    pub fn severity(&self, id: &str) -> Option<Severity> {
        self.severities
            .iter()
            .find(|(r, _)| *r == id)
            .map(|(_, s)| *s)
    }

    /// The same configuration for another route.
    #[must_use]
    pub fn with_route(mut self, route: Route) -> Self {
        self.route = Some(route);
        self
    }

    /// The route requests are checked for ([`Route::Run`] unless one was set).
    pub fn route(&self) -> Route {
        self.route.unwrap_or_default()
    }

    /// The route, where one was set: it then decides which request kind a file is checked as,
    /// instead of the file's content.
    pub fn chosen_route(&self) -> Option<Route> {
        self.route
    }

    /// The same configuration checking every file as `kind`, whatever its path or content.
    #[must_use]
    pub fn with_kind(mut self, kind: Kind) -> Self {
        self.kind = Some(kind);
        self
    }

    /// The kind every file is checked as, where one was set.
    pub fn kind(&self) -> Option<Kind> {
        self.kind
    }

    /// The same configuration, also not reporting the findings `suppression` names.
    #[must_use]
    pub fn with_suppression(mut self, suppression: Suppression) -> Self {
        let suppressions = std::sync::Arc::make_mut(&mut self.suppressions);
        let at = suppressions.list.len();
        suppressions
            .first
            .entry(suppression.rule)
            .or_default()
            .entry(suppression.pointer.clone())
            .or_insert(at);
        suppressions.list.push(suppression);
        self
    }

    /// The suppression that hides a finding of rule `rule` at `pointer`, if one does (the
    /// first given, where several do).
    pub fn suppression(&self, rule: &str, pointer: &str) -> Option<&Suppression> {
        let at = *self.suppressions.first.get(rule)?.get(pointer)?;
        self.suppressions.list.get(at)
    }

    /// Whether findings of rule `id` are reported.
    pub fn enabled(&self, id: &str) -> bool {
        self.select.as_ref().is_none_or(|s| s.contains(&id)) && !self.ignore.contains(&id)
    }
}

/// The registered ids for `ids`; an unknown id is an error that suggests the closest.
pub fn validate(ids: &[String]) -> Result<Vec<&'static str>, Error> {
    ids.iter()
        .map(|id| {
            rules::get(id.trim())
                .map(|meta| meta.id)
                .ok_or_else(|| Error::UnknownRule {
                    id: id.clone(),
                    suggestion: rules::suggest(id),
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_ids_get_a_suggestion() {
        let err = Config::new(None, &["unknown-keys".to_owned()]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown rule `unknown-keys`; did you mean `unknown-key`?"
        );
        let config = Config::new(Some(&["ttl-range".to_owned()]), &[]).unwrap();
        assert!(config.enabled("ttl-range"));
        assert!(!config.enabled("unknown-key"));
    }
}
