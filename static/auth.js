// The login and registration forms.

import { api } from './api.js';

function showError(form, message) {
  const box = form.querySelector('.form-error');
  box.textContent = message;
  box.hidden = !message;
  for (const input of form.querySelectorAll('input')) {
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
}

function bind(form, submit, onDone) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const username = form.elements.username.value.trim();
    const password = form.elements.password.value;
    if (!username || !password) {
      showError(form, 'Renseignez le nom d’utilisateur et le mot de passe.');
      return;
    }
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    showError(form, '');
    try {
      const session = await submit(username, password);
      form.reset();
      onDone(session);
    } catch (error) {
      showError(form, error.message);
      form.elements.password.focus();
    } finally {
      button.disabled = false;
    }
  });
}

/** `onLoggedIn({username})` runs after a successful login or registration. */
export function initAuth(onLoggedIn) {
  const login = document.getElementById('login-form');
  const register = document.getElementById('register-form');
  bind(login, api.login, onLoggedIn);
  bind(register, (username, password) => {
    if (password.length < 8) {
      const error = new Error('Le mot de passe doit faire au moins 8 caractères.');
      return Promise.reject(error);
    }
    return api.register(username, password);
  }, onLoggedIn);
}

export function clearAuthErrors() {
  for (const id of ['login-form', 'register-form']) showError(document.getElementById(id), '');
}
