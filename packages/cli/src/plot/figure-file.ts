import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { DataError, InvalidArgumentError } from '@hypermeta/core';
import type * as vl from 'vega-lite';

// Vega, Vega-Lite and resvg are loaded when a figure is drawn, not when the command line starts:
// together they were about a third of every hypermeta invocation's start-up time.

export type FigureFormat = 'svg' | 'png';

/** The output format from the file name; anything but .svg/.png is bad input. */
export function figureFormat(path: string): FigureFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.svg' || ext === '.png') return ext.slice(1) as FigureFormat;
  throw new InvalidArgumentError(`${path}: unknown image type '${ext || '(none)'}' (expected .svg or .png)`);
}

/** A sibling file name: runs/a.svg + '-adapt' → runs/a-adapt.svg. */
export function withSuffix(path: string, suffix: string): string {
  const ext = extname(path);
  return path.slice(0, path.length - ext.length) + suffix + ext;
}

/** Renders a Vega-Lite spec to SVG text without a browser (renderer 'none' = no canvas needed). */
export async function renderSvg(spec: vl.TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterizes SVG at 2× for sharp lines; system fonts render the text. */
export async function svgToPng(svg: string): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  return new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: true },
    background: 'white',
  })
    .render()
    .asPng();
}

/** Writes a spec as SVG or PNG, by the file's extension. */
export async function writeFigure(path: string, spec: vl.TopLevelSpec): Promise<void> {
  const format = figureFormat(path);
  const svg = await renderSvg(spec);
  writeFileSync(path, format === 'svg' ? svg : await svgToPng(svg));
}

/** writeFigure with file-system failures as one-line errors naming the path. */
export async function writeFigureFile(path: string, spec: vl.TopLevelSpec): Promise<void> {
  try {
    await writeFigure(path, spec);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR')
      throw new DataError(`${path}: cannot write (${code})`);
    throw e;
  }
}
