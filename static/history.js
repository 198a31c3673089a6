// The player's past games, newest first, a page at a time.

import { api } from './api.js';
import { cell } from './tables.js';

const PAGE = 20;
// The column "Mode" names the three kinds of game the way the game screen does.
const MODES = { daily: 'du jour', practice: 'entraînement', challenge: 'défi' };

/** A history entry's `date` (`YYYY-MM-DD`, the game's day in Paris) as French write it. */
function formatDate(date) {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

export class HistoryView {
  constructor({ onOutage, onUnauthenticated }) {
    this.onOutage = onOutage;
    this.onUnauthenticated = onUnauthenticated;
    this.body = document.querySelector('#history-table tbody');
    this.message = document.getElementById('history-message');
    this.more = document.getElementById('history-more');
    this.cursor = null;
    this.more.addEventListener('click', () => this.load(false));
  }

  async load(fromStart = true) {
    if (fromStart) {
      this.cursor = null;
      this.body.replaceChildren();
    }
    this.message.textContent = 'Chargement…';
    this.more.hidden = true;
    try {
      const data = await api.history(PAGE, this.cursor);
      for (const game of data.items) this.body.append(this.row(game));
      this.cursor = data.next_cursor;
      this.more.hidden = !this.cursor;
      const empty = this.body.childElementCount === 0;
      this.message.textContent = empty ? 'Aucune partie terminée pour le moment.' : '';
    } catch (error) {
      if (error.status === 401) {
        this.onUnauthenticated(error.message);
        return;
      }
      if (error.isOutage && error.service) this.onOutage([error.service]);
      this.message.textContent = error.isOutage
        ? 'L’historique est indisponible pour le moment. Le jeu reste accessible.'
        : error.message;
    }
  }

  row(game) {
    const { won, tries, mode } = game;
    const row = document.createElement('tr');
    row.dataset.testid = 'history-row';
    row.append(
      cell('th', formatDate(game.date)),
      cell('td', MODES[mode] ?? mode),
      // Null for a daily game of today, to anyone but its player.
      cell('td', game.answer ?? '—'),
      cell('td', game.abandoned ? 'abandonnée (perdue)' : won ? 'gagnée' : 'perdue'),
      cell('td', won ? String(tries) : '—', 'num'),
      // Practice earns no points: a dash rather than a 0 that reads like a poor result.
      cell('td', mode === 'practice' ? '—' : String(game.points), 'num'),
    );
    return row;
  }
}
