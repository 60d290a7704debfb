//! Near-duplicate detection: word 5-shingles of title and body, summarized by a 128-value
//! MinHash signature (xxh3 with fixed seeds, so signatures are the same on every run). Two
//! articles whose estimated Jaccard similarity reaches [`THRESHOLD`] tell the same story.
//! Deciding what to do with a duplicate is `ingest::plan`'s job, not this module's.

use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::tokens;

const SHINGLE: usize = 5;
const HASHES: usize = 128;
/// Lightly edited copies of a story score 0.6–0.9; different stories on the same subject stay
/// well under 0.2.
pub(crate) const THRESHOLD: f64 = 0.5;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Signature(Vec<u64>);

impl Signature {
    pub fn of(title: &str, body: &str) -> Signature {
        let words = tokens::words(&format!("{title}\n{body}"));
        let shingles: Vec<u64> = if words.len() < SHINGLE {
            vec![xxh3_64_with_seed(words.join(" ").as_bytes(), 0)]
        } else {
            words
                .windows(SHINGLE)
                .map(|w| xxh3_64_with_seed(w.join(" ").as_bytes(), 0))
                .collect()
        };
        let sig = (0..HASHES as u64)
            .map(|i| {
                shingles
                    .iter()
                    .map(|s| mix(*s ^ (i + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)))
                    .min()
                    .unwrap_or(u64::MAX)
            })
            .collect();
        Signature(sig)
    }

    /// Estimated Jaccard similarity of the two shingle sets.
    pub fn similarity(&self, other: &Signature) -> f64 {
        let same = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        same as f64 / HASHES as f64
    }
}

/// SplitMix64 finalizer: a cheap, fixed permutation of 64-bit values.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "A copper miner signed a deal on Monday to reprocess old tailings from two closed mines in the Andes. \
        The project will recover copper and zinc that earlier plants left behind, the company said. \
        Local officials welcomed the plan, saying it would also make the old dams safer for the villages below. \
        Work is due to start next spring and to run for at least eight years.";

    #[test]
    fn identical_and_lightly_edited_copies_match() {
        let a = Signature::of("Miner to reprocess tailings", STORY);
        assert_eq!(a.similarity(&a), 1.0);
        let edited = STORY
            .replace("on Monday", "on Tuesday")
            .replace("Local officials", "Regional officials");
        let b = Signature::of("Copper miner will reprocess Andean tailings", &edited);
        assert!(a.similarity(&b) >= THRESHOLD, "{}", a.similarity(&b));
    }

    #[test]
    fn different_stories_do_not_match() {
        let a = Signature::of("Miner to reprocess tailings", STORY);
        let other = "Two cloud providers agreed to share a fibre backbone between their data centres in the north. \
            The companies said the deal would cut costs and speed up links for customers in the region.";
        let b = Signature::of("Clouds share a backbone", other);
        assert!(a.similarity(&b) < 0.2, "{}", a.similarity(&b));
    }
}
