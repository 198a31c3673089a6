use spin_sdk::http::{IntoResponse, Request, Response};
use spin_sdk::http_component;

#[http_component]
fn handle(req: Request) -> anyhow::Result<impl IntoResponse> {
    let _ = req;
    Ok(Response::builder()
        .status(501)
        .header("content-type", "application/json")
        .body(r#"{"error":{"code":"not_implemented","message":"auth is not implemented yet"}}"#)
        .build())
}
