// The end-of-game dialog: answer, points, statistics and the shareable grid.

import { api } from './api.js';
import { initChallengeOffer, prepareChallengeOffer } from './challenge.js';
import { startCountdown, stopCountdown } from './countdown.js';
import { copyText, shareText } from './share.js';
import { renderStats } from './stats.js';

const dialog = () => document.getElementById('end-panel');
let current = null;

function pointsText(game) {
  // Only the daily word counts: practice is unlimited, so it earns no points and no rank.
  if (game.mode === 'practice') return 'aucun (entraînement, hors classement)';
  // A friend's word is played for the comparison only: it never reaches score.
  if (game.mode === 'challenge') return 'aucun (défi entre amis, hors classement)';
  const points = game.score?.points;
  if (Number.isFinite(points)) return `${points} point${points > 1 ? 's' : ''}`;
  if (game.degraded?.includes('score')) {
    return 'Points indisponibles : le service des scores ne répond pas. Ils seront comptés plus tard.';
  }
  return game.status === 'won' ? '—' : '0 point';
}

export function initEndPanel({ onNewPractice, onSeeChallenge }) {
  document.getElementById('end-close').addEventListener('click', () => dialog().close());
  dialog().addEventListener('close', stopCountdown);
  document.getElementById('share-button').addEventListener('click', async () => {
    if (!current) return;
    const confirm = document.getElementById('share-confirm');
    const ok = await copyText(shareText(current));
    confirm.textContent = ok ? 'Résultat copié !' : 'Copie impossible : sélectionnez le texte ci-dessus.';
    confirm.hidden = false;
  });
  initChallengeOffer();
  document.getElementById('end-see-challenge').addEventListener('click', () => {
    const challenge = current?.challenge;
    dialog().close();
    if (challenge) onSeeChallenge(challenge);
  });
  document.getElementById('end-new-game').addEventListener('click', () => {
    dialog().close();
    onNewPractice();
  });
}

/** Opens the panel for a finished game; statistics are fetched fresh since score just changed. */
export async function showEndPanel(game) {
  current = game;
  const won = game.status === 'won';
  document.getElementById('end-title').textContent = won ? 'Bravo !' : 'Perdu…';
  document.getElementById('end-result').textContent = won
    ? `Mot trouvé en ${game.guesses.length} essai${game.guesses.length > 1 ? 's' : ''}.`
    : game.abandoned
      ? 'La journée est finie : cette partie du jour compte comme perdue.'
      : `Vous n’avez pas trouvé le mot en ${game.max_tries} essais.`;
  document.getElementById('end-answer').textContent = game.answer ?? '?';
  document.getElementById('end-points').textContent = pointsText(game);
  document.getElementById('share-text').textContent = shareText(game);
  document.getElementById('share-confirm').hidden = true;
  document.getElementById('end-new-game').textContent =
    game.mode === 'practice' ? 'Nouvelle partie' : 'S’entraîner';
  prepareChallengeOffer(game);
  const challenge = game.mode === 'challenge';
  document.getElementById('end-see-challenge').hidden = !challenge;
  document.getElementById('end-stats-section').hidden = challenge;
  const statsBox = document.getElementById('end-stats');
  statsBox.setAttribute('aria-busy', 'true');
  if (!dialog().open) dialog().showModal();
  const countdown = document.getElementById('end-countdown');
  countdown.hidden = true;
  stopCountdown();
  // No statistics count a challenge game: nothing to fetch.
  if (challenge) {
    statsBox.removeAttribute('aria-busy');
    return;
  }
  let me = null;
  try {
    me = await api.me();
  } catch {
    me = null;
  }
  const stats = me?.stats ?? null;
  // Today's word is played: say when the next one comes (practice can go on meanwhile).
  if (game.mode === 'daily' && Number.isFinite(me?.next_daily_at)) {
    startCountdown(countdown, me.next_daily_at);
  }
  // Daily games have the main figures; practice is counted apart, without streaks.
  const practice = game.mode === 'practice';
  document.getElementById('end-stats-title').textContent = practice
    ? 'Statistiques d’entraînement'
    : 'Statistiques des parties du jour';
  const shown = practice ? (stats?.practice ?? null) : stats;
  renderStats(statsBox, shown, won ? game.guesses.length : null, { streaks: !practice });
  statsBox.removeAttribute('aria-busy');
}
