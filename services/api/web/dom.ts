type Attrs = Record<string, string | number | boolean | null | undefined>;
export type Child = Node | string | number | null | undefined | false;

function fill<E extends Element>(el: E, attrs: Attrs, children: Child[]): E {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** An HTML element; text children are text nodes (never parsed as HTML). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  return fill(document.createElement(tag), attrs, children);
}

/** An SVG element. */
export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  return fill(document.createElementNS('http://www.w3.org/2000/svg', tag), attrs, children);
}

/** A section of a page: a heading, an optional note, then its content. */
export function section(title: string, note: string | null, ...content: Child[]): HTMLElement {
  return h(
    'section',
    {},
    h('h2', {}, title),
    note === null ? null : h('p', { class: 'note' }, note),
    ...content,
  );
}

/** A figure in a tile; `tone` colours it (bad, warn, ok). */
export function tile(label: string, value: Child, sub: Child = null, tone?: string): HTMLElement {
  return h(
    'div',
    { class: tone === undefined ? 'tile' : `tile ${tone}` },
    h('div', { class: 'label' }, label),
    h('div', { class: 'value' }, value),
    sub === null ? null : h('div', { class: 'sub' }, sub),
  );
}

export function pill(text: string, tone: string): HTMLElement {
  return h('span', { class: `pill ${tone}` }, text);
}

export function table(head: string[], rows: HTMLTableRowElement[], attrs: Attrs = {}): HTMLTableElement {
  return h(
    'table',
    attrs,
    h('thead', {}, h('tr', {}, ...head.map((t) => h('th', {}, t)))),
    h('tbody', {}, ...rows),
  );
}

/** An SVG drawing of `width` × `height` user units at that size, named for screen readers. */
export function svgFigure(cls: string, width: number, height: number, label: string): SVGSVGElement {
  return s('svg', {
    class: cls,
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': label,
  });
}
