import { isBusinessDay } from '@brazilian-utils/brazilian-utils';

/**
 * Deadlines are counted in Brasília time (UTC−03:00 all year since daylight saving time ended in
 * 2019), the official time of federal deadlines, whatever the instant's own offset.
 */
const BRASILIA_OFFSET_MS = -3 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The instant as a Date whose UTC fields read the wall clock in Brasília. */
const brasiliaWallClock = (instant: string): Date => new Date(Date.parse(instant) + BRASILIA_OFFSET_MS);

export const isWeekend = (wallClock: Date): boolean =>
  wallClock.getUTCDay() === 0 || wallClock.getUTCDay() === 6;

/** The years the holiday calendar covers; outside them only weekends are skipped. */
const CALENDAR_YEARS = { first: 1900, last: 2099 };

/**
 * A business day in Brasília: Monday to Friday, and not a national holiday nor one of the federal
 * calendar's optional days off (Carnaval, Corpus Christi), as @brazilian-utils computes them
 * (Easter-derived dates included). The library reads a Date's local calendar day: it is given
 * local noon of the Brasília day, so the server's own time zone does not matter.
 */
export const isBrasiliaBusinessDay = (wallClock: Date): boolean => {
  if (isWeekend(wallClock)) return false;
  const year = wallClock.getUTCFullYear();
  if (year < CALENDAR_YEARS.first || year > CALENDAR_YEARS.last) return true;
  return isBusinessDay(new Date(year, wallClock.getUTCMonth(), wallClock.getUTCDate(), 12));
};

/**
 * The instant `days` business days after `instant`, at the same time of day: each day counted
 * must be a business day in Brasília, so an answer on Friday at 15:00 gives Wednesday at 15:00,
 * one on Saturday at 10:00 gives Wednesday at 10:00, and one on the eve of a holiday skips it.
 */
export const addBusinessDays = (instant: string, days: number): string => {
  let wallClock = brasiliaWallClock(instant).getTime();
  for (let counted = 0; counted < days;) {
    wallClock += DAY_MS;
    if (isBrasiliaBusinessDay(new Date(wallClock))) counted++;
  }
  return new Date(wallClock - BRASILIA_OFFSET_MS).toISOString();
};

/** The calendar year in Brasília at this instant (protocol numbers restart each year). */
export const brasiliaYear = (instant: string): number => brasiliaWallClock(instant).getUTCFullYear();
