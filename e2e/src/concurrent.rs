//! Requests sent all at once, for the race tests: each on its own task, so they really run in
//! parallel on the multi-threaded test runtime rather than taking turns on one.

use crate::api::Reply;
use futures::future::join_all;
use std::collections::BTreeMap;
use std::future::Future;

/// Runs `call(i)` for `i` in `0..n`, each on its own task, all at once; the answers in order.
pub async fn at_once<T, F, Fut>(n: usize, call: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn(usize) -> Fut,
    Fut: Future<Output = T> + Send + 'static,
{
    all_at_once((0..n).collect(), call).await
}

/// Runs `call` for every item, each on its own task, all at once; the answers in order.
pub async fn all_at_once<I, T, F, Fut>(items: Vec<I>, call: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn(I) -> Fut,
    Fut: Future<Output = T> + Send + 'static,
{
    let tasks: Vec<_> = items
        .into_iter()
        .map(|item| tokio::spawn(call(item)))
        .collect();
    join_all(tasks)
        .await
        .into_iter()
        .map(|r| r.expect("a concurrent request panicked"))
        .collect()
}

/// How many answers had each status, e.g. `{201: 1, 409: 15}`.
pub fn statuses(replies: &[Reply]) -> BTreeMap<u16, usize> {
    let mut counts = BTreeMap::new();
    for reply in replies {
        *counts.entry(reply.status).or_insert(0) += 1;
    }
    counts
}
