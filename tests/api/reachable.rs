//! A local stack a phone can reach: bound to a non-loopback address, the
//! API and every media URL it returns (presigned PUT and GET on the S3
//! emulator) work from another host. The "phone" runs in a network
//! namespace this test creates (a veth pair: the stack on one end, the phone
//! on the other), so 127.0.0.1 there is the phone's own loopback and a URL
//! signed for it would fail. Without network namespaces (not root, no `ip`),
//! the phone falls back to this machine's own non-loopback address.

use crate::support::*;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use infra::{LocalStack, StackOptions};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::io::Cursor;
use std::net::IpAddr;
use std::process::Command;

fn jpeg() -> Vec<u8> {
    let img = RgbImage::from_fn(320, 240, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg)
        .unwrap();
    out
}

fn ip(args: &[&str]) -> Result<(), String> {
    let out = Command::new("ip")
        .args(args)
        .output()
        .map_err(|e| format!("ip {}: {e}", args.join(" ")))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "ip {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// A network namespace with a veth pair to this one; removed on drop.
struct Phone {
    netns: String,
    veth: String,
    /// The stack's end of the pair.
    host_ip: IpAddr,
}

impl Phone {
    fn create() -> Result<Phone, String> {
        // Names and a /30 of 10.213.0.0/16 from the process id, so that two
        // runs on one machine do not collide.
        let pid = std::process::id();
        let (a, b) = ((pid / 64) % 250, (pid % 64) * 4);
        let phone = Phone {
            netns: format!("lsph{pid}"),
            veth: format!("lspa{pid}"),
            host_ip: format!("10.213.{a}.{}", b + 1).parse().unwrap(),
        };
        let peer = format!("lspb{pid}");
        ip(&["netns", "add", &phone.netns])?;
        ip(&[
            "link",
            "add",
            &phone.veth,
            "type",
            "veth",
            "peer",
            "name",
            &peer,
        ])?;
        ip(&["link", "set", &peer, "netns", &phone.netns])?;
        ip(&[
            "addr",
            "add",
            &format!("{}/30", phone.host_ip),
            "dev",
            &phone.veth,
        ])?;
        ip(&["link", "set", &phone.veth, "up"])?;
        let ns = ["-n", phone.netns.as_str()];
        let phone_ip = format!("10.213.{a}.{}/30", b + 2);
        ip(&[&ns[..], &["addr", "add", &phone_ip, "dev", &peer]].concat())?;
        ip(&[&ns[..], &["link", "set", &peer, "up"]].concat())?;
        ip(&[&ns[..], &["link", "set", "lo", "up"]].concat())?;
        Ok(phone)
    }

    /// Runs `f` on a thread inside the namespace, on its own runtime.
    fn run<F, T>(&self, f: F) -> T
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let path = format!("/run/netns/{}", self.netns);
        std::thread::spawn(move || {
            let ns = std::fs::File::open(&path).expect("the namespace file");
            rustix::thread::move_into_link_name_space(
                std::os::fd::AsFd::as_fd(&ns),
                Some(rustix::thread::LinkNameSpaceType::Network),
            )
            .expect("setns into the phone's network namespace");
            f()
        })
        .join()
        .expect("the phone's thread")
    }
}

impl Drop for Phone {
    fn drop(&mut self) {
        let _ = ip(&["link", "del", &self.veth]);
        let _ = ip(&["netns", "del", &self.netns]);
    }
}

