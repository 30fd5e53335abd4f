//! GPU type ids and pools, read from the dated data file `gpus.tsv` (its header gives the
//! sources and the date).

/// A GPU type id, its memory in GB, and the pool it belongs to (where the docs name one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gpu {
    /// The id, such as `NVIDIA GeForce RTX 4090`.
    pub id: &'static str,
    /// Memory in GB.
    pub memory_gb: u32,
    /// The pool id, such as `ADA_24`.
    pub pool: Option<&'static str>,
}

const DATA: &str = include_str!("gpus.tsv");

fn lines() -> impl Iterator<Item = Vec<&'static str>> {
    DATA.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

/// Every GPU pool id.
pub fn pools() -> impl Iterator<Item = &'static str> {
    lines()
        .filter(|f| f[0] == "pool")
        .filter_map(|f| f.get(1).copied())
}

/// Every GPU type id.
pub fn gpus() -> impl Iterator<Item = Gpu> {
    lines().filter(|f| f[0] == "gpu").filter_map(|f| {
        Some(Gpu {
            id: f.get(1)?,
            memory_gb: f.get(2)?.parse().ok()?,
            pool: f.get(3).copied().filter(|p| !p.is_empty()),
        })
    })
}

/// The GPU with this id (exactly as written).
pub fn gpu(id: &str) -> Option<Gpu> {
    gpus().find(|g| g.id == id)
}

/// The GPU type id closest to `id`: the same ignoring case, else the most similar.
pub fn closest(id: &str) -> Option<&'static str> {
    gpus()
        .map(|g| g.id)
        .find(|g| g.eq_ignore_ascii_case(id))
        .or_else(|| crate::suggest::closest(id, gpus().map(|g| g.id)))
}

/// Whether `id` is a pool id (exactly as written).
pub fn is_pool(id: &str) -> bool {
    pools().any(|p| p == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_reads_whole() {
        assert_eq!(gpus().count(), 45);
        assert_eq!(pools().count(), 11);
        assert_eq!(
            gpu("NVIDIA GeForce RTX 4090").and_then(|g| g.pool),
            Some("ADA_24")
        );
        for gpu in gpus() {
            assert!(gpu.pool.is_none_or(is_pool), "{gpu:?}");
        }
    }
}
