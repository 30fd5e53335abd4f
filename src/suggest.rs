//! "Did you mean" suggestions.

/// The candidate closest to `word`: equal once case, `_` and `-` are ignored, or else the
/// most similar by Jaro-Winkler above 0.85.
pub fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let normal = normalize(word);
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        if normalize(candidate) == normal {
            return Some(candidate);
        }
        let score = strsim::jaro_winkler(&word.to_lowercase(), &candidate.to_lowercase());
        if score > 0.85 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

fn normalize(word: &str) -> String {
    word.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn near_misses() {
        let keys = ["input", "webhook", "policy", "s3Config"];
        assert_eq!(closest("webhok", keys), Some("webhook"));
        assert_eq!(closest("Input", keys), Some("input"));
        assert_eq!(closest("s3_config", keys), Some("s3Config"));
        assert_eq!(closest("policies", keys), Some("policy"));
        assert_eq!(closest("prompt", keys), None);
    }
}