/// What the phone does: log in, upload a profile photo through the
/// presigned flow with the URLs it is given, and fetch the photo's URL.
/// Returns the URLs it used.
async fn upload_as_a_phone(api_url: String) -> (String, String) {
    let http = reqwest::Client::new();
    let post = |path: &str, token: Option<&str>, body: Value| {
        let mut req = http.post(format!("{api_url}{path}")).json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    let login = post(
        "/api/v2/auth/login/",
        None,
        json!({"username": REGULAR.0, "password": REGULAR.1}),
    )
    .await
    .expect("the API is reachable from the phone");
    assert_eq!(login.status(), StatusCode::OK);
    let token = login.json::<Value>().await.unwrap()["access"]
        .as_str()
        .unwrap()
        .to_string();

    let photo = jpeg();
    let grant: Value = post(
        "/api/v2/profile/me/image/upload-url/",
        Some(&token),
        json!({"content_type": "image/jpeg", "size": photo.len()}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let upload_url = grant["upload_url"]
        .as_str()
        .expect("upload_url")
        .to_string();
    let mut put = http.put(&upload_url).body(photo);
    for (k, v) in grant["headers"].as_object().unwrap() {
        put = put.header(k, v.as_str().unwrap());
    }
    let put = put
        .send()
        .await
        .expect("the upload URL is reachable from the phone");
    assert_eq!(
        put.status(),
        StatusCode::OK,
        "{}",
        put.text().await.unwrap()
    );

    let confirmed = post(
        "/api/v2/profile/me/image/confirm/",
        Some(&token),
        json!({"key": grant["key"]}),
    )
    .await
    .unwrap();
    assert_eq!(confirmed.status(), StatusCode::OK);
    let image_url = confirmed.json::<Value>().await.unwrap()["image_url"]
        .as_str()
        .expect("image_url")
        .to_string();
    let got = http
        .get(&image_url)
        .send()
        .await
        .expect("the image URL is reachable from the phone");
    assert_eq!(got.status(), StatusCode::OK);
    let bytes = got.bytes().await.unwrap();
    let img = image::load_from_memory(&bytes).expect("the stored photo decodes");
    assert_eq!((img.width(), img.height()), (320, 240));
    (upload_url, image_url)
}

async fn stack_on(host: IpAddr) -> LocalStack {
    let mut opts = StackOptions::ephemeral();
    opts.host = host;
    LocalStack::start(opts).await.expect("local stack starts")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_phone_on_the_network_logs_in_uploads_and_sees_its_photo() {
    let phone = match Phone::create() {
        Ok(p) => Some(p),
        Err(why) => {
            eprintln!("no network namespace ({why}); the phone uses this machine's address");
            None
        }
    };
    let host = match &phone {
        Some(p) => p.host_ip,
        None => {
            let Some(lan) = infra::addresses::machine_addresses()
                .into_iter()
                .find(|ip| ip.is_ipv4() && !ip.is_loopback())
            else {
                eprintln!(
                    "SKIPPED: neither a network namespace nor a non-loopback address on this machine"
                );
                return;
            };
            lan
        }
    };
    let stack = stack_on(host).await;
    assert_eq!(stack.public_url, stack.api_url);
    assert!(stack.public_url.starts_with(&format!("http://{host}:")));
    assert!(stack.public_s3_url.starts_with(&format!("http://{host}:")));
    let api_url = stack.public_url.clone();
    let s3_url = stack.public_s3_url.clone();
    let (upload_url, image_url) = match &phone {
        Some(p) => p.run(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let urls = rt.block_on(upload_as_a_phone(api_url));
            // Control: from the phone, the same URL on 127.0.0.1 (what a
            // stack signing for loopback would hand out) goes nowhere.
            let loopback = urls.1.replacen(&host.to_string(), "127.0.0.1", 1);
            let refused = rt.block_on(reqwest::get(&loopback));
            assert!(refused.is_err(), "127.0.0.1 is the phone's own loopback");
            urls
        }),
        None => upload_as_a_phone(api_url).await,
    };
    assert!(
        upload_url.starts_with(&format!("{s3_url}/")),
        "{upload_url}"
    );
    assert!(image_url.starts_with(&format!("{s3_url}/")), "{image_url}");
    stack.stop().await;
}

#[tokio::test]
async fn media_urls_are_signed_for_the_public_url_behind_a_forwarder() {
    // The stack listens on 127.0.0.1 but clients know it as 127.0.0.2 (as
    // behind a port forwarder): URLs name 127.0.0.2, the stack's own S3 calls
    // still reach the emulator, and a request delivered with the public Host
    // is accepted.
    let mut opts = StackOptions::ephemeral();
    opts.public_url = Some("http://127.0.0.2:3000".into());
    let stack = LocalStack::start(opts).await.expect("local stack starts");
    let api = Api {
        stack,
        http: reqwest::Client::new(),
    };
    let s3_port = api.stack.s3.addr.port();
    assert_eq!(
        api.stack.public_s3_url,
        format!("http://127.0.0.2:{s3_port}")
    );
    let token = api.token(REGULAR).await;
    let photo = jpeg();
    let grant = api
        .post(
            "/api/v2/profile/me/image/upload-url/",
            &token,
            json!({"content_type": "image/jpeg", "size": photo.len()}),
        )
        .await
        .body;
    let upload_url = grant["upload_url"].as_str().unwrap();
    let public = format!("127.0.0.2:{s3_port}");
    assert!(
        upload_url.starts_with(&format!("http://{public}/")),
        "{upload_url}"
    );
    // The forwarder: same request, delivered to the emulator's address.
    let mut put = api
        .http
        .put(upload_url.replacen("127.0.0.2", "127.0.0.1", 1))
        .header("host", &public)
        .body(photo);
    for (k, v) in grant["headers"].as_object().unwrap() {
        put = put.header(k, v.as_str().unwrap());
    }
    assert_eq!(put.send().await.unwrap().status(), StatusCode::OK);
    // The function reads the upload back from the emulator.
    let confirmed = api
        .post(
            "/api/v2/profile/me/image/confirm/",
            &token,
            json!({"key": grant["key"]}),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let image_url = confirmed.body["image_url"].as_str().unwrap();
    assert!(
        image_url.starts_with(&format!("http://{public}/")),
        "{image_url}"
    );
}
