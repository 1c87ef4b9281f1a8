/** Regions a country list generalises to. `other` holds codes no region lists (Antarctica, territories). */
export const REGIONS = ['eu-eea', 'europe-other', 'africa', 'asia', 'americas', 'oceania', 'other'] as const;
export type Region = (typeof REGIONS)[number];

const MEMBERS: Record<Exclude<Region, 'other'>, string> = {
  // EU 27 + Iceland, Liechtenstein, Norway
  'eu-eea': 'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO',
  'europe-other': 'AL AD BY BA FO GB GG GI IM JE XK MD MC ME MK RU SM RS CH UA VA TR',
  africa:
    'DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY MG MW ML MR MU ' +
    'YT MA MZ NA NE NG RE RW SH ST SN SC SL SO ZA SS SD TZ TG TN UG EH ZM ZW',
  asia:
    'AF AM AZ BH BD BT BN KH CN GE HK IN ID IR IQ IL JO JP KZ KW KG LA LB MO MY MV MN MM NP KP OM PK PS PH ' +
    'QA SA SG KR LK SY TW TJ TH TL TM AE UZ VN YE',
  americas:
    'AI AG AR AW BS BB BZ BM BO BQ BR VG CA KY CL CO CR CU CW DM DO EC SV FK GF GL GD GP GT GY HT HN JM MQ ' +
    'MX MS NI PA PY PE PR BL KN LC MF PM VC SX SR TT TC US UM UY VE VI',
  oceania: 'AS AU CK FJ PF GU KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV VU WF',
};

const REGION_OF = new Map<string, Region>(
  Object.entries(MEMBERS).flatMap(([region, codes]) =>
    codes.split(' ').map((code) => [code, region as Region] as const),
  ),
);

/**
 * The region of an ISO 3166-1 alpha-2 code: EU/EEA, rest of Europe, Africa, Asia, Americas, Oceania, or `other`.
 *
 * @example countryRegion('PL') // 'eu-eea'
 */
export function countryRegion(code: string): Region {
  return REGION_OF.get(code.toUpperCase()) ?? 'other';
}
