/** One class of a text corpus: an ISO 639-3 code with its paragraphs grouped by article. */
export interface TextClass {
  /** Class label, e.g. an ISO 639-3 code ('eng'). */
  label: string;
  /** Human name, e.g. 'English'. */
  name: string;
  /** Dominant Unicode script of its text (e.g. 'Latn', 'Cyrl'), for the confusable mode. */
  script: string;
  /** Paragraphs (NFC-normalised, whitespace collapsed) per article; articles[i] are article i's paragraphs. */
  articles: string[][];
}

/** A corpus split into the classes training may see and those held out for evaluation. */
export interface TextCorpus {
  train: TextClass[];
  heldOut: TextClass[];
}

/** One N-way K-shot episode of texts; labels are indices into `classes`, class-major order. */
export interface TextEpisode {
  classes: string[];
  supportTexts: string[];
  supportLabels: number[];
  queryTexts: string[];
  queryLabels: number[];
  /** Drawn from the calibration languages of a training run (docs/LANGUAGE.md, "Calibration"). */
  calibration?: boolean;
  /**
   * The character language models' scores of the queries, [queries, ways, order] row-major, where
   * they were computed when the episode was drawn: a worker thread computing its gradient has no
   * language bank to compute them with.
   */
  lmScores?: Float32Array;
}

export interface TextEpisodeOptions {
  ways: number;
  shots: number;
  queries: number;
  /** Characters per example (at a word boundary where there is one, whole grapheme clusters); 0 = whole paragraphs. */
  snippet: number;
  /** Classes are neighbours (same script, nearest by character n-gram profile). */
  confusable: boolean;
}
