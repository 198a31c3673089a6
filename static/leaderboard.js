// The leaderboard view (day, week, all time).

import { api } from './api.js';
import { cell } from './tables.js';

const PERIODS = ['day', 'week', 'all'];

export class LeaderboardView {
  constructor({ onOutage, currentUser }) {
    this.onOutage = onOutage;
    this.currentUser = currentUser;
    this.period = 'day';
    this.body = document.querySelector('#leaderboard-table tbody');
    this.message = document.getElementById('leaderboard-message');
    for (const period of PERIODS) {
      document.getElementById(`period-${period}`).addEventListener('click', () => this.load(period));
    }
  }

  async load(period = this.period) {
    this.period = period;
    for (const p of PERIODS) {
      document.getElementById(`period-${p}`).setAttribute('aria-pressed', String(p === period));
    }
    this.message.textContent = 'Chargement…';
    try {
      const data = await api.leaderboard(period, 20);
      this.fill(data.entries);
    } catch (error) {
      this.body.replaceChildren();
      if (error.isOutage && error.service) this.onOutage([error.service]);
      this.message.textContent = error.isOutage
        ? 'Le classement est indisponible pour le moment. Le jeu reste accessible.'
        : error.message;
    }
  }

  fill(entries) {
    this.body.replaceChildren();
    this.message.textContent = entries.length ? '' : 'Aucun joueur classé pour cette période.';
    const me = this.currentUser()?.toLowerCase();
    for (const entry of entries) {
      const player = entry.player;
      const row = document.createElement('tr');
      row.dataset.testid = 'leaderboard-row';
      if (player.toLowerCase() === me) row.classList.add('is-me');
      row.append(
        cell('td', String(entry.rank)),
        cell('th', player),
        cell('td', String(entry.points), 'num'),
        cell('td', String(entry.won), 'num'),
        cell('td', String(entry.played), 'num'),
      );
      this.body.append(row);
    }
  }
}
