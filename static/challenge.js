// « Défier un ami »: the challenge page (who challenges, then everyone's result once the
// player's own game is over) and the link a finished practice game offers. The link holds the
// challenge's id only; the server says what may be seen of it.

import { api } from './api.js';
import { copyText } from './share.js';
import { cell } from './tables.js';

const PARAM = 'defi';
const EMOJI = { correct: '🟥', present: '🟡', absent: '🟦' };
const MARK_NAMES = { correct: 'bien placée', present: 'mal placée', absent: 'absente' };

const $ = (id) => document.getElementById(id);

/** The challenge id of the address the page was opened at (`/?defi=<id>`), if any. */
export function challengeInAddress() {
  const id = new URLSearchParams(window.location.search).get(PARAM);
  return id && /^[0-9a-f]{32}$/.test(id) ? id : id ? 'invalid' : null;
}

/** Forgets the challenge in the address, so a reload resumes the game as usual. */
export function clearAddress() {
  const url = new URL(window.location.href);
  if (!url.searchParams.has(PARAM)) return;
  url.searchParams.delete(PARAM);
  window.history.replaceState(null, '', url.pathname + url.search + url.hash);
}

export function challengeLink(id) {
  return `${window.location.origin}/?${PARAM}=${id}`;
}

function triesText(result) {
  if (result.status === 'won') return `trouvé en ${result.tries} essai${result.tries > 1 ? 's' : ''}`;
  if (result.status === 'lost') return 'pas trouvé';
  return `en cours (${result.tries} essai${result.tries > 1 ? 's' : ''})`;
}

/** The grid as emoji, and in words for a screen reader. */
function gridCell(result) {
  const td = document.createElement('td');
  const rows = result.marks.map((row) => row.map((m) => EMOJI[m] || '⬜').join(''));
  const grid = document.createElement('span');
  grid.className = 'challenge-grid';
  grid.setAttribute('aria-hidden', 'true');
  grid.textContent = rows.join('\n');
  const words = document.createElement('span');
  words.className = 'visually-hidden';
  words.textContent = result.marks.length
    ? result.marks
      .map((row, i) => {
        const right = row.filter((m) => m === 'correct').length;
        return `essai ${i + 1} : ${right} lettre${right > 1 ? 's' : ''} ${MARK_NAMES.correct}${right > 1 ? 's' : ''}`;
      })
      .join(' ; ')
    : 'aucun essai';
  td.append(grid, words);
  return td;
}

export class ChallengeView {
  /**
   * `onPlay(game)` shows a game on the game screen, `onBack()` returns to it, `onError(error)`
   * handles a failure the page cannot (session expired, outage).
   */
  constructor({ onPlay, onBack, onError }) {
    this.onPlay = onPlay;
    this.onError = onError;
    this.id = null;
    $('challenge-play').addEventListener('click', () => this.play());
    $('challenge-back').addEventListener('click', () => onBack());
  }

  say(text, kind = 'info') {
    $('challenge-message').textContent = text;
    $('challenge-message').dataset.kind = kind;
  }

  /** Loads challenge `id` (or 'invalid', from a link that is not one) and shows it. */
  async open(id) {
    this.id = id;
    $('challenge-title').textContent = 'Défi';
    $('challenge-intro').textContent = '';
    $('challenge-play').hidden = true;
    $('challenge-results').hidden = true;
    this.say('');
    if (id === 'invalid') {
      this.say('Ce lien de défi n’est pas valide : il a peut-être été coupé ou modifié.', 'error');
      return;
    }
    try {
      this.render(await api.challenge(id));
    } catch (error) {
      if (error.status === 404) {
        this.say('Ce défi n’existe pas : le lien a peut-être été coupé ou modifié.', 'error');
      } else {
        this.say(error.message, 'error');
        this.onError(error);
      }
    }
  }

  render(challenge) {
    const word = `un mot de ${challenge.length} lettres qui commence par ${challenge.first_letter}`;
    const mine = challenge.role === 'creator';
    $('challenge-title').textContent = mine ? 'Votre défi' : `Défi de ${challenge.creator}`;
    $('challenge-intro').textContent = mine
      ? `Vos amis jouent le mot de votre partie : ${word}.`
      : `${challenge.creator} vous défie sur ${word}, en ${challenge.max_tries} essais.`;
    const play = $('challenge-play');
    play.hidden = challenge.role === 'creator' || (challenge.status && challenge.status !== 'playing');
    play.textContent = challenge.status === 'playing' ? 'Reprendre la partie' : 'Relever le défi';
    if (!challenge.results) {
      if (challenge.role !== 'visitor') {
        this.say('Les résultats s’afficheront quand votre partie sera terminée.');
      }
      return;
    }
    $('challenge-answer').textContent = challenge.answer;
    const body = $('challenge-table').querySelector('tbody');
    body.replaceChildren();
    for (const result of challenge.results) {
      const row = document.createElement('tr');
      row.dataset.testid = 'challenge-row';
      const name = result.creator ? `${result.player} (a lancé le défi)` : result.player;
      row.append(cell('th', name), cell('td', triesText(result)), gridCell(result));
      body.append(row);
    }
    $('challenge-results').hidden = false;
    if (challenge.players < 2) this.say('Personne n’a encore relevé ce défi.');
  }

  async play() {
    try {
      this.onPlay(await api.takeUpChallenge(this.id));
    } catch (error) {
      this.say(error.message, 'error');
      if (error.status !== 409) this.onError(error);
    }
  }
}

/** The end panel's « Défier un ami »: makes the link of a finished practice game, to copy or send. */
export function initChallengeOffer() {
  let link = '';
  $('challenge-make').addEventListener('click', async () => {
    const gameId = $('end-challenge').dataset.game;
    const confirm = $('challenge-confirm');
    confirm.hidden = true;
    try {
      const challenge = await api.offerChallenge(gameId);
      link = challengeLink(challenge.id);
      $('challenge-link').value = link;
      $('challenge-share').hidden = false;
      $('challenge-make').hidden = true;
      $('challenge-send').hidden = typeof navigator.share !== 'function';
      $('challenge-link').select();
    } catch (error) {
      confirm.textContent = error.message;
      confirm.hidden = false;
    }
  });
  $('challenge-copy').addEventListener('click', async () => {
    const ok = await copyText(link);
    const confirm = $('challenge-confirm');
    confirm.textContent = ok ? 'Lien copié !' : 'Copie impossible : sélectionnez le lien ci-dessus.';
    confirm.hidden = false;
  });
  $('challenge-send').addEventListener('click', async () => {
    try {
      await navigator.share({ title: 'Motus : un défi', text: 'Saurez-vous trouver ce mot ?', url: link });
    } catch {
      // Dismissed by the player: nothing to say.
    }
  });
}

/** Readies the end panel's challenge part for `game`. */
export function prepareChallengeOffer(game) {
  const offer = game.mode === 'practice';
  const section = $('end-challenge');
  section.hidden = !offer;
  section.dataset.game = offer ? game.id : '';
  $('challenge-make').hidden = false;
  $('challenge-share').hidden = true;
  $('challenge-link').value = '';
  $('challenge-confirm').hidden = true;
}
