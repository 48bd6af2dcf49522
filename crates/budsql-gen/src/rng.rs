//! A small deterministic random source (SplitMix64): the same seed gives the same corpus on
//! every machine and every version of the dependencies.

#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// A generator for a sub-stream (one document), independent of how many numbers other
    /// documents drew.
    pub fn fork(&self, stream: u64) -> Rng {
        let mut r = Rng(self.0 ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next();
        r
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo) as u64 + 1;
        lo + (self.next() % span) as i64
    }

    /// True with probability `p` percent.
    pub fn chance(&mut self, p: u32) -> bool {
        (self.next() % 100) < u64::from(p)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            return None;
        }
        let i = (self.next() % items.len() as u64) as usize;
        items.get(i)
    }

    /// Splits `total` into `n` non-negative parts that add up to it exactly.
    pub fn split(&mut self, total: i64, n: usize) -> Vec<i64> {
        if n == 0 {
            return Vec::new();
        }
        let weights: Vec<i64> = (0..n).map(|_| self.range(1, 100)).collect();
        let sum: i64 = weights.iter().sum();
        let mut parts: Vec<i64> = weights.iter().map(|w| total * w / sum.max(1)).collect();
        let rest = total - parts.iter().sum::<i64>();
        if let Some(first) = parts.first_mut() {
            *first += rest;
        }
        parts
    }
}
