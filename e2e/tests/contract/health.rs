//! The health routes, on an app whose stores all answer.

use super::Api;

pub async fn health_routes(api: &Api) {
    for path in [
        "/auth/health",
        "/motus/health",
        "/score/health",
        "/api/health",
    ] {
        api.get(path).expect(200).await;
    }
}
