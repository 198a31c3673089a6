// The player's past games, newest first, a page at a time.

import { api } from './api.js';
import { cell, firstOf, listIn } from './tables.js';

const PAGE = 20;

function formatDate(value) {
  if (typeof value === 'number') {
    return new Date(value * 1000).toLocaleDateString('fr-FR');
  }
  const [y, m, d] = String(value).slice(0, 10).split('-');
  return y && m && d ? `${d}/${m}/${y}` : String(value);
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
      const games = listIn(data, ['games', 'items', 'history', 'entries']);
      for (const game of games) this.body.append(this.row(game));
      this.cursor = firstOf(data, ['next_cursor', 'cursor', 'next'], null);
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
        ? "L'historique est indisponible pour le moment. Le jeu reste accessible."
        : error.message;
    }
  }

  row(game) {
    const won = firstOf(game, ['won'], null);
    const tries = firstOf(game, ['tries'], '—');
    const mode = firstOf(game, ['mode'], '');
    const row = document.createElement('tr');
    row.dataset.testid = 'history-row';
    row.append(
      cell('th', formatDate(firstOf(game, ['date', 'finished_at'], ''))),
      cell('td', mode === 'daily' ? 'du jour' : mode === 'practice' ? 'entraînement' : mode),
      cell('td', String(firstOf(game, ['answer', 'word'], '—'))),
      cell('td', game.abandoned ? 'abandonnée (perdue)' : won === true ? 'gagné' : won === false ? 'perdu' : '—'),
      cell('td', won === false ? '—' : String(tries), 'num'),
      // Practice earns no points: a dash rather than a 0 that reads like a poor result.
      cell('td', mode === 'practice' ? '—' : String(firstOf(game, ['points', 'score'], 0)), 'num'),
    );
    return row;
  }
}
