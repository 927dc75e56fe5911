//! The S3 client the functions of the local stack get. Presigned URLs must
//! be signed for the address clients use (a phone on the LAN cannot reach
//! 127.0.0.1), so the client's endpoint is the S3 emulator's public URL; its
//! own requests (GetObject of an upload, PutObject of the re-encoded image)
//! still go to the emulator's local address, carrying the public `Host` they
//! were signed for. Presigning never sends anything, so only the transport
//! is redirected: what is signed is exactly what AWS would sign.

use crate::faults::Faults;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use std::net::SocketAddr;

/// An S3 client signing for `public_url` and connecting to `emulator`,
/// with the functions' timeouts and `faults` in front of its transport.
pub fn client(public_url: &str, emulator: SocketAddr, faults: &Faults) -> aws_sdk_s3::Client {
    let conf = crate::stack::s3_config(public_url)
        .timeout_config(shared::context::sdk_timeouts())
        .http_client(faults.wrap(SharedHttpClient::new(ToEmulator {
            inner: crate::stack::http_client(),
            emulator,
        })))
        .build();
    aws_sdk_s3::Client::from_conf(conf)
}

/// An HTTP client whose connections all go to one address.
#[derive(Debug, Clone)]
struct ToEmulator {
    inner: SharedHttpClient,
    emulator: SocketAddr,
}

impl HttpClient for ToEmulator {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(Redirect {
            inner: self.inner.http_connector(settings, components),
            emulator: self.emulator,
        })
    }
}

#[derive(Debug)]
struct Redirect {
    inner: SharedHttpConnector,
    emulator: SocketAddr,
}

impl HttpConnector for Redirect {
    fn call(&self, mut request: HttpRequest) -> HttpConnectorFuture {
        match redirect(&mut request, self.emulator) {
            Ok(()) => self.inner.call(request),
            Err(e) => HttpConnectorFuture::ready(Err(ConnectorError::user(e.into()))),
        }
    }
}

/// Keeps the signed authority as `Host` and sends the request to `to`.
fn redirect(request: &mut HttpRequest, to: SocketAddr) -> Result<(), String> {
    let uri: hyper::Uri = request.uri().parse().map_err(|e| format!("{e}"))?;
    let authority = uri
        .authority()
        .ok_or("a request URI without a host")?
        .to_string();
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    request
        .set_uri(format!("http://{to}{path}"))
        .map_err(|e| format!("{e}"))?;
    request.headers_mut().insert("host", authority);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_types::body::SdkBody;

    #[test]
    fn the_signed_host_is_kept_and_the_connection_goes_to_the_emulator() {
        let mut request = HttpRequest::new(SdkBody::empty());
        request
            .set_uri("http://192.0.2.7:9000/bucket/key?x-id=GetObject")
            .unwrap();
        redirect(&mut request, "127.0.0.1:45678".parse().unwrap()).unwrap();
        assert_eq!(
            request.uri(),
            "http://127.0.0.1:45678/bucket/key?x-id=GetObject"
        );
        assert_eq!(request.headers().get("host"), Some("192.0.2.7:9000"));
    }
}
