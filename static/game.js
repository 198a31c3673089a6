// The game screen: starting or resuming a game, typing a word, sending it and showing the
// server's verdict. The browser never scores a guess; it only displays the marks it receives.

import { api } from './api.js';
import { Grid } from './grid.js';
import { Keyboard, bindPhysicalKeyboard } from './keyboard.js';
import { MARK_WORDS } from './letters.js';
import { announce } from './live.js';
import { initEndPanel, showEndPanel } from './endpanel.js';
import { isOffline } from './offline.js';
import { isColorblind } from './settings.js';

// Said when a guess could not leave the device: the word stays typed, no try is used. Short:
// on a phone the board shrinks to keep the keyboard's Enter in view below it (style.css).
export const GUESS_NOT_SENT =
  'Hors ligne : votre mot n’a pas été envoyé. Appuyez sur Entrée pour le renvoyer.';

const PRACTICE_KEY = 'motus.practice';
const REVEAL_STEP_MS = 150;

const reducedMotion = () => window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

function remember(key, value) {
  try {
    if (value) localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    // Without storage a practice game simply is not resumed after a reload.
  }
}

function recall(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function formatDate(iso) {
  const [y, m, d] = String(iso || '').split('-');
  return y && m && d ? `${d}/${m}/${y}` : iso;
}

/** "Ligne 2 : M rouge, A jaune, I bleu" — what a sighted player sees of a marked row. */
export function rowSummary(guess, row, palette) {
  const words = MARK_WORDS[palette];
  const letters = Array.from(guess.word).map((l, i) => `${l} ${words[guess.marks[i]]}`);
  return `Ligne ${row + 1} : ${letters.join(', ')}`;
}

export class GameScreen {
  /**
   * `onOutage(services)` shows a degraded-service banner, `onUnauthenticated()` goes back to
   * the login screen, `isActive()` tells whether the game has the keyboard.
   */
  constructor({ onOutage, onUnauthenticated, isActive, onSeeChallenge }) {
    this.onOutage = onOutage;
    this.onUnauthenticated = onUnauthenticated;
    this.game = null;
    this.typed = '';
    this.busy = false;
    this.mode = 'daily';
    this.open = [];
    this.grid = new Grid(document.getElementById('grid'));
    this.keyboard = new Keyboard(document.getElementById('keyboard'), (key) => this.onKey(key));
    this.message = document.getElementById('message');
    this.info = document.getElementById('game-info');
    this.resultButton = document.getElementById('show-result');
    bindPhysicalKeyboard(
      (key) => this.onKey(key),
      () => isActive() && this.canType(),
      () => this.typed.length > 0,
    );

    document.getElementById('mode-daily').addEventListener('click', () => this.start('daily'));
    document.getElementById('mode-practice').addEventListener('click', () => this.start('practice'));
    document.getElementById('new-game').addEventListener('click', () => this.newPractice());
    this.resultButton.addEventListener('click', () => this.game && showEndPanel(this.game));
    initEndPanel({ onNewPractice: () => this.newPractice(), onSeeChallenge });
  }

  canType() {
    return Boolean(this.game) && this.game.status === 'playing' && !this.busy;
  }

  say(text, kind = 'info') {
    this.message.textContent = text;
    this.message.dataset.kind = kind;
  }

  fail(error) {
    if (error.status === 401) {
      this.onUnauthenticated(error.message);
      return;
    }
    if (error.isOutage && error.service) this.onOutage([error.service]);
    this.say(error.message || 'Une erreur est survenue.', 'error');
  }

  setMode(mode) {
    this.mode = mode;
    for (const m of ['daily', 'practice']) {
      document.getElementById(`mode-${m}`).setAttribute('aria-pressed', String(m === mode));
    }
    document.getElementById('practice-options').hidden = mode !== 'practice';
  }

  /**
   * On arrival, from `/api/me` (so on any device): `game` is where the player left off, if they
   * left a game unfinished; `games` all their unfinished games, most recent first. Without a
   * game to resume, today's game.
   */
  resume(game, games) {
    this.open = Array.isArray(games) ? games : [];
    if (!game) return this.start('daily');
    this.setMode(game.mode);
    this.say('');
    if (game.mode === 'practice') remember(PRACTICE_KEY, game.id);
    this.show(game);
    return Promise.resolve();
  }

  /** Shows `game` as it is (a challenge game just started or resumed from its page). */
  play(game) {
    this.setMode(game.mode);
    this.say('');
    this.show(game);
  }

  /** Daily: today's game (created or resumed by the server). Practice: the last one, or a new one. */
  async start(mode) {
    this.setMode(mode);
    this.say('');
    try {
      if (mode === 'daily') {
        this.show(await api.newGame('daily'));
        return;
      }
      // This device's last practice game, else one left unfinished on another device.
      const saved = recall(PRACTICE_KEY) || this.open.find((g) => g.mode === 'practice')?.id;
      if (saved) {
        try {
          const game = await api.game(saved);
          if (game.status === 'playing') {
            this.show(game);
            return;
          }
        } catch (error) {
          if (error.status !== 404 && error.status !== 403) throw error;
        }
      }
      await this.newPractice();
    } catch (error) {
      this.fail(error);
    }
  }

  async newPractice() {
    this.setMode('practice');
    const length = Number(document.getElementById('length-select').value) || 7;
    this.say('');
    try {
      const game = await api.newGame('practice', length);
      remember(PRACTICE_KEY, game.id);
      this.show(game);
    } catch (error) {
      this.fail(error);
    }
  }

  show(game) {
    this.game = game;
    this.typed = '';
    this.grid.render(game, this.typed);
    this.keyboard.paint(game.guesses);
    const label = game.mode === 'daily'
      ? `Mot du jour du ${formatDate(game.date)}`
      : game.mode === 'challenge' ? 'Défi entre amis' : 'Entraînement';
    this.info.textContent = `${label} — ${game.length} lettres, commence par ${game.first_letter}`;
    this.resultButton.hidden = game.status === 'playing';
    if (game.degraded?.length) this.onOutage(game.degraded);
    if (game.status === 'playing') {
      announce(`${label}. Mot de ${game.length} lettres commençant par ${game.first_letter}. ` +
        `Essai ${game.guesses.length + 1} sur ${game.max_tries}.`);
    } else {
      this.say(game.mode === 'daily'
        ? 'Partie du jour terminée. Revenez demain pour un nouveau mot !'
        : game.mode === 'challenge' ? 'Défi terminé : voyez le résultat.' : 'Partie terminée.');
    }
  }

  onKey(key) {
    if (!this.canType()) return;
    const { length, first_letter: first } = this.game;
    if (key === 'Enter') {
      this.submit();
      return;
    }
    if (key === 'Backspace') {
      this.typed = this.typed.length <= 1 ? '' : this.typed.slice(0, -1);
    } else if (/^[A-Z]$/.test(key) && this.typed.length < length) {
      // The first letter is given: typing another letter first means the player skipped it.
      this.typed = this.typed === '' && key !== first ? first + key : this.typed + key;
    }
    this.say('');
    this.grid.render(this.game, this.typed);
  }

  async submit() {
    const game = this.game;
    const row = game.guesses.length;
    if (this.typed.length < game.length) {
      this.say(`Le mot doit faire ${game.length} lettres.`, 'error');
      announce(`Le mot doit faire ${game.length} lettres.`);
      this.grid.shakeRow(row);
      return;
    }
    this.busy = true;
    try {
      const next = await api.guess(game, this.typed);
      this.afterGuess(next, row);
    } catch (error) {
      if (error.status === 422) {
        // No try used: the row stays as typed so the player can correct it.
        this.say(error.message, 'error');
        announce(error.message);
        this.grid.shakeRow(row);
      } else if (error.status === 409) {
        this.say(error.message, 'error');
        try {
          this.show(await api.game(game.id));
        } catch (reloadError) {
          this.fail(reloadError);
        }
      } else if (isOffline(error)) {
        // Not the generic « Impossible de joindre le serveur »: the player must know the word
        // is still theirs to send, not lost and not counted.
        this.say(GUESS_NOT_SENT, 'offline');
        announce(GUESS_NOT_SENT);
      } else {
        this.fail(error);
      }
    } finally {
      this.busy = false;
    }
  }

  afterGuess(game, row) {
    this.game = game;
    this.typed = '';
    this.grid.render(game, '', row);
    this.keyboard.paint(game.guesses);
    this.say('');
    const palette = isColorblind() ? 'colorblind' : 'classic';
    let summary = rowSummary(game.guesses[row], row, palette);
    if (game.status === 'won') summary += `. Gagné en ${game.guesses.length} essais !`;
    if (game.status === 'lost') summary += `. Perdu : le mot était ${game.answer}.`;
    announce(summary);
    if (game.degraded?.length) this.onOutage(game.degraded);
    if (game.status !== 'playing') {
      this.resultButton.hidden = false;
      if (game.mode === 'practice') remember(PRACTICE_KEY, null);
      const delay = reducedMotion() ? 0 : REVEAL_STEP_MS * game.length + 400;
      setTimeout(() => showEndPanel(game), delay);
    }
  }
}
