//! The use cases behind the routes: start a game, guess, read a game or its result.
//!
//! Everything outside (clock, randomness, the daily secret, the store) is handed in, so these
//! run the same natively in tests and inside the component.

use super::calendar::Date;
use super::dictionary::Dictionary;
use super::draw::{daily_answer, practice_answer};
use super::game::{Game, Length, Mode, NewGame, Rejection};
use super::ids::{GameId, Player};
use super::repo::{Change, Kv, Repo, StoreError};
use super::word::{Guess, Word};

/// Why a use case did not go through.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlayError {
    /// No such game, or not the caller's: the two look the same from outside.
    #[error("partie introuvable")]
    NotFound,
    #[error("la partie n'est pas terminée")]
    NotFinished,
    #[error(transparent)]
    Rejected(#[from] Rejection),
    #[error("aucun mot disponible pour cette longueur")]
    NoAnswer,
    /// The daily word cannot be drawn without a key; guessing it must stay impossible.
    #[error("the daily_secret variable is empty")]
    NoSecret,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Where the key of the daily draw comes from.
#[derive(Debug, Clone, Copy)]
pub enum DailyKey<'a> {
    /// The `daily_secret` variable.
    Configured(&'a [u8]),
    /// None configured: a random key kept in the store. The first request that needs it
    /// proposes `candidate`; later ones read the stored one.
    Stored { candidate: [u8; 32] },
}

/// Fresh randomness for a game that may be created: its id and the practice draw.
#[derive(Debug, Clone, Copy)]
pub struct Entropy {
    pub id: [u8; 16],
    pub pick: u64,
}

/// A game that was started or found.
#[derive(Debug)]
pub struct Started {
    pub game: Game,
    /// False when an existing daily game was returned.
    pub created: bool,
}

/// The public face of today's word.
#[derive(Debug, PartialEq, Eq)]
pub struct DailyOutline {
    pub date: Date,
    pub length: usize,
    pub first_letter: char,
}

/// What the use cases need, for one request.
pub struct Motus<'a, K> {
    pub repo: Repo<'a, K>,
    pub dictionary: &'a Dictionary<'a>,
    pub daily_key: DailyKey<'a>,
    /// Unix seconds.
    pub now: i64,
}

