import { authHeaders } from '../api.client';
import { h } from '../dom';
import { navigate, type PageContext } from '../router';
import { logIn, safeNext } from '../session';

const REASONS: Record<string, string> = {
  refused: 'The API refused the key (wrong, revoked or expired): log in again.',
};

/** Checks a key against the API before keeping it: 401 is a bad key, 403 a key without `read`. */
async function check(key: string): Promise<string | null> {
  const response = await fetch('/v1/models', { headers: authHeaders(key) });
  if (response.status === 401) return 'This key was refused.';
  if (response.status === 403) return 'This key may not read (it needs the read or admin scope).';
  if (!response.ok) return `The API answered ${response.status}.`;
  return null;
}

export async function loginPage(root: HTMLElement, { query }: PageContext): Promise<void> {
  const reason = REASONS[query.get('reason') ?? ''];
  const input = h('input', {
    id: 'api-key',
    name: 'api-key',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    placeholder: 'dl_…',
  });
  const message = h('p', { class: 'form-error', role: 'alert' });
  const form = h(
    'form',
    { id: 'login', class: 'login card' },
    h('h1', {}, 'Log in'),
    h('p', { class: 'note' }, 'With an API key (read or admin scope). It stays in this browser tab only.'),
    reason === undefined ? null : h('p', { class: 'form-error' }, reason),
    h('label', { for: 'api-key' }, 'API key'),
    input,
    message,
    h('button', { type: 'submit' }, 'Log in'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = input.value.trim();
    message.textContent = '';
    void check(key).then(
      (problem) => {
        if (problem !== null) {
          message.textContent = problem;
          return;
        }
        logIn(key);
        document.dispatchEvent(new Event('driftline:session'));
        navigate(safeNext(query.get('next')), true);
      },
      (error: unknown) => (message.textContent = `The API could not be reached: ${(error as Error).message}`),
    );
  });
  root.append(form);
  input.focus();
}
