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

/**
 * The instant `days` business days after `instant`, at the same time of day: each day counted
 * must fall from Monday to Friday in Brasília, so an answer on Friday at 15:00 gives Wednesday at
 * 15:00 and one on Saturday at 10:00 gives Wednesday at 10:00. National holidays are not skipped.
 */
export const addBusinessDays = (instant: string, days: number): string => {
  let wallClock = brasiliaWallClock(instant).getTime();
  for (let counted = 0; counted < days;) {
    wallClock += DAY_MS;
    if (!isWeekend(new Date(wallClock))) counted++;
  }
  return new Date(wallClock - BRASILIA_OFFSET_MS).toISOString();
};

/** The calendar year in Brasília at this instant (protocol numbers restart each year). */
export const brasiliaYear = (instant: string): number => brasiliaWallClock(instant).getUTCFullYear();
