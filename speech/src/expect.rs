use std::collections::BTreeSet;

/// What the current question of the dialogue expects; it picks the grammar
/// that constrains recognition. Every grammar also accepts the commands
/// "skip", "go back", "back", "yes" and "no".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Expect {
    /// A spoken date: "fifteenth of january nineteen ninety",
    /// "january the fifteenth", "fifteen january two thousand five".
    Date,
    /// A gender: "male", "female", "man", "woman", "other", "non binary",
    /// "prefer not to say", "rather not say".
    Gender,
    /// Only the commands: for yes/no confirmations ("is that right?").
    Confirmation,
}

impl Expect {
    pub const ALL: [Expect; 3] = [Expect::Date, Expect::Gender, Expect::Confirmation];

    /// The words a transcript for this expectation can hold (its grammar's
    /// vocabulary, commands included): what a dialogue parser must handle.
    pub fn words(self) -> BTreeSet<String> {
        crate::grammar::words(self)
    }

    /// The name of its grammar and of its PocketSphinx search.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Expect::Date => "date",
            Expect::Gender => "gender",
            Expect::Confirmation => "confirmation",
        }
    }
}
