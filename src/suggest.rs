//! "Did you mean" suggestions.

/// Words longer than this many bytes get no suggestion, and candidates longer than it are
/// passed over: similarity costs the product of the two lengths.
const MAX_LEN: usize = 64;

/// At most this many candidates are compared: a suggestion among more is noise, and the
/// comparisons would cost time in proportion to what the document holds.
const MAX_CANDIDATES: usize = 2000;

/// The candidate closest to `word`: equal once case, `_` and `-` are ignored, or else the
/// most similar by Jaro-Winkler above 0.85. `None` for a word longer than 64 bytes; only the
/// first 2,000 candidates of 64 bytes or fewer are compared.
pub fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    if word.len() > MAX_LEN {
        return None;
    }
    let normal = normalize(word);
    let lower = word.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates
        .into_iter()
        .filter(|c| c.len() <= MAX_LEN)
        .take(MAX_CANDIDATES)
    {
        if normalize(candidate) == normal {
            return Some(candidate);
        }
        let score = strsim::jaro_winkler(&lower, &candidate.to_lowercase());
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
        // Long words get no suggestion: similarity costs the product of the lengths.
        let long = "a".repeat(65);
        assert_eq!(closest(&long, [long.as_str()]), None);
        assert_eq!(
            closest("webhok", [long.as_str(), "webhook"]),
            Some("webhook")
        );
    }
}
