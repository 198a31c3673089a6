// The only module that talks to the server. Every failure becomes an ApiError carrying a French
// message, so the screens never have to read the server's error shape themselves.

const SERVICE_NAMES = {
  auth: 'd’authentification',
  motus: 'de jeu',
  score: 'des scores',
};

// The wording the player reads for the codes they can meet, whatever message the service sent
// (every code is one of the catalogue's, docs/api.md).
const MESSAGES = {
  invalid_credentials: 'Nom d’utilisateur ou mot de passe incorrect.',
  username_taken: 'Ce nom d’utilisateur est déjà pris.',
  invalid_username: 'Nom d’utilisateur invalide : 2 à 20 caractères parmi lettres, chiffres, « _ », « . » et « - », avec une lettre ou un chiffre au début et à la fin.',
  invalid_password: 'Mot de passe invalide : 8 à 256 caractères.',
  too_many_attempts: 'Trop de tentatives. Réessayez plus tard.',
  unauthenticated: 'Votre session a expiré. Reconnectez-vous.',
  not_in_dictionary: 'Ce mot n’est pas dans le dictionnaire.',
  invalid_word: 'Ce mot contient des caractères non valides.',
  game_over: 'Cette partie est déjà terminée.',
  invalid_length: 'La longueur doit être comprise entre 6 et 10 lettres.',
  no_answer_for_length: 'Aucun mot disponible pour cette longueur.',
  cross_site: 'Requête refusée : elle ne vient pas de ce site.',
  payload_too_large: 'Requête trop volumineuse.',
  invalid_query: 'Paramètre invalide.',
  not_challengeable: 'Seule une partie d’entraînement terminée peut devenir un défi.',
  own_challenge: 'C’est votre propre défi : envoyez le lien à un ami pour qu’il le relève.',
  challenge_full: 'Ce défi a atteint son nombre maximal de joueurs.',
};

function unavailableMessage(service) {
  const name = SERVICE_NAMES[service];
  return name
    ? `Le service ${name} ne répond pas pour le moment. Réessayez dans un instant.`
    : 'Un service ne répond pas pour le moment. Réessayez dans un instant.';
}

export class ApiError extends Error {
  constructor({ status, code, message, service = null, retryAfter = null, detail = null }) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.service = service;
    this.retryAfter = retryAfter;
    // Extra facts for a few messages (e.g. the expected length of a word).
    this.detail = detail;
  }

  /** A sibling service is down or broken, as opposed to a refusal of what was asked. */
  get isOutage() {
    return this.status === 0 || this.status >= 500;
  }
}

function frenchMessage(status, error, retryAfter, context) {
  const code = error.code;
  if (status === 502 || status === 503 || status === 504) return unavailableMessage(error.service);
  if (status >= 500) return 'Erreur du serveur. Réessayez dans un instant.';
  if (code === 'too_many_attempts' && retryAfter) {
    return `Trop de tentatives. Réessayez dans ${retryAfter} secondes.`;
  }
  if (code === 'wrong_length') {
    return context.length
      ? `Le mot doit faire ${context.length} lettres.`
      : 'Le mot n’a pas la bonne longueur.';
  }
  if (code === 'wrong_first_letter') {
    return context.firstLetter
      ? `Le mot doit commencer par ${context.firstLetter}.`
      : 'Le mot ne commence pas par la bonne lettre.';
  }
  if (MESSAGES[code]) return MESSAGES[code];
  if (status === 401) return MESSAGES.unauthenticated;
  if (status === 404) return 'Introuvable.';
  if (status === 429) return 'Trop de requêtes. Réessayez plus tard.';
  return 'Requête refusée.';
}

async function request(method, path, body, context = {}) {
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const unreachable = () => new ApiError({
    status: 0,
    code: 'network',
    message: 'Impossible de joindre le serveur. Vérifiez votre connexion.',
  });
  // The device knows it has no network: asking anyway would only add the browser's own
  // « Failed to load resource » to the console for a request that cannot go out.
  if (typeof navigator !== 'undefined' && navigator.onLine === false) throw unreachable();
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw unreachable();
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (response.ok) return data;
  const error = (data && typeof data.error === 'object' && data.error) || {};
  const retryAfter = response.headers.get('Retry-After');
  throw new ApiError({
    status: response.status,
    code: error.code || `http_${response.status}`,
    message: frenchMessage(response.status, error, retryAfter, context),
    service: error.service || null,
    retryAfter,
    detail: error.message || null,
  });
}

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  me: () => request('GET', '/api/me'),
  register: (username, password) => request('POST', '/api/register', { username, password }),
  login: (username, password) => request('POST', '/api/login', { username, password }),
  logout: () => request('POST', '/api/logout', {}),
  daily: () => request('GET', '/api/daily'),
  newGame: (mode, length) =>
    request('POST', '/api/games', length ? { mode, length } : { mode }),
  game: (id) => request('GET', `/api/games/${encodeURIComponent(id)}`),
  /** `game` gives the expected length and first letter for the refusal messages. */
  guess: (game, word) =>
    request('POST', `/api/games/${encodeURIComponent(game.id)}/guesses`, { word }, {
      length: game.length,
      firstLetter: game.first_letter,
    }),
  offerChallenge: (gameId) => request('POST', '/api/challenges', { game_id: gameId }),
  challenge: (id) => request('GET', `/api/challenges/${encodeURIComponent(id)}`),
  takeUpChallenge: (id) => request('POST', `/api/challenges/${encodeURIComponent(id)}/games`, {}),
  history: (limit, cursor) => request('GET', `/api/history${query({ limit, cursor })}`),
  leaderboard: (period, limit) => request('GET', `/api/leaderboard${query({ period, limit })}`),
};

/** French phrase for a degraded service, used by the banner ("le service des scores"). */
export function serviceLabel(service) {
  return SERVICE_NAMES[service] ? `le service ${SERVICE_NAMES[service]}` : 'un service';
}
