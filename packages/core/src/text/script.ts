/**
 * ISO 15924 codes of the scripts a letter is looked up in: every script the UDHR translations
 * use, and the other major ones. JavaScript's regular expressions know them by these codes.
 */
// prettier-ignore
const SCRIPTS = [
  'Latn', 'Cyrl', 'Arab', 'Hani', 'Hira', 'Kana', 'Hang', 'Grek', 'Hebr', 'Deva', 'Beng', 'Guru',
  'Gujr', 'Orya', 'Taml', 'Telu', 'Knda', 'Mlym', 'Sinh', 'Thai', 'Laoo', 'Tibt', 'Mymr', 'Khmr',
  'Geor', 'Armn', 'Ethi', 'Cher', 'Cans', 'Yiii', 'Thaa', 'Vaii', 'Tfng', 'Nkoo', 'Mong', 'Syrc',
  'Tglg', 'Bali', 'Java', 'Bugi', 'Cakm', 'Olck', 'Adlm', 'Bopo', 'Copt', 'Runr', 'Ogam', 'Tale',
  'Talu', 'Lana', 'Bamu', 'Sund', 'Limb', 'Lepc', 'Mtei', 'Hmnp', 'Hmng', 'Osge', 'Saur', 'Brai',
  'Tavt', 'Gran', 'Cham', 'Kali', 'Bass', 'Mend', 'Newa', 'Sylo', 'Modi', 'Takr', 'Rohg', 'Wcho',
];

// A browser whose Unicode tables predate a script refuses its name: that script is left out there.
const matchers = SCRIPTS.flatMap((code) => {
  try {
    return [{ code, re: new RegExp(`^\\p{Script=${code}}$`, 'u') }];
  } catch {
    return [];
  }
});
const LETTER = /^\p{L}$/u;
// Texts repeat a few hundred letters; each is looked up once.
const scriptOfLetter = new Map<string, string>();

/** ISO 15924 code of a letter's script; 'Zzzz' for a script not in the list. */
function letterScript(ch: string): string {
  let s = scriptOfLetter.get(ch);
  if (s === undefined) {
    s = matchers.find((m) => m.re.test(ch))?.code ?? 'Zzzz';
    scriptOfLetter.set(ch, s);
  }
  return s;
}

/**
 * The script most of the texts' letters are written in (digits, punctuation and marks do not
 * count; ties go to the script met first). 'Zyyy' when there are no letters at all.
 */
export function dominantScript(texts: string | readonly string[]): string {
  const counts = new Map<string, number>();
  for (const t of typeof texts === 'string' ? [texts] : texts) {
    for (const ch of t) {
      if (!LETTER.test(ch)) continue;
      const s = letterScript(ch);
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
  }
  let best = 'Zyyy';
  let most = 0;
  for (const [s, n] of counts) if (n > most) [best, most] = [s, n];
  return best;
}
