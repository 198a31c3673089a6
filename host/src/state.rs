//! What one request's store holds: its WASI context, its resource table, limits, what the
//! component's platform imports may reach and its outbound HTTP. A fresh one per request, as in
//! Spin, so no state leaks between requests through the instance. Each fact is held once.

use crate::key_value::StoreManager;
use crate::outbound::Outbound;
use std::collections::HashMap;
use std::sync::Arc;
use wasmtime::component::ResourceTable;
use wasmtime::StoreLimits;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

/// What a component's platform imports may reach, resolved from the manifest at start-up.
pub struct Grants {
    /// The key-value labels it lists; it may open no other.
    pub key_value_stores: Vec<String>,
    /// Its variables, rendered once.
    pub variables: HashMap<String, String>,
}

pub struct RequestState {
    pub wasi: WasiCtx,
    pub http: WasiHttpCtx,
    pub table: ResourceTable,
    pub limits: StoreLimits,
    pub grants: Arc<Grants>,
    pub stores: Arc<StoreManager>,
    /// Stores this instance holds open; Spin caps them.
    pub open_stores: usize,
    pub outbound: Outbound,
}

impl WasiView for RequestState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for RequestState {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: &mut self.outbound,
        }
    }
}
