//! Which rules run, as chosen on the command line (and later in a config file).

use crate::error::Error;
use crate::rules;

/// The validated configuration of a run.
#[derive(Debug, Clone, Default)]
pub struct Config {
    select: Option<Vec<&'static str>>,
    ignore: Vec<&'static str>,
}

impl Config {
    /// Run only these rules (`None`: all of them), minus `ignore`. Unknown ids are an error
    /// that suggests the closest id.
    pub fn new(select: Option<&[String]>, ignore: &[String]) -> Result<Self, Error> {
        let select = select.map(validate).transpose()?;
        let ignore = validate(ignore)?;
        Ok(Self { select, ignore })
    }

    /// Whether findings of rule `id` are reported.
    pub fn enabled(&self, id: &str) -> bool {
        self.select.as_ref().is_none_or(|s| s.contains(&id)) && !self.ignore.contains(&id)
    }
}

fn validate(ids: &[String]) -> Result<Vec<&'static str>, Error> {
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
