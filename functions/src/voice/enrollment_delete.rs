//! `DELETE /api/v2/voice/enrollment/`: 204; the voiceprint and every sample
//! embedding are gone (there never was any stored audio).

use super::biometrics_user;
use crate::handler::{empty, Answer};
use lambda_http::Request;
use shared::context::Needs;
use shared::{http, AppContext};

#[cfg(feature = "openapi")]
use super::doc::*;
#[cfg(feature = "openapi")]
use crate::docs::*;

pub const NEEDS: Needs = crate::routes::DB;

pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    let (principal, _) = biometrics_user(ctx, req).await?;
    ctx.store.delete_voice_data(&principal).await?;
    tracing::info!(
        target: "audit",
        event = "voice_enrollment_deleted",
        user_id = principal.user_id,
        tenant_id = principal.tenant_id,
        request_id = %http::RequestMeta::of(req).request_id,
        "voiceprint and sample embeddings deleted"
    );
    empty()
}

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "deleteVoiceEnrollment",
    tag: "voice",
    summary: "Delete the caller's voiceprint",
    description: "Deletes the voiceprint and every sample embedding (raw audio is never \
        kept). Deleting when there is nothing is also a 204.",
    access: Access::Capability(Capability::UseVoiceBiometrics),
    params: &[],
    request: None,
    responses: &[
        no_content(204, "Deleted."),
        R401,
        R403_BIOMETRICS,
        R500,
        R503,
    ],
};
