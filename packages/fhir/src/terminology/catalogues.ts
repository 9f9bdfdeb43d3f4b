import { CATALOGUE_SYSTEMS } from '../canonical.ts';

/**
 * Code systems a binding allows but the hub does not ship: the medicine catalogues (OBM AMPP has
 * about 12k codes) and HL7 v2 table 0487. Their codes are accepted when they have the catalogue's shape.
 */
export const CATALOGUE_SHAPES: Readonly<
  Record<string, { readonly name: string; readonly shape: RegExp; readonly description: string }>
> = {
  [CATALOGUE_SYSTEMS.OBM_CATMAT]: {
    name: 'BRObmCATMAT',
    shape: /^BR\d{7,8}(?:[0-9A-Z]|[ -](?=[0-9A-Z-]))*$/,
    description:
      '"BR", 7 or 8 digits, then an optional suffix of capitals, digits and "-", e.g. BR0267778 or BR0266532-1',
  },
  [CATALOGUE_SYSTEMS.OBM_EAN]: {
    name: 'BRObmEAN',
    shape: /^(?:\d{8}|\d{12,14})$/,
    description: 'a GTIN/EAN barcode of 8, 12, 13 or 14 digits',
  },
  [CATALOGUE_SYSTEMS.OBM_ANVISA]: {
    name: 'BRObmANVISA',
    shape: /^\d{9}(?:\d{4})?$/,
    description: 'an ANVISA registration number of 9 or 13 digits',
  },
  [CATALOGUE_SYSTEMS.OBM_AMPP]: {
    name: 'BRObmAMPP',
    shape: /^@brasil\d{11}$/,
    description: '"@brasil" followed by 11 digits',
  },
  [CATALOGUE_SYSTEMS.OBM_VMP]: {
    name: 'BRObmVMP',
    shape: /^@brasil\d{11}$/,
    description: '"@brasil" followed by 11 digits',
  },
  [CATALOGUE_SYSTEMS.HL7_SPECIMEN_TYPE]: {
    name: 'v2-0487',
    shape: /^[A-Z0-9]{1,10}$/,
    description: 'an HL7 v2 table 0487 code: 1 to 10 capitals or digits, e.g. NP, THRT, SER',
  },
};
