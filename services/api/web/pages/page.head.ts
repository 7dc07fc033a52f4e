import { h } from '../dom';

/** The trail above a page's title: Models / the model / what the page shows of it. */
export function crumbs(modelId: string, last?: string): HTMLElement {
  const model = h('a', { href: `/models/${encodeURIComponent(modelId)}` }, modelId);
  return h(
    'div',
    { class: 'crumbs' },
    h('a', { href: '/' }, 'Models'),
    ' / ',
    last === undefined ? modelId : model,
    last === undefined ? null : ` / ${last}`,
  );
}