impl<K: Kv> Motus<'_, K> {
    pub fn today(&self) -> Date {
        Date::in_paris(self.now)
    }

    pub fn daily_outline(&self) -> Result<DailyOutline, PlayError> {
        let answer = self.daily_word(self.today())?;
        Ok(DailyOutline {
            date: self.today(),
            length: answer.len(),
            first_letter: answer.first_letter(),
        })
    }

    /// Starts a practice game, or starts or resumes today's daily game, and makes it current.
    /// `length` only applies to practice: the daily word is the same for everyone.
    pub fn start(
        &self,
        player: &Player,
        mode: Mode,
        length: Option<Length>,
        entropy: Entropy,
    ) -> Result<Started, PlayError> {
        let date = self.today();
        let answer = match mode {
            Mode::Daily => self.daily_word(date)?,
            Mode::Practice => practice_answer(length, entropy.pick, self.dictionary.answers())
                .ok_or(PlayError::NoAnswer)?,
        };
        let fresh = Game::new(NewGame {
            id: GameId::from_random(entropy.id),
            player: player.clone(),
            mode,
            date,
            answer,
            now: self.now,
        });
        let started = match mode {
            Mode::Daily => {
                let (game, created) = self.repo.claim_daily(date, player, fresh)?;
                Started { game, created }
            }
            Mode::Practice => {
                self.repo.insert(&fresh)?;
                Started {
                    game: fresh,
                    created: true,
                }
            }
        };
        let id = started.game.id();
        if started.created || self.repo.current(player)?.as_ref() != Some(id) {
            self.repo.set_current(player, id)?;
        }
        Ok(started)
    }

    /// The caller's game; someone else's game is reported as not found.
    pub fn game(&self, player: &Player, id: &GameId) -> Result<Game, PlayError> {
        let game = self
            .repo
            .load(id)?
            .filter(|game| game.player() == player)
            .ok_or(PlayError::NotFound)?;
        self.end_if_day_over(game)
    }

    /// Plays `guess` in the caller's game `id`. Only an accepted guess writes, or the end of a
    /// daily game whose day is over, which refuses the guess as the game is then over.
    pub fn guess(&self, player: &Player, id: &GameId, guess: &Guess) -> Result<Game, PlayError> {
        let today = self.today();
        let updated = self.repo.update(id, |game| {
            if game.player() != player {
                return Err(PlayError::NotFound);
            }
            if game.abandon_if_over(today, self.now) {
                return Ok(Change::Save(Err(Rejection::GameOver)));
            }
            game.play(guess, self.dictionary, self.now)?;
            Ok(Change::Save(Ok(())))
        })?;
        let (game, played) = updated.ok_or(PlayError::NotFound)?;
        played?;
        Ok(game)
    }

    /// `game` as it stands now: a daily game still being played after its day is lost, and
    /// saved so (once, by compare-and-swap; a concurrent request may have done it already).
    fn end_if_day_over(&self, game: Game) -> Result<Game, PlayError> {
        let today = self.today();
        if !game.is_overdue(today) {
            return Ok(game);
        }
        let updated = self.repo.update(game.id(), |game| {
            Ok::<_, PlayError>(match game.abandon_if_over(today, self.now) {
                true => Change::Save(()),
                false => Change::Keep(()),
            })
        })?;
        updated.map(|(game, ())| game).ok_or(PlayError::NotFound)
    }

    /// The player's daily games from past days that score may not hold yet: each is ended if
    /// still being played (a loss) and returned for recording. Games already recorded, or gone,
    /// leave the list of open dailies. This is how a daily game the player never comes back to
    /// counts: the next time motus sees the player.
    pub fn past_dailies(&self, player: &Player) -> Result<Vec<Game>, PlayError> {
        let today = self.today();
        let mut pending = Vec::new();
        let mut settled = Vec::new();
        for (id, date) in self.repo.open_dailies(player)? {
            if date >= today {
                continue;
            }
            match self.repo.load(&id)? {
                Some(game) if game.player() == player => {
                    let game = self.end_if_day_over(game)?;
                    match game.needs_recording() {
                        true => pending.push(game),
                        false => settled.push(id),
                    }
                }
                _ => settled.push(id),
            }
        }
        self.repo.close(player, &settled)?;
        Ok(pending)
    }

    /// Notes that these games are settled (score holds them).
    pub fn close_dailies(&self, player: &Player, ids: &[GameId]) -> Result<(), PlayError> {
        Ok(self.repo.close(player, ids)?)
    }

    /// Deletes every game of the player and every key that names them.
    pub fn forget(&self, player: &Player) -> Result<(), PlayError> {
        Ok(self.repo.forget(player, self.today())?)
    }

    /// The seed's `POST /motus/guess`: plays in the caller's current game while it is still on,
    /// otherwise in today's daily game (started if need be).
    pub fn guess_current(
        &self,
        player: &Player,
        guess: &Guess,
        entropy: Entropy,
    ) -> Result<Game, PlayError> {
        let today = self.today();
        let ongoing = match self.repo.current(player)? {
            Some(id) => self
                .repo
                .load(&id)?
                .filter(|g| g.player() == player && !g.is_over() && !g.is_overdue(today)),
            None => None,
        };
        let id = match ongoing {
            Some(game) => game.id().clone(),
            None => self
                .start(player, Mode::Daily, None, entropy)?
                .game
                .id()
                .clone(),
        };
        self.guess(player, &id, guess)
    }

    /// A finished game, for score: `caller` is the player whose token came with the request,
    /// or `None` for a sibling that proved it holds the shared secret. Another player's game is
    /// unknown to them. Unknown and unfinished games are kept apart so the adapter can say
    /// which, though both answer "not found".
    pub fn finished(&self, id: &GameId, caller: Option<&Player>) -> Result<Game, PlayError> {
        let game = self
            .repo
            .load(id)?
            .filter(|game| caller.is_none_or(|player| game.player() == player))
            .ok_or(PlayError::NotFound)?;
        let game = self.end_if_day_over(game)?;
        if game.is_over() {
            Ok(game)
        } else {
            Err(PlayError::NotFinished)
        }
    }

    /// The player's current game if it is over and score has not acknowledged it yet.
    pub fn unrecorded_current(&self, player: &Player) -> Result<Option<Game>, PlayError> {
        let Some(id) = self.repo.current(player)? else {
            return Ok(None);
        };
        Ok(self
            .repo
            .load(&id)?
            .filter(|g| g.player() == player && g.needs_recording()))
    }

    /// Notes that score holds the result of `id`; writes only the first time.
    pub fn mark_recorded(&self, id: &GameId) -> Result<Game, PlayError> {
        let updated = self.repo.update(id, |game| {
            Ok::<_, PlayError>(if game.mark_recorded() {
                Change::Save(())
            } else {
                Change::Keep(())
            })
        })?;
        updated.map(|(game, ())| game).ok_or(PlayError::NotFound)
    }

    fn daily_word(&self, date: Date) -> Result<Word, PlayError> {
        let secret = match self.daily_key {
            DailyKey::Configured(secret) => secret.to_vec(),
            DailyKey::Stored { candidate } => self.repo.daily_secret(&candidate)?,
        };
        if secret.is_empty() {
            // An empty HMAC key would make every daily word predictable.
            return Err(PlayError::NoSecret);
        }
        daily_answer(&secret, date, self.dictionary.answers()).ok_or(PlayError::NoAnswer)
    }
}

