//! The brain of the conversational onboarding: an employee finishes the four
//! required profile fields by talking. It asks for what is missing,
//! understands typed answers and speech-recognizer transcripts, and says what
//! to write. No I/O: the integrator stores the [`Conversation`] (JSON),
//! validates and writes the changes, and passes the fresh profile every turn.
//!
//! ```
//! use chrono::NaiveDate;
//! use dialogue::{Conversation, Outcome, ProfileView};
//!
//! let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
//! let mut profile = ProfileView::default();
//! let (mut conversation, reply) = Conversation::start(&profile, "en-GB");
//! assert!(reply.message.ends_with("What is your date of birth? For example: 15 January 1990."));
//!
//! let understanding = conversation.understand("I was born on 14/3/1990", today);
//! // The integrator PATCHes {"profile": understanding.profile_patch()} here.
//! assert_eq!(understanding.profile_patch()["dateofbirth"], "1990-03-14");
//! profile.dateofbirth = understanding.dateofbirth;
//! let reply = conversation.apply(&understanding, &Outcome::Accepted, &profile);
//! assert_eq!(reply.understood["dateofbirth"], "1990-03-14");
//! assert_eq!(reply.completion_percentage, 25);
//! ```

mod conversation;
mod dates;
mod lexer;
mod locale;
mod messages;
mod profile;
mod reply;
mod understanding;
mod vocabulary;

pub use conversation::Conversation;
pub use lexer::MAX_MESSAGE_CHARS;
pub use locale::{DateOrder, DEFAULT_LOCALE};
pub use profile::{Field, Gender, ProfileView};
pub use reply::{MissingField, Outcome, Reply, Status};
pub use understanding::{Ambiguity, Intent, Problem, Understanding};
pub use vocabulary::{command_words, date_words, field_words, gender_words, vocabulary};
