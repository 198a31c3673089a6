//! Which value of a `spin-*` request header the host set, as opposed to one a client sent.
//!
//! Spin hosts pass request metadata (`spin-full-url`, `spin-client-addr`, `spin-path-info`, ...)
//! as request headers. Not every host removes a `spin-*` header that arrives from outside: Spin
//! 4.0.2 keeps the client's lines and adds its own after them, so a component that reads the
//! first line reads whatever the client wrote, and a component that reads the only line on our
//! host reads the host's. The one reading that is right on both is the last line; a header the
//! host did not set at all has no trustworthy value, and nothing here can tell, so callers treat
//! these values as hints about the request, never as proof of who sent it.

/// The value the host set for a `spin-*` header, given every value received in order.
pub fn host_value<T>(values: impl IntoIterator<Item = T>) -> Option<T> {
    values.into_iter().last()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_value_is_the_last_one_received() {
        assert_eq!(
            host_value(["http://evil.example/", "http://127.0.0.1:3000/"]),
            Some("http://127.0.0.1:3000/")
        );
        assert_eq!(host_value(["0.0.0.0:0"]), Some("0.0.0.0:0"));
        assert_eq!(host_value::<&str>([]), None);
    }
}
