// Shared by the fuzz targets: a small site config with the two starter topics.
use std::path::Path;

pub fn config() -> briefing::Config {
    let toml = "title = \"Fuzz\"\nbase_url = \"https://example.org/\"\ntimezone = \"Europe/Brussels\"\n\
        [[topics]]\nslug = \"tech-partnerships\"\nname = \"Tech partnerships\"\nkeywords = [\"cloud\", \"chips\"]\n\
        [[topics]]\nslug = \"raw-materials\"\nname = \"Raw materials\"\nkeywords = [\"lithium\", \"copper\"]\n";
    briefing::Config::from_toml(Path::new("/fuzz"), Path::new("briefing.toml"), toml, Default::default())
        .expect("the fuzz config is valid")
}
