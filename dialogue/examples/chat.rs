//! Talk to the dialogue on the terminal: `cargo run -p dialogue --example chat -- en-GB`.
//! Every proposed value is accepted (no validation), as a stand-in integrator.

use std::io::BufRead;

use chrono::NaiveDate;
use dialogue::{Conversation, Field, Outcome, ProfileView};

fn main() {
    let locale = std::env::args().nth(1).unwrap_or_else(|| "en-US".into());
    let today = NaiveDate::from_ymd_opt(2025, 6, 1).expect("a real date");
    let mut profile = ProfileView::default();
    let (mut conversation, reply) = Conversation::start(&profile, &locale);
    println!("bot: {}", reply.message);
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        if line.trim() == "/upload" {
            profile.has_image = true;
            println!("(image uploaded)");
            continue;
        }
        let understanding = conversation.understand(&line, today);
        println!("     {understanding:?}");
        profile.dateofbirth = understanding.dateofbirth.or(profile.dateofbirth);
        profile.dateofjoin = understanding.dateofjoin.or(profile.dateofjoin);
        profile.gender = understanding.gender.or(profile.gender);
        let reply = conversation.apply(&understanding, &Outcome::Accepted, &profile);
        println!(
            "bot: {} [{:?}, expecting {:?}, {}%]",
            reply.message,
            reply.status,
            reply.expecting.map(Field::key),
            reply.completion_percentage
        );
    }
}
