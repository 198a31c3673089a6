// The on-screen AZERTY keyboard, coloured by what the server's marks have revealed, and the
// physical keyboard bound to the same actions.

import { foldLetters, MARK_MEANINGS } from './letters.js';

const LAYOUT = [
  ['A', 'Z', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P'],
  ['Q', 'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L', 'M'],
  ['Backspace', 'W', 'X', 'C', 'V', 'B', 'N', 'Enter'],
];

const SPECIAL = {
  Backspace: { label: '⌫', name: 'Effacer', testid: 'key-backspace' },
  Enter: { label: '⏎', name: 'Valider', testid: 'key-enter' },
};

const RANK = { absent: 1, present: 2, correct: 3 };

/** The best mark seen for each letter across all guesses: correct beats present beats absent. */
export function letterStates(guesses) {
  const states = {};
  for (const { word, marks } of guesses) {
    Array.from(word).forEach((letter, i) => {
      const mark = marks[i];
      if ((RANK[mark] || 0) > (RANK[states[letter]] || 0)) states[letter] = mark;
    });
  }
  return states;
}

export class Keyboard {
  /** `onKey` receives a letter A–Z, 'Backspace' or 'Enter'. */
  constructor(container, onKey) {
    this.keys = new Map();
    container.replaceChildren();
    for (const row of LAYOUT) {
      const rowEl = document.createElement('div');
      rowEl.className = 'kb-row';
      for (const key of row) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'key';
        button.dataset.key = key;
        button.dataset.state = 'unknown';
        const special = SPECIAL[key];
        button.dataset.testid = special ? special.testid : `key-${key}`;
        if (special) {
          button.classList.add('key-wide');
          button.textContent = special.label;
          button.setAttribute('aria-label', special.name);
        } else {
          button.textContent = key;
        }
        button.addEventListener('click', () => onKey(key));
        rowEl.append(button);
        this.keys.set(key, button);
      }
      container.append(rowEl);
    }
  }

  paint(guesses) {
    const states = letterStates(guesses);
    for (const [key, button] of this.keys) {
      if (SPECIAL[key]) continue;
      const state = states[key] || 'unknown';
      if (button.dataset.state === state) continue;
      button.dataset.state = state;
      if (state === 'unknown') button.removeAttribute('aria-label');
      else button.setAttribute('aria-label', `${key}, ${MARK_MEANINGS[state]}`);
    }
  }
}

function typingTarget(target) {
  return target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName));
}

/**
 * Physical keys → the same actions, only while `active()` says the board has the keyboard.
 * `typing()` tells whether letters are waiting in the current row.
 */
export function bindPhysicalKeyboard(onKey, active, typing) {
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (!active() || typingTarget(event.target)) return;
    if (event.key === 'Enter') {
      // Enter on a focused on-screen key presses that key. On another focused button (say the
      // mode button just clicked) it submits once a word is being typed, and presses the
      // button otherwise.
      const button = event.target instanceof HTMLButtonElement ? event.target : null;
      if (button && (button.dataset.key || !typing())) return;
      event.preventDefault();
      onKey('Enter');
    } else if (event.key === 'Backspace') {
      event.preventDefault();
      onKey('Backspace');
    } else if (event.key.length <= 2) {
      const letters = foldLetters(event.key);
      if (!letters) return;
      event.preventDefault();
      for (const letter of letters) onKey(letter);
    }
  });
}
