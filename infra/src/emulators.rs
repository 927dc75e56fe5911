//! The embedded, wire-compatible emulators: DynamoDB (dynoxide) and S3
//! (s3s-fs with SigV4 checking on), each on its own port.

use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnBuilder;
use std::net::SocketAddr;
use std::path::Path;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// A running emulator; `stop` ends it.
pub struct Emulator {
    pub addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Emulator {
    /// The address this machine connects to (loopback for 0.0.0.0).
    pub fn local_addr(&self) -> SocketAddr {
        crate::addresses::local(self.addr)
    }

    /// `http://` + [`Emulator::local_addr`].
    pub fn url(&self) -> String {
        crate::addresses::http_url(self.local_addr())
    }

    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

async fn stopped(mut rx: watch::Receiver<bool>) {
    while !*rx.borrow() {
        if rx.changed().await.is_err() {
            return;
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    #[error("cannot bind {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot open the DynamoDB data file: {0}")]
    Dynamo(String),
    #[error("cannot open the S3 data folder: {0}")]
    S3(String),
}

pub async fn bind(addr: SocketAddr) -> Result<TcpListener, EmulatorError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| EmulatorError::Bind { addr, source })
}

/// DynamoDB, in memory or in a SQLite file.
pub async fn start_dynamodb(
    file: Option<&Path>,
    addr: SocketAddr,
) -> Result<Emulator, EmulatorError> {
    let db = match file {
        Some(path) => dynoxide::Database::new(&path.to_string_lossy()),
        None => dynoxide::Database::memory(),
    }
    .map_err(|e| EmulatorError::Dynamo(e.to_string()))?;
    let listener = bind(addr).await?;
    let addr = listener
        .local_addr()
        .expect("bound listener has an address");
    let (stop, rx) = watch::channel(false);
    let task = tokio::spawn(async move {
        if let Err(e) = dynoxide::server::serve_with_shutdown(listener, db, stopped(rx)).await {
            tracing::error!(error = %e, "DynamoDB emulator stopped");
        }
    });
    Ok(Emulator { addr, stop, task })
}

/// S3 over the files in `root`, refusing requests not signed with the key.
pub async fn start_s3(
    root: &Path,
    access_key: &str,
    secret_key: &str,
    addr: SocketAddr,
) -> Result<Emulator, EmulatorError> {
    std::fs::create_dir_all(root).map_err(|e| EmulatorError::S3(e.to_string()))?;
    let fs = s3s_fs::FileSystem::new(root).map_err(|e| EmulatorError::S3(format!("{e:?}")))?;
    let mut builder = s3s::service::S3ServiceBuilder::new(fs);
    builder.set_auth(s3s::auth::SimpleAuth::from_single(access_key, secret_key));
    let service = builder.build();
    let listener = bind(addr).await?;
    let addr = listener
        .local_addr()
        .expect("bound listener has an address");
    let (stop, rx) = watch::channel(false);
    let task = tokio::spawn(async move {
        let http = ConnBuilder::new(TokioExecutor::new());
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        let mut stop = std::pin::pin!(stopped(rx));
        loop {
            let socket = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((socket, _)) => socket,
                    Err(e) => {
                        tracing::warn!(error = %e, "S3 emulator accept failed");
                        continue;
                    }
                },
                _ = stop.as_mut() => break,
            };
            let conn = http.serve_connection(TokioIo::new(socket), service.clone());
            let conn = graceful.watch(conn.into_owned());
            tokio::spawn(async move {
                let _ = conn.await;
            });
        }
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), graceful.shutdown()).await;
    });
    Ok(Emulator { addr, stop, task })
}
