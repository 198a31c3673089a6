//! Packs the word lists in `data/` into fixed-stride binary tables for `include_bytes!`.
//!
//! The text files stay the reviewable source of truth; the build checks they are sorted,
//! deduplicated and well-formed, so a bad regeneration fails here rather than at run time.

use std::{env, fs, path::Path};

#[allow(dead_code)]
#[path = "src/domain/packed.rs"]
mod packed;

const LENGTHS: std::ops::RangeInclusive<usize> = 6..=10;

fn main() {
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for list in ["words", "answers"] {
        println!("cargo:rerun-if-changed=data/{list}");
        for len in LENGTHS {
            let source = format!("data/{list}/{len}.txt");
            println!("cargo:rerun-if-changed={source}");
            let text = fs::read_to_string(&source).unwrap_or_else(|e| panic!("{source}: {e}"));
            let table = pack_list(&source, &text, len);
            fs::write(Path::new(&out_dir).join(format!("{list}-{len}.bin")), table)
                .expect("write packed table");
        }
    }
}

fn pack_list(source: &str, text: &str, len: usize) -> Vec<u8> {
    let stride = packed::stride(len);
    let mut table = Vec::with_capacity(text.len() / (len + 1) * stride);
    let mut previous: Option<&str> = None;
    for (n, word) in text.lines().enumerate() {
        let at = || format!("{source}:{}", n + 1);
        assert_eq!(word.len(), len, "{}: {word:?} is not {len} letters", at());
        if let Some(prev) = previous {
            assert!(prev < word, "{}: {word} is not sorted after {prev}", at());
        }
        let start = table.len();
        table.resize(start + stride, 0);
        packed::pack(word.as_bytes(), &mut table[start..])
            .unwrap_or_else(|| panic!("{}: {word:?} is not A-Z", at()));
        previous = Some(word);
    }
    table
}
