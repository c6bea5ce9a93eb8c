import { describe, expect, it } from 'vitest';
import { supportSideArticles } from './class-articles.js';
import { buildNeighbours } from './neighbours.js';
import type { TextClass } from './text-types.js';

const cls = (label: string, script: string, texts: string[]): TextClass => ({
  label,
  name: label,
  script,
  articles: texts.map((t) => [t]),
});

describe('buildNeighbours', () => {
  const classes = [
    cls('spa', 'Latn', ['los derechos humanos', 'x', 'la libertad de todos', 'y']),
    cls('por', 'Latn', ['os direitos humanos', 'x', 'a liberdade de todos', 'y']),
    cls('deu', 'Latn', ['die Menschenrechte', 'x', 'die Freiheit aller', 'y']),
    cls('rus', 'Cyrl', ['los derechos humanos', 'x', 'la libertad de todos', 'y']),
  ];

  it('ranks same-script classes first, each group by profile similarity', () => {
    const nb = buildNeighbours(classes);
    expect(nb.ranked.get('spa')).toEqual(['por', 'deu', 'rus']);
    expect(nb.ranked.get('rus')![0]).toBe('spa');
  });

  it('profiles the support-side articles only: query-side text cannot change the ranking', () => {
    expect(supportSideArticles(classes[0])).toEqual([0, 2]);
    const changed = classes.map((c) =>
      c.label === 'deu'
        ? { ...c, articles: c.articles.map((a, i) => (i % 2 ? ['los derechos humanos'] : a)) }
        : c,
    );
    expect(buildNeighbours(changed).ranked).toEqual(buildNeighbours(classes).ranked);
    expect(buildNeighbours(changed).supportArticles.get('deu')).toEqual([0, 2]);
  });

  it('refuses two classes with one label', () => {
    expect(() => buildNeighbours([classes[0], classes[0]])).toThrow(/share the label spa/);
  });
});