#[cfg(test)]
mod tests {
    use super::super::dictionary::{WordList, WordSource};
    use super::super::game::Status;
    use super::super::repo::memory::MemoryKv;
    use super::*;
    use spin_kit::kv::{insert_json, update_json, Step};

    /// 2024-05-01T10:00:00Z, noon in Paris.
    const NOON: i64 = 1_714_557_600;
    const VALID: &str = "MAISON,MOUTON,MARCHE,MIROIR,MELONS,MOULIN,BATEAU,BALADE";

    fn valid() -> WordList {
        WordList::parse(VALID).unwrap()
    }

    fn player(name: &str) -> Player {
        Player::parse(name).unwrap()
    }

    fn guess(text: &str) -> Guess {
        Guess::parse(text).unwrap()
    }

    fn entropy(n: u8) -> Entropy {
        Entropy {
            id: [n; 16],
            pick: u64::from(n),
        }
    }

    /// Runs `body` with a `Motus` over `kv` whose only answer is `answer`.
    fn with<R>(
        kv: &MemoryKv,
        answer: &str,
        now: i64,
        body: impl FnOnce(&Motus<'_, MemoryKv>) -> R,
    ) -> R {
        let valid = valid();
        let answers = WordList::default();
        let dictionary = Dictionary::new(&valid, &answers, WordList::parse(answer).unwrap());
        let motus = Motus {
            repo: Repo::new(kv),
            dictionary: &dictionary,
            daily_key: DailyKey::Configured(b"secret"),
            now,
        };
        body(&motus)
    }

    #[test]
    fn a_practice_game_is_created_and_becomes_current() {
        let kv = MemoryKv::default();
        let started = with(&kv, "MAISON", NOON, |m| {
            m.start(&player("alice"), Mode::Practice, None, entropy(1))
        })
        .unwrap();
        assert!(started.created);
        assert_eq!(started.game.mode(), Mode::Practice);
        let id = started.game.id().clone();
        assert_eq!(
            with(&kv, "MAISON", NOON, |m| m.repo.current(&player("alice"))).unwrap(),
            Some(id)
        );
    }

    #[test]
    fn the_daily_game_is_created_once_per_player_and_day() {
        let kv = MemoryKv::default();
        let alice = player("alice");
        let first = with(&kv, "MAISON", NOON, |m| {
            m.start(&alice, Mode::Daily, None, entropy(1))
        })
        .unwrap();
        let again = with(&kv, "MAISON", NOON + 3600, |m| {
            m.start(&alice, Mode::Daily, None, entropy(2))
        })
        .unwrap();
        assert!(first.created);
        assert!(!again.created);
        assert_eq!(first.game.id(), again.game.id());
        assert_eq!(first.game.date().to_string(), "2024-05-01");

        let bob = with(&kv, "MAISON", NOON, |m| {
            m.start(&player("bob"), Mode::Daily, None, entropy(3))
        })
        .unwrap();
        assert!(bob.created);
        assert_ne!(bob.game.id(), first.game.id());

        let tomorrow = with(&kv, "MAISON", NOON + 86_400, |m| {
            m.start(&alice, Mode::Daily, None, entropy(4))
        })
        .unwrap();
        assert!(tomorrow.created);
        assert_eq!(tomorrow.game.date().to_string(), "2024-05-02");
    }

    #[test]
    fn resuming_the_daily_game_makes_it_current_again() {
        let kv = MemoryKv::default();
        let alice = player("alice");
        let daily = with(&kv, "MAISON", NOON, |m| {
            m.start(&alice, Mode::Daily, None, entropy(1))
        })
        .unwrap();
        with(&kv, "MAISON", NOON, |m| {
            m.start(&alice, Mode::Practice, None, entropy(2))
        })
        .unwrap();
        with(&kv, "MAISON", NOON, |m| {
            m.start(&alice, Mode::Daily, None, entropy(3))
        })
        .unwrap();
        let current = with(&kv, "MAISON", NOON, |m| m.repo.current(&alice)).unwrap();
        assert_eq!(current.as_ref(), Some(daily.game.id()));
    }

    #[test]
    fn a_daily_claimed_concurrently_keeps_the_first_game_and_drops_the_other() {
        let kv = MemoryKv::default();
        let alice = player("alice");
        // Another request claims the day between our read of the pointer and our swap.
        let theirs = with(&kv, "MAISON", NOON, |m| {
            Game::new(NewGame {
                id: GameId::from_random([9; 16]),
                player: alice.clone(),
                mode: Mode::Daily,
                date: m.today(),
                answer: Word::parse("MAISON").unwrap(),
                now: NOON,
            })
        });
        let theirs_id = theirs.id().to_string();
        let their_game = theirs.clone();
        let mut fired = false;
        // The other request wins the claim on the day's pointer just before ours.
        kv.interfere(move |key, store| {
            if let Some(pointer) = key.strip_suffix("#claim") {
                if pointer.starts_with("daily:") && !fired {
                    fired = true;
                    insert_json(store, &format!("game:{theirs_id}"), &their_game).unwrap();
                    store.increment(key, 1).unwrap();
                    insert_json(store, pointer, &theirs_id).unwrap();
                }
            }
        });
        let started = with(&kv, "MAISON", NOON, |m| {
            m.start(&alice, Mode::Daily, None, entropy(1))
        })
        .unwrap();
        assert!(!started.created);
        assert_eq!(started.game.id(), theirs.id());
        let ours = format!("game:{}", GameId::from_random([1; 16]));
        assert!(
            !kv.keys().contains(&ours),
            "the losing game was left behind"
        );
    }

    #[test]
    fn practice_honours_the_requested_length() {
        let kv = MemoryKv::default();
        let length = Length::new(7).unwrap();
        let result = with(&kv, "MAISON,BATEAUX", NOON, |m| {
            m.start(&player("a1"), Mode::Practice, Some(length), entropy(5))
        });
        assert_eq!(result.unwrap().game.length(), 7);
        let none = with(&kv, "MAISON", NOON, |m| {
            m.start(&player("a1"), Mode::Practice, Some(length), entropy(5))
        });
        assert_eq!(none.unwrap_err(), PlayError::NoAnswer);
    }

    #[test]
    fn guesses_are_played_and_saved() {
        let kv = MemoryKv::default();
        let alice = player("alice");
        let id = with(&kv, "MAISON", NOON, |m| {
            m.start(&alice, Mode::Practice, None, entropy(1))
        })
        .unwrap()
        .game
        .id()
        .clone();
        let game = with(&kv, "MAISON", NOON, |m| {
            m.guess(&alice, &id, &guess("mouton"))
        })
        .unwrap();
        assert_eq!(game.view().guesses.len(), 1);
        let won = with(&kv, "MAISON", NOON + 5, |m| {
            m.guess(&alice, &id, &guess("maison"))
        })
        .unwrap();
        assert_eq!(won.status(), Status::Won);
        assert_eq!(
            with(&kv, "MAISON", NOON, |m| m.game(&alice, &id)).unwrap(),
            won
        );
    }

    #[test]
    fn a_rejected_guess_writes_nothing() {
        let kv = MemoryKv::default();
        let alice = player("alice");
        let id = with(&kv, "MAISON", NOON, |m| {
            m.start(&alice, Mode::Practice, None, entropy(1))
        })
        .unwrap()
        .game
        .id()
        .clone();
        let writes = *kv.writes.lock().unwrap();
        for bad in ["mzzzzz", "bateau", "maisons"] {
            let err = with(&kv, "MAISON", NOON, |m| m.guess(&alice, &id, &guess(bad))).unwrap_err();
            assert!(matches!(err, PlayError::Rejected(_)), "{bad}: {err:?}");
        }
        assert_eq!(*kv.writes.lock().unwrap(), writes);
    }

    #[test]
    fn other_players_games_are_not_found() {
        let kv = MemoryKv::default();
        let id = with(&kv, "MAISON", NOON, |m| {
            m.start(&player("alice"), Mode::Practice, None, entropy(1))
        })
        .unwrap()
        .game
        .id()
        .clone();
        let mallory = player("mallory");
        assert_eq!(
            with(&kv, "MAISON", NOON, |m| m.game(&mallory, &id)).unwrap_err(),
            PlayError::NotFound
        );
        assert_eq!(
            with(&kv, "MAISON", NOON, |m| m.guess(
                &mallory,
                &id,
                &guess("maison")
            ))
            .unwrap_err(),
            PlayError::NotFound
        );
        let unknown = GameId::from_random([0xee; 16]);
        assert_eq!(
            with(&kv, "MAISON", NOON, |m| m.guess(
                &mallory,
                &unknown,
                &guess("maison")
            ))
            .unwrap_err(),
            PlayError::NotFound
        );
    }

    #[test]
    fn a_guess_retries_when_another_guess_lands_first() {
        let kv = MemoryKv::default();
        let alice = player("alice");
        let id = with(&kv, "MAISON", NOON, |m| {
            m.start(&alice, Mode::Practice, None, entropy(1))
        })
        .unwrap()
        .game
        .id()
        .clone();
        // Between our read and our swap, another request plays MOUTON.
        let key = format!("game:{id}");
        let mut rival = with(&kv, "MAISON", NOON, |m| m.game(&alice, &id)).unwrap();
        with(&kv, "MAISON", NOON, |m| {
            rival.play(&guess("MOUTON"), m.dictionary, NOON)
        })
        .unwrap();
        let mut fired = false;
        kv.interfere(move |k, store| {
            if k == key && !fired {
                fired = true;
                update_json(store, k, 1, |_: Option<Game>| {
                    Ok::<_, StoreError>(Step::Write(rival.clone(), ()))
                })
                .unwrap();
            }
        });
        let game = with(&kv, "MAISON", NOON, |m| {
            m.guess(&alice, &id, &guess("MARCHE"))
        })
        .unwrap();
        let words: Vec<&str> = game
            .view()
            .guesses
            .iter()
            .map(|g| g.word.as_str())
            .collect();
        assert_eq!(words, ["MOUTON", "MARCHE"]);
    }

    #[test]
    fn sixty_four_concurrent_guesses_use_exactly_six_tries() {
        let kv = MemoryKv::default();
        let alice = player("alice");
        let id = with(&kv, "MAISON", NOON, |m| {
            m.start(&alice, Mode::Practice, None, entropy(1))
        })
        .unwrap()
        .game
        .id()
        .clone();
        let outcomes: Vec<Result<Game, PlayError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..64)
                .map(|_| {
                    scope.spawn(|| {
                        with(&kv, "MAISON", NOON, |m| {
                            m.guess(&alice, &id, &guess("MOUTON"))
                        })
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let accepted = outcomes.iter().filter(|o| o.is_ok()).count();
        let over = outcomes
            .iter()
            .filter(|o| matches!(o, Err(PlayError::Rejected(Rejection::GameOver))))
            .count();
        assert_eq!((accepted, over), (6, 58), "{outcomes:?}");
        let game = with(&kv, "MAISON", NOON, |m| m.game(&alice, &id)).unwrap();
        assert_eq!(game.status(), Status::Lost);
        assert_eq!(game.view().guesses.len(), 6);
    }

    #[test]
    fn the_seed_route_plays_the_current_game_or_todays_daily() {
        let kv = MemoryKv::default();
        let alice = player("alice");
        // No game yet: the daily game is started and played.
        let daily = with(&kv, "MAISON", NOON, |m| {
            m.guess_current(&alice, &guess("mouton"), entropy(1))
        })
        .unwrap();
        assert_eq!(daily.mode(), Mode::Daily);
        assert_eq!(daily.view().guesses.len(), 1);
        // A practice game in progress is preferred.
        let practice = with(&kv, "MAISON", NOON, |m| {
            m.start(&alice, Mode::Practice, None, entropy(2))
        })
        .unwrap()
        .game;
        let played = with(&kv, "MAISON", NOON, |m| {
            m.guess_current(&alice, &guess("maison"), entropy(3))
        })
        .unwrap();
        assert_eq!(played.id(), practice.id());
        assert_eq!(played.status(), Status::Won);
        // Practice over: back to the daily game, where the earlier guess is still there.
        let back = with(&kv, "MAISON", NOON, |m| {
            m.guess_current(&alice, &guess("marche"), entropy(4))
        })
        .unwrap();
        assert_eq!(back.id(), daily.id());
        assert_eq!(back.view().guesses.len(), 2);
        // Daily over: the game-over rejection comes through.
        with(&kv, "MAISON", NOON, |m| {
            m.guess_current(&alice, &guess("maison"), entropy(5))
        })
        .unwrap();
        let err = with(&kv, "MAISON", NOON, |m| {
            m.guess_current(&alice, &guess("maison"), entropy(6))
        })
        .unwrap_err();
        assert_eq!(err, PlayError::Rejected(Rejection::GameOver));
    }

    #[test]
    fn results_exist_only_for_finished_games() {
        let kv = MemoryKv::default();
        let alice = player("alice");
        let id = with(&kv, "MAISON", NOON, |m| {
            m.start(&alice, Mode::Practice, None, entropy(1))
        })
        .unwrap()
        .game
        .id()
        .clone();
        assert_eq!(
            with(&kv, "MAISON", NOON, |m| m.finished(&id, None)).unwrap_err(),
            PlayError::NotFinished
        );
        with(&kv, "MAISON", NOON, |m| {
            m.guess(&alice, &id, &guess("maison"))
        })
        .unwrap();
        assert!(with(&kv, "MAISON", NOON, |m| m.finished(&id, None))
            .unwrap()
            .result()
            .is_some());
        let unknown = GameId::from_random([3; 16]);
        assert_eq!(
            with(&kv, "MAISON", NOON, |m| m.finished(&unknown, None)).unwrap_err(),
            PlayError::NotFound
        );
    }

    #[test]
    fn a_finished_current_game_waits_for_recording_until_marked() {
        let kv = MemoryKv::default();
        let alice = player("alice");
        let id = with(&kv, "MAISON", NOON, |m| {
            m.start(&alice, Mode::Practice, None, entropy(1))
        })
        .unwrap()
        .game
        .id()
        .clone();
        assert!(with(&kv, "MAISON", NOON, |m| m.unrecorded_current(&alice))
            .unwrap()
            .is_none());
        with(&kv, "MAISON", NOON, |m| {
            m.guess(&alice, &id, &guess("maison"))
        })
        .unwrap();
        let pending = with(&kv, "MAISON", NOON, |m| m.unrecorded_current(&alice)).unwrap();
        assert_eq!(pending.map(|g| g.id().clone()), Some(id.clone()));

        with(&kv, "MAISON", NOON, |m| m.mark_recorded(&id)).unwrap();
        let writes = *kv.writes.lock().unwrap();
        let again = with(&kv, "MAISON", NOON, |m| m.mark_recorded(&id)).unwrap();
        assert_eq!(
            *kv.writes.lock().unwrap(),
            writes,
            "marking twice wrote twice"
        );
        assert_eq!(again.view().recorded, Some(true));
        assert!(with(&kv, "MAISON", NOON, |m| m.unrecorded_current(&alice))
            .unwrap()
            .is_none());
    }

    #[test]
    fn the_daily_outline_reveals_only_length_and_first_letter() {
        let kv = MemoryKv::default();
        let outline = with(&kv, "BATEAUX", NOON, |m| m.daily_outline()).unwrap();
        assert_eq!(
            outline,
            DailyOutline {
                date: "2024-05-01".parse().unwrap(),
                length: 7,
                first_letter: 'B'
            }
        );
    }

    #[test]
    fn an_empty_configured_key_refuses_daily_games() {
        let kv = MemoryKv::default();
        let valid = valid();
        let answers = WordList::default();
        let dictionary = Dictionary::new(&valid, &answers, WordList::parse("MAISON").unwrap());
        let motus = Motus {
            repo: Repo::new(&kv),
            dictionary: &dictionary,
            daily_key: DailyKey::Configured(b""),
            now: NOON,
        };
        assert_eq!(motus.daily_outline().unwrap_err(), PlayError::NoSecret);
        let daily = motus.start(&player("alice"), Mode::Daily, None, entropy(1));
        assert_eq!(daily.unwrap_err(), PlayError::NoSecret);
        assert!(motus
            .start(&player("alice"), Mode::Practice, None, entropy(2))
            .is_ok());
    }

    #[test]
    fn without_a_configured_key_the_first_stored_key_is_used_by_everyone() {
        use super::super::dictionary::embedded::{ANSWERS, VALID};
        let kv = MemoryKv::default();
        let dictionary = Dictionary::new(&VALID, &ANSWERS, WordList::default());
        let outline = |candidate: [u8; 32]| {
            let motus = Motus {
                repo: Repo::new(&kv),
                dictionary: &dictionary,
                daily_key: DailyKey::Stored { candidate },
                now: NOON,
            };
            let alice = motus
                .start(&player("alice"), Mode::Daily, None, entropy(candidate[0]))
                .unwrap()
                .game;
            (
                alice.length(),
                alice.first_letter(),
                motus.repo.daily_secret(&[0xff; 32]).unwrap(),
            )
        };
        let first = outline([1; 32]);
        assert_eq!(first.2, vec![1; 32]);
        // Other requests propose other keys but find the first one.
        for n in 2..10 {
            assert_eq!(outline([n; 32]), first);
        }
    }

    #[test]
    fn corrupt_records_are_reported_not_served() {
        let kv = MemoryKv::default();
        let id = GameId::from_random([5; 16]);
        kv.put_raw(&format!("game:{id}"), b"{not json");
        let err = with(&kv, "MAISON", NOON, |m| m.game(&player("alice"), &id)).unwrap_err();
        assert!(matches!(err, PlayError::Store(StoreError::Corrupt(_))));
    }

    #[test]
    fn the_shipped_answers_are_used_without_planted_words() {
        use super::super::dictionary::embedded::{ANSWERS, VALID};
        let kv = MemoryKv::default();
        let dictionary = Dictionary::new(&VALID, &ANSWERS, WordList::default());
        let motus = Motus {
            repo: Repo::new(&kv),
            dictionary: &dictionary,
            daily_key: DailyKey::Configured(b"s"),
            now: NOON,
        };
        let game = motus
            .start(&player("alice"), Mode::Daily, None, entropy(1))
            .unwrap()
            .game;
        assert!(ANSWERS.total() > 0);
        assert_eq!(motus.daily_outline().unwrap().length, game.length());
    }

    /// Alice's daily game of `NOON`, with `words` played.
    fn daily_with(kv: &MemoryKv, words: &[&str]) -> GameId {
        let alice = player("alice");
        let id = with(kv, "MAISON", NOON, |m| {
            m.start(&alice, Mode::Daily, None, entropy(1))
        })
        .unwrap()
        .game
        .id()
        .clone();
        for word in words {
            with(kv, "MAISON", NOON, |m| m.guess(&alice, &id, &guess(word))).unwrap();
        }
        id
    }

    #[test]
    fn a_daily_game_still_on_when_its_day_ends_is_lost() {
        let kv = MemoryKv::default();
        let alice = player("alice");
        let id = daily_with(&kv, &["mouton"]);
        // 23:59 in Paris (UTC+2 in May): still on.
        let late = NOON + 11 * 3600 + 59 * 60;
        let still = with(&kv, "MAISON", late, |m| m.game(&alice, &id)).unwrap();
        assert_eq!(still.status(), Status::Playing);
        assert!(still.view().answer.is_none());

        let next_day = NOON + 12 * 3600;
        let refused = with(&kv, "MAISON", next_day, |m| {
            m.guess(&alice, &id, &guess("maison"))
        });
        assert_eq!(
            refused.unwrap_err(),
            PlayError::Rejected(Rejection::GameOver)
        );
        let game = with(&kv, "MAISON", next_day, |m| m.game(&alice, &id)).unwrap();
        assert_eq!(game.status(), Status::Lost);
        assert!(game.view().abandoned);
        let result = game.result().unwrap();
        assert_eq!(
            (result.won, result.tries, result.abandoned),
            (false, 1, true)
        );
        assert_eq!(result.finished_at, next_day);
    }

    #[test]
    fn past_dailies_are_ended_and_handed_over_until_recorded() {
        let kv = MemoryKv::default();
        let alice = player("alice");
        let untouched = daily_with(&kv, &[]);
        let next_day = NOON + 86_400;
        assert!(
            with(&kv, "MAISON", NOON, |m| m.past_dailies(&alice))
                .unwrap()
                .is_empty(),
            "today's game is not past"
        );
        let today = with(&kv, "MAISON", next_day, |m| {
            m.start(&alice, Mode::Daily, None, entropy(2))
        })
        .unwrap()
        .game;

        let pending = with(&kv, "MAISON", next_day, |m| m.past_dailies(&alice)).unwrap();
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].id(), &untouched);
        assert_eq!(pending[0].result().unwrap().tries, 0);
        let again = with(&kv, "MAISON", next_day, |m| m.past_dailies(&alice)).unwrap();
        assert_eq!(again, pending, "handed over again until score has it");

        with(&kv, "MAISON", next_day, |m| m.mark_recorded(&untouched)).unwrap();
        with(&kv, "MAISON", next_day, |m| {
            m.close_dailies(&alice, std::slice::from_ref(&untouched))
        })
        .unwrap();
        let open = with(&kv, "MAISON", next_day, |m| m.repo.open_dailies(&alice)).unwrap();
        assert_eq!(open, [(today.id().clone(), today.date())]);
    }

    #[test]
    fn a_result_is_for_its_player_or_a_trusted_sibling_only() {
        let kv = MemoryKv::default();
        let id = daily_with(&kv, &["maison"]);
        let mallory = player("mallory");
        assert_eq!(
            with(&kv, "MAISON", NOON, |m| m.finished(&id, Some(&mallory))).unwrap_err(),
            PlayError::NotFound
        );
        for caller in [Some(player("alice")), None] {
            let game = with(&kv, "MAISON", NOON, |m| m.finished(&id, caller.as_ref())).unwrap();
            assert_eq!(game.result().unwrap().answer.to_string(), "MAISON");
        }
    }

    #[test]
    fn forgetting_a_player_removes_their_games_and_pointers_only() {
        let kv = MemoryKv::default();
        let alice = player("alice");
        let bob = player("bob");
        let daily = daily_with(&kv, &["mouton"]);
        let practice = with(&kv, "MAISON", NOON, |m| {
            m.start(&alice, Mode::Practice, None, entropy(3))
        })
        .unwrap()
        .game;
        let bobs = with(&kv, "MAISON", NOON, |m| {
            m.start(&bob, Mode::Daily, None, entropy(4))
        })
        .unwrap()
        .game;

        with(&kv, "MAISON", NOON, |m| m.forget(&alice)).unwrap();

        let live: Vec<String> = kv
            .keys()
            .into_iter()
            .filter(|key| !key.ends_with("#claim"))
            .filter(|key| {
                let value = kv.get(key).unwrap().unwrap();
                serde_json::from_slice::<serde_json::Value>(&value)
                    .map_or(true, |doc| !doc["doc"].is_null())
            })
            .collect();
        for id in [&daily, practice.id()] {
            assert!(
                !live.iter().any(|key| key.contains(id.as_str())),
                "{live:?}"
            );
        }
        assert!(!live.iter().any(|key| key.contains("alice")), "{live:?}");
        assert_eq!(
            with(&kv, "MAISON", NOON, |m| m.game(&bob, bobs.id())).unwrap(),
            bobs
        );
        with(&kv, "MAISON", NOON, |m| m.forget(&alice)).unwrap();

        let again = with(&kv, "MAISON", NOON, |m| {
            m.start(&alice, Mode::Daily, None, entropy(5))
        })
        .unwrap();
        assert!(
            again.created,
            "a new account of the same name starts afresh"
        );
        assert!(again.game.view().guesses.is_empty());
    }
}
