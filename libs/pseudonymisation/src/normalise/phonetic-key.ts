/**
 * Rewrites applied in order before the skeleton is taken: spellings that transliteration systems and
 * languages use for the same sound. Kept here, apart from any test-data generator. Changing them is a key
 * rotation (they feed the `phon` and `pyr` tokens).
 */
const REWRITES: readonly [RegExp, string][] = [
  [/ue/g, 'u'], // Mueller → Muller (German ü written out)
  [/oe/g, 'o'], // Schroeder → Schroder
  [/ae/g, 'a'],
  [/ou/g, 'u'], // Youssef → Yussef (French transliteration)
  [/ph/g, 'f'],
  [/dzh|dj|zh/g, 'j'], // Dzhamal / Djamal / Jamal; Zhanna → Janna
  [/sch|sh|sz|cz|ch|tsch|tch|ts|tz|cs|zs/g, 's'], // Polish, German, Hungarian and Cyrillic sibilants
  [/kh|gh|q|ck|c|k|g/g, 'k'], // Khalid / Chalid / Halid keep k/h apart but kh/gh/q/c/k/g meet
  [/x/g, 'ks'],
  [/w|v/g, 'f'], // Wojciech / Vojtech; Ivanov / Iwanow
  [/z/g, 's'],
  [/y|j/g, 'i'], // Yordanova / Iordanova / Jordanova
  [/th/g, 't'],
  [/dh/g, 'd'],
];

const VOWELS = /[aeiou]/g;

/**
 * A coarse phonetic skeleton of one normalised name token (`[a-z0-9]+`): transliteration rewrites, then the
 * first letter (any vowel as `a`) followed by the consonants, with `h` between letters and repeated letters
 * dropped. Mohammed, Mohamed and Muhammad all give `md`; Müller (muller) and Mueller give `mlr`.
 *
 * @example
 * phoneticKey('muhammad'); // 'md'
 * phoneticKey('yordanova') === phoneticKey('iordanova'); // true
 */
export function phoneticKey(token: string): string {
  let value = token.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (value === '') return '';
  for (const [pattern, replacement] of REWRITES) value = value.replace(pattern, replacement);
  const first = /[aeiou]/.test(value[0]) ? 'a' : value[0];
  const rest = value.slice(1).replace(VOWELS, '').replace(/h/g, '');
  const skeleton = (first + rest).replace(/(.)\1+/g, '$1');
  return skeleton;
}
