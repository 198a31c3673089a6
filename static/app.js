// Start-up and navigation between the screens.

import { api, serviceLabel } from './api.js';
import { clearAuthErrors, initAuth } from './auth.js';
import { ChallengeView, challengeInAddress, clearAddress } from './challenge.js';
import { GameScreen } from './game.js';
import { HistoryView } from './history.js';
import { LeaderboardView } from './leaderboard.js';
import { isOffline, registerServiceWorker } from './offline.js';
import { initSettings } from './settings.js';

const VIEWS = ['auth', 'game', 'challenge', 'leaderboard', 'history', 'offline'];
let view = null;
let username = null;
// The challenge the page was opened for (`/?defi=<id>`): shown once the player is signed in.
let pendingChallenge = challengeInAddress();

const $ = (id) => document.getElementById(id);

function showView(name, { focus = true } = {}) {
  view = name;
  for (const v of VIEWS) $(`view-${v}`).hidden = v !== name;
  for (const button of document.querySelectorAll('[data-view]')) {
    if (button.dataset.view === name) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  if (focus) $(`view-${name}`).querySelector('h2').focus();
}

const OUTAGE_EFFECTS = {
  score: 'statistiques, points et classement peuvent être indisponibles, mais vous pouvez continuer à jouer.',
  motus: 'les parties ne peuvent pas être chargées pour le moment. Réessayez dans un instant.',
  auth: 'la connexion est impossible pour le moment. Réessayez dans un instant.',
};

function showOutage(services) {
  const unique = [...new Set(services)];
  if (!unique.length) return;
  const text = unique
    .map((s) => `${serviceLabel(s)[0].toUpperCase()}${serviceLabel(s).slice(1)} ne répond pas : ${OUTAGE_EFFECTS[s] || ''}`)
    .join(' ');
  $('banner-text').textContent = text;
  $('banner').hidden = false;
}

function hideOutage() {
  $('banner').hidden = true;
  $('banner-text').textContent = '';
}

function loggedOut(message = '') {
  username = null;
  $('nav').hidden = true;
  $('account').hidden = true;
  $('user-name').textContent = '';
  clearAuthErrors();
  if (message) {
    const box = $('login-error');
    box.textContent = message;
    box.hidden = false;
  }
  showView('auth');
}

const game = new GameScreen({
  onOutage: showOutage,
  onUnauthenticated: (message) => loggedOut(message),
  isActive: () => view === 'game' && !document.querySelector('dialog[open]'),
  onSeeChallenge: (id) => openChallenge(id),
});
const challenge = new ChallengeView({
  onPlay: (started) => {
    showView('game');
    game.play(started);
  },
  onBack: () => {
    showView('game');
    if (!game.game) game.start('daily');
  },
  onError: (error) => {
    if (error.status === 401) loggedOut(error.message);
    else if (error.service) showOutage([error.service]);
  },
});

function openChallenge(id) {
  showView('challenge');
  return challenge.open(id);
}
const leaderboard = new LeaderboardView({ onOutage: showOutage, currentUser: () => username });
const history = new HistoryView({
  onOutage: showOutage,
  onUnauthenticated: (message) => loggedOut(message),
});

function loggedIn(me) {
  username = me.user.username;
  $('user-name').textContent = username;
  $('nav').hidden = false;
  $('account').hidden = false;
  if (me.degraded?.length) showOutage(me.degraded);
  else hideOutage();
  // Focus on the board's heading: typing goes straight to the grid, and a screen reader
  // hears where it landed.
  if (pendingChallenge) {
    const id = pendingChallenge;
    pendingChallenge = null;
    clearAddress();
    openChallenge(id);
    return;
  }
  showView('game');
  // Where the player left off (a practice game too, on any device), else today's game.
  game.resume(me.game, me.games);
}

/** The server cannot be reached: say so, and offer nothing that would need it. */
function showOffline() {
  hideOutage();
  $('nav').hidden = true;
  $('account').hidden = true;
  showView('offline');
}

/** `/api/me` answers a visitor without a session with `authenticated: false`, not an error. */
function arrive(me) {
  if (me?.authenticated === false) loggedOut('');
  else loggedIn(me);
}

async function enter(session) {
  try {
    arrive(await api.me());
  } catch (error) {
    if (error.status === 401) {
      loggedOut(error.message);
      return;
    }
    // Logged in, but the summary failed: play anyway.
    if (error.service) showOutage([error.service]);
    loggedIn({ user: { username: session?.username ?? '' }, degraded: [] });
  }
}

async function boot() {
  initSettings();
  initAuth((session) => enter(session));
  $('banner-close').addEventListener('click', hideOutage);
  for (const button of document.querySelectorAll('[data-view]')) {
    button.addEventListener('click', () => {
      const target = button.dataset.view;
      showView(target);
      if (target === 'leaderboard') leaderboard.load();
      if (target === 'history') history.load();
    });
  }
  $('logout').addEventListener('click', async () => {
    try {
      await api.logout();
    } catch (error) {
      // The server cleared the cookie anyway; only the token's revocation may be late.
      if (error.service) showOutage([error.service]);
    }
    loggedOut();
  });

  $('offline-retry').addEventListener('click', probe);
  // Back online: look again, from the offline screen only (a game in progress is left alone).
  window.addEventListener('online', () => {
    if (view === 'offline') probe();
  });
  registerServiceWorker();
  await probe();
}

/** Who is there, asked at start-up and again when the offline screen retries. */
async function probe() {
  try {
    arrive(await api.me());
  } catch (error) {
    if (isOffline(error)) {
      showOffline();
      return;
    }
    if (error.status !== 401 && error.service) showOutage([error.service]);
    loggedOut(error.status === 401 ? '' : error.message);
  }
}

boot();
