//! How a document managed by [`update_json`](super::update_json) is stored: the document with
//! its revision number and the ids of its last writers.
//!
//! ```json
//! {"_rev": 7, "_by": [1093, 88, 4021], "doc": {...}}
//! ```
//!
//! `_by` ends with the writer of `_rev` and keeps the last [`HISTORY`] writers, so a writer whose
//! swap was reported as failed can tell, from one read, whether its revision is the one that
//! landed. `doc: null` is a tombstone: the document was removed, the revision history stays (a
//! key that existed is never deleted, so creating it again needs no claim). Values written before
//! revisions existed (plain JSON documents) read as revision 0.

use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Serialize};

use super::StoreError;

/// Writers remembered per document: more than can land between a swap and the read after it,
/// unless the key is under a storm of writes (then the update answers `Unconfirmed`).
pub const HISTORY: usize = 16;

#[derive(Serialize, Deserialize)]
pub struct Stored<T> {
    #[serde(rename = "_rev")]
    pub rev: u64,
    #[serde(rename = "_by")]
    pub by: Vec<u32>,
    pub doc: Option<T>,
}

/// The revision bookkeeping alone, without decoding the document.
#[derive(Deserialize)]
pub struct Meta {
    #[serde(rename = "_rev")]
    pub rev: u64,
    #[serde(rename = "_by")]
    pub by: Vec<u32>,
    #[serde(rename = "doc")]
    _doc: IgnoredAny,
}

impl<T> Stored<T> {
    pub fn first(writer: u32, doc: Option<T>) -> Self {
        Stored {
            rev: 1,
            by: vec![writer],
            doc,
        }
    }

    /// The revision after this one, written by `writer`.
    pub fn next<U>(&self, writer: u32, doc: Option<U>) -> Stored<U> {
        let mut by = self.by.clone();
        by.push(writer);
        if by.len() > HISTORY {
            by.drain(..by.len() - HISTORY);
        }
        Stored {
            rev: self.rev + 1,
            by,
            doc,
        }
    }
}

impl<T: Serialize> Stored<T> {
    pub fn encode(&self, key: &str) -> Result<Vec<u8>, StoreError> {
        serde_json::to_vec(self).map_err(|_| StoreError::Corrupt(key.to_owned()))
    }
}

impl Meta {
    /// Whether revision `rev` was written by `writer`: `None` when that revision has left the
    /// history (or is not written yet), so nobody can tell.
    pub fn wrote(&self, rev: u64, writer: u32) -> Option<bool> {
        if rev > self.rev {
            return Some(false);
        }
        let back = usize::try_from(self.rev - rev).ok()?;
        let index = self.by.len().checked_sub(1 + back)?;
        Some(self.by[index] == writer)
    }
}

/// Reads a stored document in either form: with revisions, or a plain JSON document (revision 0).
pub fn decode<T: DeserializeOwned>(key: &str, bytes: &[u8]) -> Result<Stored<T>, StoreError> {
    if let Ok(stored) = serde_json::from_slice::<Stored<T>>(bytes) {
        return Ok(stored);
    }
    match serde_json::from_slice::<T>(bytes) {
        Ok(doc) => Ok(Stored {
            rev: 0,
            by: Vec::new(),
            doc: Some(doc),
        }),
        Err(_) => Err(StoreError::Corrupt(key.to_owned())),
    }
}

/// The revision bookkeeping of a stored value; a plain document is revision 0.
pub fn decode_meta(bytes: &[u8]) -> Meta {
    serde_json::from_slice(bytes).unwrap_or(Meta {
        rev: 0,
        by: Vec::new(),
        _doc: IgnoredAny,
    })
}

pub fn encode_plain<T: Serialize>(key: &str, value: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(|_| StoreError::Corrupt(key.to_owned()))
}
