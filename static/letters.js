// Turning what the player types into the game's alphabet: uppercase A–Z, accents folded
// (É→E, Ç→C, Œ→OE), as the server spells its words.

const LIGATURES = { Œ: 'OE', Æ: 'AE', ß: 'SS' };

/** The A–Z letters of `text`, folded; anything else is dropped. */
export function foldLetters(text) {
  return Array.from(text.toUpperCase())
    .map((ch) => LIGATURES[ch] ?? ch.normalize('NFD').replace(/\p{M}/gu, ''))
    .join('')
    .replace(/[^A-Z]/g, '');
}

/** Marks as colour words for the screen-reader summary of a row. */
export const MARK_WORDS = {
  classic: { correct: 'rouge', present: 'jaune', absent: 'bleu' },
  colorblind: { correct: 'orange', present: 'bleu clair', absent: 'gris' },
};

/** What a mark means, for accessible names of cells and keys. */
export const MARK_MEANINGS = {
  correct: 'bien placée',
  present: 'mal placée',
  absent: 'absente',
};
