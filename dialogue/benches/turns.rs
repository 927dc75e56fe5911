//! Prints how long a turn takes (understand + apply), typical and worst-case
//! messages: `cargo bench -p dialogue`. Figures only, no thresholds.

use std::hint::black_box;
use std::time::Instant;

use chrono::NaiveDate;
use dialogue::{Conversation, Outcome, ProfileView, MAX_MESSAGE_CHARS};

fn main() {
    let today = NaiveDate::from_ymd_opt(2025, 6, 1).expect("a real date");
    let profile = ProfileView::default();
    let (conversation, _) = Conversation::start(&profile, "en-GB");
    let longest = "nineteen ninety ".repeat(MAX_MESSAGE_CHARS / 16 + 1);
    let cases = [
        ("typed date", "15/01/1990"),
        (
            "sentence",
            "I was born on the 15th of January 1990 and I'm a woman",
        ),
        (
            "transcript",
            "i was born on the fifteenth of january nineteen ninety",
        ),
        ("nothing understood", "hello there, how are you today?"),
        ("1000-char number words", longest.as_str()),
    ];
    for (name, message) in cases {
        let rounds = 2_000;
        let start = Instant::now();
        for _ in 0..rounds {
            let mut c = conversation.clone();
            let u = c.understand(black_box(message), today);
            black_box(c.apply(&u, &Outcome::Accepted, &profile));
        }
        let per_turn = start.elapsed() / rounds;
        println!(
            "{name:<24} {:>9.1} µs per turn",
            per_turn.as_secs_f64() * 1e6
        );
    }
}
