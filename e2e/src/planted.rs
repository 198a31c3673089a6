//! The answers the tests plant: motus's `answer_words` variable (a test knob) replaces its list
//! of answers, so a test knows the word it must find and the words that miss it.

use crate::api::Api;
use crate::TestHost;

/// A word the tests plant as an answer (through the `answer_words` variable), with six other
/// dictionary words of its length and first letter to miss it with.
#[derive(Debug, Clone, Copy)]
pub struct Planted {
    pub word: &'static str,
    pub misses: [&'static str; 6],
}

/// One planted answer per length, so a practice game's length says which word it hides.
pub const PLANTED: [Planted; 5] = [
    Planted {
        word: "MAISON",
        misses: ["MOUTON", "MANGER", "MARCHE", "MIROIR", "MOULIN", "MUSCLE"],
    },
    Planted {
        word: "BATEAUX",
        misses: [
            "BALCONS", "BOUTONS", "BRIQUES", "BAGARRE", "BOUCHER", "BANANES",
        ],
    },
    Planted {
        word: "CHOCOLAT",
        misses: [
            "CAMPAGNE", "CHAPEAUX", "CHAUSSON", "CHAMEAUX", "CARTABLE", "CARROSSE",
        ],
    },
    Planted {
        word: "ABANDONNE",
        misses: [
            "ABONDANCE",
            "ACCELERER",
            "ACCENTUER",
            "ACCOMPLIR",
            "ALLUMETTE",
            "AVENTURES",
        ],
    },
    Planted {
        word: "CHAMPIGNON",
        misses: [
            "CONFITURES",
            "CALCULETTE",
            "CARACTERES",
            "CHANTEUSES",
            "CONSTRUIRE",
            "COMPTABLES",
        ],
    },
];

/// The value of `answer_words` that plants every word of [`PLANTED`].
pub fn all_planted() -> String {
    PLANTED.map(|p| p.word).join(",")
}

/// The planted answer of `length` letters.
pub fn planted(length: u64) -> Planted {
    *PLANTED
        .iter()
        .find(|p| p.word.len() as u64 == length)
        .unwrap_or_else(|| panic!("no planted word of {length}"))
}

impl Planted {
    /// The words that win at try `tries` (1–6), or lose with `None`.
    pub fn script(&self, tries: Option<usize>) -> Vec<&'static str> {
        match tries {
            Some(n) => self.misses[..n - 1]
                .iter()
                .copied()
                .chain([self.word])
                .collect(),
            None => self.misses.to_vec(),
        }
    }
}

/// Starts `manifest` (relative to the repository root) with every word of [`PLANTED`] planted,
/// so a game's length tells its answer, and returns a client for it: the start most black-box
/// suites share. A suite that needs more (a backend, other variables) uses
/// [`crate::Builder::planted`].
pub async fn start_planted(manifest: &str) -> (TestHost, Api) {
    TestHost::builder(manifest).planted().start_with_api().await
}
