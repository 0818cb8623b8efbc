use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    polku::cli::Cli::parse().run().await
}
