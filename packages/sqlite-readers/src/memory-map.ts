/**
 * How much of an embedded SQLite file a connection reads through a memory map
 * (`PRAGMA mmap_size`), for the event log and the read models alike. Address space only: the OS
 * keeps in memory what the reads touch. Two reasons to map:
 *
 * - A read touches the OS page cache directly instead of copying each page into the connection's
 *   own cache, and that cache is emptied whenever another connection commits (the projector's
 *   thread, the writer thread), while the OS page cache stays.
 * - Some hosts reclaim file pages that no process maps once they go unused for a while: the bench
 *   VM pages them out after about a minute. Pages a connection has mapped stay.
 *
 * better-sqlite3's SQLite is built with SQLITE_MAX_MMAP_SIZE=0x7fff0000, so this is also the most
 * it maps: the first 2 GiB of a file. Past that, reads use `pread` as without a map.
 */
export const MEMORY_MAP_BYTES = 0x7fff0000;

/** The PRAGMA that sets it, for the pragma lists connections run when they open. */
export const MEMORY_MAP_PRAGMA = `mmap_size = ${MEMORY_MAP_BYTES}`;
