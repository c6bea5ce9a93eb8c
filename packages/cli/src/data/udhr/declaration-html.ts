import { normaliseText } from '@hypermeta/core';
import { lazyModule } from '../../lazy-module.js';

const parse5 = lazyModule<typeof import('parse5')>('parse5');

/** One UDHR declaration as read from its HTML: article number -> paragraphs, in document order. */
export interface Declaration {
  articles: Map<number, string[]>;
  /** Number of `<article>` elements (the split rule counts these, empty or not). */
  articleCount: number;
}

// parse5's tree, reduced to what is read here: element names, attributes, children and text.
interface Node {
  nodeName: string;
  tagName?: string;
  value?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: Node[];
}

const PARAGRAPH = new Set(['p', 'li']);
// Some declarations mark missing text with a placeholder ('@', '&1'): a paragraph needs a letter.
const LETTER = /\p{L}/u;

function textOf(node: Node): string {
  if (node.nodeName === '#text') return node.value ?? '';
  return (node.childNodes ?? []).map(textOf).join('');
}

function hasParagraphInside(node: Node): boolean {
  return (node.childNodes ?? []).some((c) => PARAGRAPH.has(c.tagName ?? '') || hasParagraphInside(c));
}

/**
 * The paragraphs under an article: every `<p>` and `<li>` that holds no paragraph itself (list
 * items wrap their `<p>`s, which must count once); the text a list item holds beside its inner
 * paragraphs is a paragraph of its own. Headings (`<h2>Article 1</h2>`) are not text of the article.
 */
function collectParagraphs(node: Node, out: string[]): void {
  for (const child of node.childNodes ?? []) {
    const tag = child.tagName ?? '';
    if (PARAGRAPH.has(tag) && !hasParagraphInside(child)) {
      out.push(normaliseText(textOf(child)));
    } else if (PARAGRAPH.has(tag)) {
      const own = (child.childNodes ?? []).filter((c) => c.nodeName === '#text').map(textOf);
      const text = normaliseText(own.join(' '));
      if (text) out.push(text);
      collectParagraphs(child, out);
    } else if (child.tagName && !/^h[1-6]$/.test(tag)) {
      collectParagraphs(child, out);
    }
  }
}

function findArticles(node: Node, out: Node[]): void {
  for (const child of node.childNodes ?? []) {
    if (child.tagName === 'article') out.push(child);
    else findArticles(child, out);
  }
}

/**
 * Reads a declaration's `<article>`s. Articles are keyed by their `data-number` (position + 1
 * when it is missing); paragraphs without a letter (empty, or a placeholder for missing text) are
 * dropped, so an article may have none.
 */
export function parseDeclaration(html: string): Declaration {
  const articles: Node[] = [];
  findArticles(parse5().parse(html) as unknown as Node, articles);
  const out = new Map<number, string[]>();
  articles.forEach((article, i) => {
    const attr = article.attrs?.find((a) => a.name === 'data-number')?.value;
    const parsed = attr === undefined ? NaN : Number(attr);
    const number = Number.isInteger(parsed) ? parsed : i + 1;
    const paragraphs: string[] = [];
    collectParagraphs(article, paragraphs);
    out.set(number, [...(out.get(number) ?? []), ...paragraphs.filter((p) => LETTER.test(p))]);
  });
  return { articles: out, articleCount: articles.length };
}
