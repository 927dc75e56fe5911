//! The handlers, one module per endpoint. Each takes its dependencies as
//! arguments (`&AppContext`) and a `lambda_http::Request`, so the Lambda
//! binaries, the local gateway and tests all call the same code.

mod common;
pub mod completion_status;
mod journal;
pub mod journal_entries;
pub mod journal_media;
pub mod login;
pub mod mark_onboarding_complete;
pub mod openapi;
pub mod profile_get;
mod profile_image;
pub mod profile_image_confirm;
pub mod profile_image_upload;
pub mod profile_image_upload_url;
pub mod profile_update;
pub mod refresh;
pub mod routes;
mod upload;

use lambda_http::{Body, Request, Response};
use shared::AppContext;

/// Runs the handler of `function` (a name from the route table).
pub async fn dispatch(function: &str, ctx: &AppContext, req: Request) -> Option<Response<Body>> {
    Some(match function {
        "login" => login::handle(ctx, req).await,
        "refresh" => refresh::handle(ctx, req).await,
        "profile-get" => profile_get::handle(ctx, req).await,
        "profile-update" => profile_update::handle(ctx, req).await,
        "profile-image-upload" => profile_image_upload::handle(ctx, req).await,
        "profile-image-upload-url" => profile_image_upload_url::handle(ctx, req).await,
        "profile-image-confirm" => profile_image_confirm::handle(ctx, req).await,
        "completion-status" => completion_status::handle(ctx, req).await,
        "mark-onboarding-complete" => mark_onboarding_complete::handle(ctx, req).await,
        "journal-entries-create" => journal_entries::create(ctx, req).await,
        "journal-entries-list" => journal_entries::list(ctx, req).await,
        "journal-entry-get" => journal_entries::get(ctx, req).await,
        "journal-entry-update" => journal_entries::update(ctx, req).await,
        "journal-entry-delete" => journal_entries::delete(ctx, req).await,
        "journal-media-upload-url" => journal_media::upload_url(ctx, req).await,
        "journal-media-add" => journal_media::add(ctx, req).await,
        "journal-media-list" => journal_media::list(ctx, req).await,
        _ => return None,
    })
}

/// What every `main.rs` does: set up logging, build the context once (a
/// configuration error stops the cold start with a clear message), serve.
pub async fn run_lambda<F, Fut>(handler: F) -> Result<(), lambda_http::Error>
where
    F: Fn(&'static AppContext, Request) -> Fut,
    Fut: std::future::Future<Output = Response<Body>> + Send,
{
    shared::telemetry::init();
    let ctx: &'static AppContext = match AppContext::from_env().await {
        Ok(ctx) => Box::leak(Box::new(ctx)),
        Err(e) => {
            tracing::error!(error = %e, "cannot start: configuration is incomplete");
            return Err(e.into());
        }
    };
    lambda_http::run(lambda_http::service_fn(|req| {
        let fut = handler(ctx, req);
        async move { Ok::<_, std::convert::Infallible>(fut.await) }
    }))
    .await
}
