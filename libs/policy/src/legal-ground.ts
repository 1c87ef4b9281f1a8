/** GDPR articles a policy may name as (part of) a legal ground. */
export const GDPR_ARTICLES = [
  ...['a', 'b', 'c', 'd', 'e', 'f'].map((point) => `6(1)(${point})`),
  ...['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].map((point) => `9(2)(${point})`),
  '10',
] as const;
export type GdprArticle = (typeof GDPR_ARTICLES)[number];

/**
 * Sector routes outside the GDPR's own articles, with what each covers. Decision (ADR 0010): a sector route
 * covers criminal-offence data (the law that creates it is the law art. 10 asks for), but not special-category
 * data — health notes need an explicit art. 9(2) exception next to the route.
 */
export const SECTOR_ROUTES = {
  'police-data-act': { text: 'Wpg art. 18 jo. Bpg art. 4:2', specialCategory: false, criminalOffence: true },
  'inspectorate-decree': {
    text: "Labour inspectorate's decree on the provision of data",
    specialCategory: false,
    criminalOffence: true,
  },
} as const;
export type SectorRoute = keyof typeof SECTOR_ROUTES;

/** A legal ground as structured data, so the linter can check art. 9 and art. 10 mechanically. */
export interface LegalBasis {
  route?: SectorRoute;
  /** GDPR articles, in the order written. */
  gdpr: readonly GdprArticle[];
  /** Art. 10: the Union or member-state law that authorises processing criminal-offence data. */
  law?: string;
  /** Art. 10: the official authority under whose control it is processed. */
  authority?: string;
}

/**
 * True when the basis names a GDPR art. 9(2) exception (special-category data may be released).
 *
 * @example coversSpecialCategory({ gdpr: ['6(1)(a)', '9(2)(a)'] }) // true
 */
export function coversSpecialCategory(basis: LegalBasis): boolean {
  return (
    basis.gdpr.some((article) => article.startsWith('9(2)')) ||
    (basis.route !== undefined && SECTOR_ROUTES[basis.route].specialCategory)
  );
}

/**
 * True when criminal-offence data may be released: GDPR art. 10 with the law or authority named, or a sector
 * route that is itself such a law.
 *
 * @example coversCriminalOffence({ gdpr: ['6(1)(e)', '10'], law: 'Wet X art. 2' }) // true
 */
export function coversCriminalOffence(basis: LegalBasis): boolean {
  if (basis.route !== undefined && SECTOR_ROUTES[basis.route].criminalOffence) return true;
  return basis.gdpr.includes('10') && Boolean(basis.law || basis.authority);
}

/**
 * The text form of a basis, as records and audit entries carry it: the route's citation, then the GDPR
 * articles (`AVG art. 6(1)(a); art. 9(2)(a)`), then the art. 10 law or authority.
 *
 * @example legalBasisText({ route: 'police-data-act', gdpr: [] }) // 'Wpg art. 18 jo. Bpg art. 4:2'
 */
export function legalBasisText(basis: LegalBasis): string {
  const parts: string[] = [];
  if (basis.route) parts.push(SECTOR_ROUTES[basis.route].text);
  basis.gdpr.forEach((article, i) => parts.push(`${i === 0 ? 'AVG ' : ''}art. ${article}`));
  if (basis.law) parts.push(`law: ${basis.law}`);
  if (basis.authority) parts.push(`authority: ${basis.authority}`);
  return parts.join('; ');
}

const ARTICLE_IN_TEXT = /\bart(?:\.|ikel)?\s*(6\s*\(1\)\s*\([a-f]\)|9\s*\(2\)\s*\([a-j]\)|10)(?![\d(])/gi;

/**
 * Reads a basis from the free-text form of format 1 (`legalGround: 'AVG art. 6(1)(a); art. 9(2)(a)'`):
 * the GDPR articles it cites and a sector route it names. Null when it names neither.
 *
 * @example legalBasisFromText('Wpg art. 18 jo. Bpg art. 4:2') // { route: 'police-data-act', gdpr: [] }
 */
export function legalBasisFromText(text: string): LegalBasis | null {
  const gdpr = [...text.matchAll(ARTICLE_IN_TEXT)]
    .map((match) => match[1].replace(/\s+/g, '').toLowerCase() as GdprArticle)
    .filter((article, i, all) => all.indexOf(article) === i);
  let route: SectorRoute | undefined;
  if (/\bWpg\b|police data act|politiegegevens/i.test(text)) route = 'police-data-act';
  else if (/inspectorate'?s? decree|arbeidsinspectie/i.test(text)) route = 'inspectorate-decree';
  if (!route && gdpr.length === 0) return null;
  return { ...(route ? { route } : {}), gdpr };
}
