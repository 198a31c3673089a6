//! `host`: run a Spin application locally, like `spin up` / `spin build`.

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use host::engine::EngineSettings;
use host::{App, AppOptions, Server, ServerOptions};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    version,
    about = "A Spin-compatible local host for HTTP components, built on wasmtime"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the application (like `spin up`).
    Up(UpArgs),
    /// Run the components' build commands (like `spin build`).
    Build {
        #[arg(short = 'f', long = "from", default_value = "spin.toml")]
        manifest: PathBuf,
        /// Only build these components.
        #[arg(short = 'c', long = "component-id")]
        components: Vec<String>,
    },
}

#[derive(Args)]
struct UpArgs {
    /// The application manifest.
    #[arg(short = 'f', long = "from", default_value = "spin.toml")]
    manifest: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:3000")]
    listen: SocketAddr,
    /// Build the components before starting.
    #[arg(long)]
    build: bool,
    /// Where logs and default key-value data go [default: .spin beside the manifest].
    #[arg(long)]
    state_dir: Option<PathBuf>,
    /// Runtime configuration (key-value stores) [default: runtime-config.toml beside the manifest, if present].
    #[arg(long)]
    runtime_config_file: Option<PathBuf>,
    /// Set an application variable, e.g. `--variable daily_secret=xyz` (repeatable).
    #[arg(long = "variable", value_parser = parse_variable)]
    variables: Vec<(String, String)>,
    /// Where compiled components are cached [default: ~/.cache/motus-host].
    #[arg(long)]
    cache_dir: Option<PathBuf>,
    /// Per-request wall-clock limit, in seconds.
    #[arg(long, default_value_t = 30.0)]
    request_timeout: f64,
    /// Linear-memory limit per instance, in MiB.
    #[arg(long, default_value_t = 256)]
    max_memory_mb: usize,
    /// Outside requests executing at once; more wait in line [default: 8 per CPU core].
    #[arg(long)]
    max_concurrent_requests: Option<usize>,
    /// Allocate instances on demand instead of from a pre-reserved pool.
    #[arg(long)]
    no_pooling: bool,
    /// Seconds a client has to send a whole request head, from the connection being ready for it.
    #[arg(long, default_value_t = 10.0, value_parser = parse_seconds)]
    header_read_timeout: f64,
    /// Seconds an idle connection stays open waiting for its next request.
    #[arg(long, default_value_t = 5.0, value_parser = parse_seconds)]
    keep_alive_timeout: f64,
    /// Seconds a client has to send a whole request body, from the end of its head (else 408).
    #[arg(long, default_value_t = 10.0, value_parser = parse_seconds)]
    body_read_timeout: f64,
    /// Largest request body in MiB; larger ones are refused with 413 before they run.
    #[arg(long, default_value_t = 2)]
    max_body_mb: usize,
    /// Open connections at once; more wait to be accepted.
    #[arg(long, default_value_t = 256)]
    max_connections: usize,
}

fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(secs) if secs > 0.0 && secs.is_finite() => Ok(secs),
        _ => Err(format!("`{s}` is not a positive number of seconds")),
    }
}

fn parse_variable(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .ok_or_else(|| format!("`{s}` is not of the form name=value"))
}

fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,wasmtime_cranelift=warn,cranelift_codegen=warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match Cli::parse().command {
        Command::Build {
            manifest,
            components,
        } => host::build_command::build(&manifest, &components),
        Command::Up(args) => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?
            .block_on(up(args)),
    }
}

async fn up(args: UpArgs) -> Result<()> {
    if args.build {
        host::build_command::build(&args.manifest, &[])?;
    }
    let manifest_dir = args
        .manifest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let state_dir = args.state_dir.unwrap_or_else(|| manifest_dir.join(".spin"));
    let runtime_config = args.runtime_config_file.or_else(|| {
        let beside = manifest_dir.join("runtime-config.toml");
        beside.exists().then_some(beside)
    });
    let options = AppOptions {
        runtime_config,
        variables: args.variables,
        cache_dir: args.cache_dir.or_else(host::engine::default_cache_dir),
        request_timeout: Duration::from_secs_f64(args.request_timeout),
        max_concurrent_requests: args.max_concurrent_requests,
        engine: EngineSettings {
            max_memory: args.max_memory_mb << 20,
            pooling: !args.no_pooling,
            ..EngineSettings::default()
        },
        ..AppOptions::new(&args.manifest, &state_dir)
    };
    let app = App::load(&options).await?;
    if let Some(source) = &app.runtime_config_source {
        for (label, description) in app.stores().descriptions() {
            println!(
                "Using runtime config [key_value_store.{label}: {description}] from {source:?}"
            );
        }
    }
    println!(
        "Logging component stdio to {:?}",
        format!("{}/", app.logs_dir.display())
    );
    let edge = ServerOptions {
        header_read_timeout: Duration::from_secs_f64(args.header_read_timeout),
        keep_alive_timeout: Duration::from_secs_f64(args.keep_alive_timeout),
        body_read_timeout: Duration::from_secs_f64(args.body_read_timeout),
        max_body_bytes: args.max_body_mb << 20,
        max_connections: args.max_connections,
    };
    let server = Server::start_with(app.clone(), args.listen, &edge)
        .await
        .context("cannot start the server")?;
    println!();
    println!("Serving http://{}", server.addr);
    println!("Available Routes:");
    for route in app.router.routes() {
        let (path, kind) = match &route.pattern {
            host::router::Pattern::Wildcard(prefix) => (prefix.as_str(), " (wildcard)"),
            host::router::Pattern::Exact(path) => (path.as_str(), ""),
        };
        println!(
            "  {}: http://{}{}{}",
            route.component, server.addr, path, kind
        );
    }

    shutdown_signal().await;
    println!("Shutting down: waiting for in-flight requests...");
    server.stop().await;
    Ok(())
}

async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
