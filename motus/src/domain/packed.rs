//! Five-bit packing of A–Z words, shared with `build.rs` so the build and the lookups agree.
//!
//! Letters are packed most significant bit first, so comparing two packed words of the same
//! length byte by byte orders them exactly like the words themselves: a sorted list stays sorted
//! and can be binary-searched without unpacking. This keeps the embedded dictionary about 40 %
//! smaller than plain text.

const BITS: usize = 5;

/// Bytes taken by one packed word of `len` letters.
pub const fn stride(len: usize) -> usize {
    (len * BITS).div_ceil(8)
}

/// Packs upper-case ASCII letters into `out` (`stride(word.len())` bytes, zero-padded).
///
/// Returns `None` if a byte is not `A`–`Z` or `out` has the wrong size.
pub fn pack(word: &[u8], out: &mut [u8]) -> Option<()> {
    if out.len() != stride(word.len()) {
        return None;
    }
    out.fill(0);
    for (i, &letter) in word.iter().enumerate() {
        if !letter.is_ascii_uppercase() {
            return None;
        }
        let code = u16::from(letter - b'A');
        let bit = i * BITS;
        // A code spans at most two bytes; place it in a 16-bit window starting at its byte.
        let window = code << (16 - BITS - bit % 8);
        out[bit / 8] |= (window >> 8) as u8;
        if let Some(next) = out.get_mut(bit / 8 + 1) {
            *next |= window as u8;
        }
    }
    Some(())
}

/// Reverse of [`pack`]; `None` if `bytes` is not a valid packing of `len` letters.
pub fn unpack(bytes: &[u8], len: usize) -> Option<Vec<u8>> {
    if bytes.len() != stride(len) {
        return None;
    }
    (0..len)
        .map(|i| {
            let bit = i * BITS;
            let high = u16::from(bytes[bit / 8]) << 8;
            let low = bytes.get(bit / 8 + 1).copied().map_or(0, u16::from);
            let code = ((high | low) >> (16 - BITS - bit % 8)) & 0x1f;
            (code < 26).then_some(b'A' + code as u8)
        })
        .collect()
}
